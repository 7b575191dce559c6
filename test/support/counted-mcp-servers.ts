/**
 * The five MCP tool servers, run in the test process exactly as `npm run mcp` runs them alone
 * (startMcpHttpServer, Streamable HTTP, the server key), each behind a thin loopback proxy that
 * records every `tools/call`: the tool, its arguments, when it arrived and ended, and how it ended
 * (a result, a tool error, `replayed` for an idempotent write). The bookings server keeps its
 * bookings in a SQLite file the test can count rows in.
 *
 * A proxy rather than a hook: the servers stay the unmodified production code, and what is counted
 * is what crossed the wire.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { canonicalJson } from '../../src/domain/canonical-json';
import { startMcpHttpServer, type RunningMcpHttpServer } from '../../src/mcp-servers/http/node-http-server';
import { MCP_SERVER_NAMES, type McpServerName } from '../../src/mcp-servers/registry';
import { SqliteBookingsStore } from '../../src/stores';

export type ToolCallOutcome = 'pending' | 'result' | 'tool_error' | 'failed';

export interface ToolCallRecord {
  server: McpServerName;
  /** The tool's name on its server (`search_flights`). */
  tool: string;
  arguments: unknown;
  /** `server.tool(canonical JSON of the arguments)`: one key per distinct call. */
  key: string;
  /** Date.now() when the call reached the proxy and when the server's answer came back. */
  arrivedAt: number;
  settledAt?: number;
  outcome: ToolCallOutcome;
  /** `structuredContent.replayed` of the answer, when the server said. */
  replayed?: boolean;
  /** False when the caller had hung up before the answer could be passed on. */
  delivered?: boolean;
}

export interface CountedMcpServers {
  /** The URL to configure per server (`MCP_<SERVER>_URL`), the proxy's `/mcp`. */
  urls: Record<McpServerName, string>;
  /** Every `tools/call` so far, in arrival order (copies). */
  readonly calls: ToolCallRecord[];
  bookings: SqliteBookingsStore;
  close(): Promise<void>;
}

const jsonRpcRequest = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number()]).optional(),
  method: z.string(),
  params: z.unknown().optional(),
});
const toolCallParams = z.object({ name: z.string().min(1), arguments: z.unknown().optional() });
const jsonRpcResponse = z.object({
  id: z.union([z.string(), z.number(), z.null()]),
  result: z
    .object({
      isError: z.boolean().optional(),
      structuredContent: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  error: z.unknown().optional(),
});

/** Headers a proxy must not pass on (hop-by-hop, or recomputed by fetch). */
const DROPPED_HEADERS = new Set(['host', 'connection', 'keep-alive', 'content-length', 'transfer-encoding']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Starts a counting proxy in front of `upstream`; records go to `records`. */
async function startProxy(
  server: McpServerName,
  upstream: RunningMcpHttpServer,
  records: ToolCallRecord[],
): Promise<{ url: string; close(): Promise<void> }> {
  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const messages = [parseJson(body.toString('utf8'))].flat();
    const pending = new Map<string | number, ToolCallRecord>();
    for (const message of messages) {
      const request = jsonRpcRequest.safeParse(message);
      if (!request.success || request.data.method !== 'tools/call') continue;
      const params = toolCallParams.safeParse(request.data.params);
      if (!params.success) continue;
      const record: ToolCallRecord = {
        server,
        tool: params.data.name,
        arguments: params.data.arguments ?? {},
        key: `${server}.${params.data.name}(${canonicalJson(params.data.arguments ?? {})})`,
        arrivedAt: Date.now(),
        outcome: 'pending',
      };
      records.push(record);
      if (request.data.id !== undefined) pending.set(request.data.id, record);
    }

    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (DROPPED_HEADERS.has(name) || value === undefined) continue;
      for (const item of [value].flat()) headers.append(name, item);
    }
    let answer: Response;
    try {
      answer = await fetch(upstream.url, {
        method: req.method ?? 'POST',
        headers,
        ...(req.method === 'GET' || req.method === 'HEAD' ? {} : { body }),
      });
    } catch (error) {
      for (const record of pending.values())
        Object.assign(record, { outcome: 'failed', settledAt: Date.now() });
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'bad_gateway', message: String(error) } }));
      return;
    }
    const text = await answer.text();
    for (const message of [parseJson(text)].flat()) {
      const response = jsonRpcResponse.safeParse(message);
      const record =
        response.success && response.data.id !== null ? pending.get(response.data.id) : undefined;
      if (!record || !response.success) continue;
      const result = response.data.result;
      record.outcome = result === undefined ? 'failed' : result.isError ? 'tool_error' : 'result';
      const replayed = result?.structuredContent?.replayed;
      if (typeof replayed === 'boolean') record.replayed = replayed;
      record.settledAt = Date.now();
    }
    for (const record of pending.values()) {
      if (record.outcome === 'pending') Object.assign(record, { outcome: 'failed', settledAt: Date.now() });
      record.delivered = !res.destroyed;
    }
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!DROPPED_HEADERS.has(name) && name !== 'content-encoding') out[name] = value;
    });
    res.writeHead(answer.status, out);
    res.end(text);
  }

  const proxy: Server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'proxy_failed', message: String(error) } }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    proxy.once('error', reject);
    proxy.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = proxy.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    close: async () => {
      const closed = new Promise<void>((resolve) => proxy.close(() => resolve()));
      proxy.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Starts every tool server with `key`, the bookings server on a SQLite store at
 * `bookingsStorePath`, each behind its counting proxy.
 */
export async function startCountedMcpServers(options: {
  key: string;
  bookingsStorePath: string;
}): Promise<CountedMcpServers> {
  const records: ToolCallRecord[] = [];
  const bookings = SqliteBookingsStore.open(options.bookingsStorePath);
  const started: { close(): Promise<void> }[] = [];
  const urls = {} as Record<McpServerName, string>;
  try {
    for (const name of MCP_SERVER_NAMES) {
      const upstream = await startMcpHttpServer({
        server: name,
        key: options.key,
        ...(name === 'bookings' ? { bookingsStore: bookings } : {}),
      });
      started.push(upstream);
      const proxy = await startProxy(name, upstream, records);
      started.push(proxy);
      urls[name] = proxy.url;
    }
  } catch (error) {
    await Promise.allSettled(started.map((s) => s.close()));
    await bookings.close();
    throw error;
  }
  return {
    urls,
    get calls() {
      return records.map((record) => ({ ...record }));
    },
    bookings,
    close: async () => {
      // Proxies first (they were pushed after their server), so nothing reaches a closed server.
      for (const item of [...started].reverse()) await item.close();
      await bookings.close();
    },
  };
}
