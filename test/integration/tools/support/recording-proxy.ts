import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON-RPC body of a POST. */
  body: unknown;
}

export interface RecordingProxy {
  /** Same path as the target, on the proxy's port. */
  url: string;
  requests: RecordedRequest[];
  /** The `tools/call` requests seen so far: what actually went over the wire. */
  toolCalls(): {
    headers: IncomingHttpHeaders;
    params: { name: string; arguments: Record<string, unknown>; _meta?: Record<string, unknown> };
  }[];
  close(): Promise<void>;
}

/**
 * A pass-through HTTP proxy in front of a real MCP server that records what the client sent, so
 * tests can check headers and `_meta` on the wire (and that refused calls sent nothing).
 */
export async function startRecordingProxy(targetUrl: string): Promise<RecordingProxy> {
  const target = new URL(targetUrl);
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      requests.push({
        method: req.method ?? 'GET',
        headers: req.headers,
        body: raw.length > 0 ? JSON.parse(raw.toString('utf8')) : undefined,
      });
      const upstream = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: target.host },
        },
        (upstreamRes) => {
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          upstreamRes.pipe(res);
        },
      );
      // The target cut the connection (drop-after-commit): cut ours too, so the client sees the same.
      upstream.on('error', () => res.socket?.resetAndDestroy());
      res.on('close', () => upstream.destroy());
      upstream.end(raw);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    requests,
    toolCalls: () =>
      requests
        .filter((r) => (r.body as { method?: string } | undefined)?.method === 'tools/call')
        .map((r) => ({ headers: r.headers, params: (r.body as { params: never }).params })),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
