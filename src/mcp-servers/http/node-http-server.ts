import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger } from '../../telemetry/logger';
import { createMcpServer, writeToolsOf, type McpServerDependencies, type McpServerName } from '../registry';
import { configureMarketFaults, FaultInjector, type FaultOptions } from './faults';
import { createMcpHttpHandler, MAX_BODY_BYTES, type McpHttpOutcome } from './mcp-http-handler';

export interface StartMcpHttpServerOptions extends McpServerDependencies {
  server: McpServerName;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Defaults to 127.0.0.1; loopback hosts get DNS-rebinding protection. */
  host?: string;
  /** Callers must present this key; no key is required when omitted. */
  key?: string | undefined;
  faults?: FaultOptions | undefined;
}

export interface RunningMcpHttpServer {
  name: McpServerName;
  /** The MCP endpoint, e.g. `http://127.0.0.1:41234/mcp`. */
  url: string;
  port: number;
  /** The seed of the fault decisions, to reproduce a run. */
  faultSeed: number | undefined;
  /** Stops accepting, cancels hanging calls and closes every connection. */
  close(): Promise<void>;
}

export const MCP_PATH = '/mcp';
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((item) => headers.append(name, item));
    else if (value !== undefined) headers.set(name, value);
  }
  return headers;
}

/** Reads the body, or undefined when it exceeds the limit. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Serves one tool server over Streamable HTTP on node:http at `/mcp` — the CLI's HTTP mode and
 * the tests' way to reach a server through the real MCP client.
 */
export async function startMcpHttpServer(options: StartMcpHttpServerOptions): Promise<RunningMcpHttpServer> {
  const name = options.server;
  const host = options.host ?? '127.0.0.1';
  const logger = createLogger(`mcp:${name}:http`);
  const faults = options.faults ? new FaultInjector(options.faults) : undefined;
  configureMarketFaults(name, faults?.settings, faults?.seed ?? 0);
  const inFlight = new Set<AbortController>();
  let allowedHosts: ReadonlySet<string> | undefined;

  const handle = createMcpHttpHandler({
    serverName: name,
    createServer: () => createMcpServer(name, options),
    writeTools: writeToolsOf(name),
    key: options.key,
    faults,
    allowedHosts: () => allowedHosts,
    logger,
  });

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    if (url.pathname !== MCP_PATH)
      return send(res, 404, {
        error: { code: 'not_found', message: `Not found; the MCP endpoint is ${MCP_PATH}.` },
      });
    const aborter = new AbortController();
    inFlight.add(aborter);
    res.on('close', () => {
      inFlight.delete(aborter);
      if (!res.writableFinished) aborter.abort();
    });
    const body = req.method === 'GET' || req.method === 'HEAD' ? undefined : await readBody(req);
    if (body === undefined && req.method !== 'GET' && req.method !== 'HEAD') {
      return send(res, 413, {
        jsonrpc: '2.0',
        error: { code: -32600, message: `Request body exceeds ${MAX_BODY_BYTES} bytes.` },
        id: null,
      });
    }
    const outcome: McpHttpOutcome = await handle(
      new Request(url, {
        method: req.method ?? 'GET',
        headers: toHeaders(req),
        body,
        signal: aborter.signal,
      }),
    );
    if (outcome.kind === 'drop') {
      // Reset the TCP connection: the caller sees ECONNRESET, exactly as if a proxy or network died.
      res.socket?.resetAndDestroy();
      return;
    }
    res.writeHead(outcome.status, outcome.headers).end(outcome.body);
  }

  const server = createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      logger.error('request failed', { error });
      if (!res.headersSent)
        send(res, 500, { jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null });
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  if (LOOPBACK_HOSTS.has(host)) {
    allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  }
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}${MCP_PATH}`;
  logger.debug('listening', {
    url,
    auth: options.key !== undefined,
    faults: faults?.enabled ? faults.settings : undefined,
    faultSeed: faults?.seed,
  });

  return {
    name,
    url,
    port,
    faultSeed: faults?.seed,
    close: async () => {
      for (const aborter of inFlight) aborter.abort();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
