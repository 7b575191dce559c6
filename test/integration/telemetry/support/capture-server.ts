import { createServer as createHttpsServer } from 'node:https';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface CapturedRequest {
  method: string;
  path: string;
  contentType: string;
  body: Buffer;
}

export interface CaptureServer {
  /** `http(s)://127.0.0.1:PORT` */
  origin: string;
  requests: CapturedRequest[];
  close(): Promise<void>;
}

/**
 * A loopback server that records every request (gunzipping bodies) and answers what a telemetry
 * backend would: `answer(path)` decides the JSON body, 200 by default. HTTPS when given a key and
 * certificate (Application Insights insists on https), plain HTTP otherwise (an OTLP receiver).
 */
export async function startCaptureServer(
  options: { tls?: { key: string; cert: string }; answer?: (request: CapturedRequest) => unknown } = {},
): Promise<CaptureServer> {
  const requests: CapturedRequest[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const captured: CapturedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        contentType: req.headers['content-type'] ?? '',
        body,
      };
      requests.push(captured);
      if (captured.contentType.startsWith('application/x-protobuf')) {
        // An empty protobuf message is a valid (fully successful) OTLP export response.
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
        return;
      }
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify(options.answer?.(captured) ?? {}));
    });
  };
  const server = options.tls ? createHttpsServer(options.tls, handler) : createHttpServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
