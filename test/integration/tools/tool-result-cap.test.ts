/**
 * Tool results are bounded: a tool server that answers with more than the client's cap (a 20 MB
 * result once grew the store to 127 MB and the host to 1.5 GB) gets a typed, non-retryable
 * `result_too_large` failure, the client stops reading at the cap, and nothing is stored in the
 * idempotency ledger as the call's result. A real MCP server on loopback (the SDK's server and
 * Streamable HTTP transport), answering as JSON and as an SSE stream.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toolCallKey } from '../../../src/domain/idempotency-keys';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import { loadToolSettings } from '../../../src/tools/settings';
import { ToolClient } from '../../../src/tools/tool-client';

const CAP = 64 * 1024;
const HUGE = 20 * 1024 * 1024;

interface BigServer {
  url: string;
  /** Bytes of tool results the server wrote to its sockets. */
  calls: { name: string; size: number }[];
  close(): Promise<void>;
}

/** An MCP server whose tools answer `size` characters of text. */
async function startBigServer(json: boolean): Promise<BigServer> {
  const calls: BigServer['calls'] = [];
  const mcp = (): McpServer => {
    const server = new McpServer({ name: 'big', version: '1.0.0' });
    for (const name of ['dump', 'book_flight']) {
      server.registerTool(
        name,
        { inputSchema: { size: z.number().int(), idempotencyKey: z.string().optional() } },
        ({ size }) => {
          calls.push({ name, size });
          return { content: [{ type: 'text', text: 'x'.repeat(size) }] };
        },
      );
    }
    return server;
  };
  const http: Server = createServer((request, response) => {
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: json,
    });
    const server = mcp();
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    void server.connect(transport).then(() => transport.handleRequest(request, response));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`,
    calls,
    close: () =>
      new Promise((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

let jsonServer: BigServer;
let sseServer: BigServer;
let ledger: SqliteIdempotencyStore;

beforeAll(async () => {
  [jsonServer, sseServer] = await Promise.all([startBigServer(true), startBigServer(false)]);
  ledger = SqliteIdempotencyStore.open(':memory:');
});
afterAll(async () => {
  await Promise.all([jsonServer.close(), sseServer.close()]);
  await ledger.close();
});

function clientFor(server: BigServer): ToolClient {
  return new ToolClient({
    servers: { big: server.url, bookings: server.url },
    allowList: { agent: ['big.*', 'bookings.*'] },
    idempotency: ledger,
    callTimeoutMs: 20_000,
    pendingStaleAfterMs: 40_000,
    writeTools: { 'bookings.book_flight': { keyArgument: 'idempotencyKey' } },
    maxResultBytes: CAP,
  });
}

describe.each([
  ['JSON', () => jsonServer],
  ['SSE', () => sseServer],
])('a tool result over the cap, answered as %s', (_, server) => {
  it('is a typed, non-retryable result_too_large failure, and a small one still passes', async () => {
    const client = clientFor(server());
    try {
      const started = Date.now();
      const big = await client.callTool({ agent: 'agent', tool: 'big.dump', arguments: { size: HUGE } });
      expect(big).toMatchObject({
        ok: false,
        error: { code: 'result_too_large', retryable: false, details: { maxResultBytes: CAP } },
      });
      // Stopped at the cap, not at the call's 20 s timeout.
      expect(Date.now() - started).toBeLessThan(15_000);

      const small = await client.callTool({ agent: 'agent', tool: 'big.dump', arguments: { size: 1_000 } });
      expect(small.ok).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('stores nothing in the idempotency ledger for a side-effecting call', async () => {
    const client = clientFor(server());
    const key = toolCallKey(`trip-cap-${_}`, 'book-1');
    try {
      const result = await client.callTool({
        agent: 'agent',
        tool: 'bookings.book_flight',
        arguments: { size: HUGE },
        idempotencyKey: key,
      });
      expect(result).toMatchObject({ ok: false, error: { code: 'result_too_large' } });
      // No result recorded (and the claim released): a replay could never return a huge result.
      expect(await ledger.get(key)).toBeUndefined();
    } finally {
      await client.close();
    }
  });
});

describe('MCP_MAX_RESULT_BYTES', () => {
  it('defaults to 256 KiB and is configurable within bounds', () => {
    expect(loadToolSettings({}).maxResultBytes).toBe(256 * 1024);
    expect(loadToolSettings({ MCP_MAX_RESULT_BYTES: '1048576' }).maxResultBytes).toBe(1_048_576);
    expect(() => loadToolSettings({ MCP_MAX_RESULT_BYTES: '10' })).toThrow(/MCP_MAX_RESULT_BYTES/);
  });
});
