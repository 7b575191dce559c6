/**
 * The contract between the one list of write tools (src/mcp-servers/write-tools.ts) and what the
 * servers say of their tools over MCP: a tool is in the list exactly when its annotations say it
 * is not read-only. A new side-effecting tool that is missing from the list would get the read
 * retry policy and no idempotency record; this test fails instead.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { MCP_SERVER_NAMES } from '../../../src/mcp-servers/registry';
import { WRITE_TOOLS, writeToolsOf } from '../../../src/mcp-servers/write-tools';
import { SqliteBookingsStore } from '../../../src/stores/sqlite/bookings-store';
import { DEFAULT_WRITE_TOOLS } from '../../../src/tools';
import { connectClient } from './mcp-test-client';

describe('write tools: the list agrees with the servers’ MCP annotations', () => {
  const store = SqliteBookingsStore.open(':memory:');
  const servers: RunningMcpHttpServer[] = [];
  const clients: Client[] = [];
  /** Every tool of every server, by qualified name, as `tools/list` describes it over loopback. */
  const listed = new Map<string, Tool>();

  beforeAll(async () => {
    for (const name of MCP_SERVER_NAMES) {
      const server = await startMcpHttpServer({ server: name, bookingsStore: store });
      servers.push(server);
      const client = await connectClient(server.url);
      clients.push(client);
      for (const tool of (await client.listTools()).tools) listed.set(`${name}.${tool.name}`, tool);
    }
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await Promise.all(servers.map((server) => server.close()));
    await store.close();
  });

  it('every tool declares readOnlyHint, and the non-read-only ones are exactly the write tools', () => {
    expect(listed.size).toBeGreaterThan(8);
    const undeclared = [...listed].filter(([, tool]) => typeof tool.annotations?.readOnlyHint !== 'boolean');
    expect(undeclared.map(([name]) => name)).toEqual([]);
    const writes = [...listed]
      .filter(([, tool]) => tool.annotations?.readOnlyHint === false)
      .map(([name]) => name);
    expect(writes.sort()).toEqual(Object.keys(WRITE_TOOLS).sort());
  });

  it('read tools are never destructive; write tools are idempotent under their key', () => {
    for (const [name, tool] of listed) {
      if (tool.annotations?.readOnlyHint) expect(tool.annotations.destructiveHint ?? false, name).toBe(false);
      else {
        expect(typeof tool.annotations?.destructiveHint, name).toBe('boolean');
        expect(tool.annotations?.idempotentHint, name).toBe(true);
      }
    }
  });

  it('a write tool’s key argument is a required string in its input schema', () => {
    for (const [name, spec] of Object.entries(WRITE_TOOLS)) {
      if (spec.keyArgument === undefined) continue;
      const schema = listed.get(name)!.inputSchema as {
        properties?: Record<string, { type?: string }>;
        required?: string[];
      };
      expect(schema.properties?.[spec.keyArgument]?.type, name).toBe('string');
      expect(schema.required, name).toContain(spec.keyArgument);
    }
  });

  it('the tool client and the servers’ fault injection read the same list', () => {
    expect(DEFAULT_WRITE_TOOLS).toBe(WRITE_TOOLS);
    const perServer = MCP_SERVER_NAMES.flatMap((server) =>
      [...writeToolsOf(server)].map((tool) => `${server}.${tool}`),
    );
    expect(perServer.sort()).toEqual(Object.keys(WRITE_TOOLS).sort());
  });
});
