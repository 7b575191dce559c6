import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll } from 'vitest';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import type { McpServerName } from '../../../src/mcp-servers/registry';

/** Test helpers around the real MCP client talking Streamable HTTP over loopback. */

export async function connectClient(
  url: string,
  options: { headers?: Record<string, string>; fetch?: typeof fetch } = {},
): Promise<Client> {
  const client = new Client({ name: 'waypoint-tests', version: '0.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: options.headers ?? {} },
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  await client.connect(transport);
  return client;
}

/** Calls a tool and returns its result, typed as a CallToolResult. */
export async function callTool(
  client: Client,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** The structured data of a successful call (fails the test on a tool error). */
export function dataOf<T = any>(result: CallToolResult): T {
  if (result.isError) throw new Error(`Expected success, got tool error: ${textOf(result)}`);
  return result.structuredContent as T;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
}

/** A date `days` from today (UTC), so tests never search the past. */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * Starts `name`'s tool server on a free port and connects a client before the suite's tests,
 * closing both after them. Read `server` and `client` inside the tests (they are set by then).
 */
export function serverWithClient(name: McpServerName): { server: RunningMcpHttpServer; client: Client } {
  const fixture = {} as { server: RunningMcpHttpServer; client: Client };
  beforeAll(async () => {
    fixture.server = await startMcpHttpServer({ server: name });
    fixture.client = await connectClient(fixture.server.url);
  });
  afterAll(async () => {
    await fixture.client?.close();
    await fixture.server?.close();
  });
  return fixture;
}
