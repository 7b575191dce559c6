/**
 * The host's socket listener: turns Node HTTP requests into front-door requests (front-door.ts)
 * and writes the answers back, within connection limits (connection-guard.ts). During a graceful
 * stop it answers new requests with 503 and Retry-After while the ones in flight finish.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { ConnectionGuard, defaultConnectionLimits, type ConnectionLimits } from './connection-guard';
import {
  jsonError,
  payloadTooLarge,
  type FrontDoor,
  type HostRequest,
  type HostResponse,
} from './front-door';
import { isLoopbackAddress } from './request-guards';

export { buildHttpRoutes, defaultMaxRequestBodyBytes, webhookPath, type HostKeys } from './front-door';

/** Limits on connections, so slow or stalled clients cannot hold the host's memory or sockets. */
export interface ServerLimits extends ConnectionLimits {
  /** Time allowed to receive a request's headers. */
  headersTimeoutMs: number;
  /** Time allowed to receive a whole request, body included. */
  requestTimeoutMs: number;
}

export const defaultServerLimits: ServerLimits = {
  ...defaultConnectionLimits,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

export interface HttpListener {
  server: Server;
  connections: ConnectionGuard;
  /** From now on, answer new requests with 503 + Retry-After and close each connection after its answer. */
  drain(): void;
  /** Requests received on the socket since start (the app's in-process calls are not among them). */
  readonly requestsReceived: number;
}

/**
 * Idle keep-alive connections: clients are told 5 s (and close theirs a second before that), the
 * host holds them 30 s. The margin keeps a client from sending on a connection the host is just
 * closing when either event loop is late (a reset the client would see as "fetch failed");
 * the connection guard closes idle connections early anyway when others need the room.
 */
const keepAlive = { advertisedSeconds: 5, holdMs: 30_000 };

/** Seconds a client is told to wait when the host is stopping or out of connections. */
const retryAfterSeconds = { stopping: '5', busy: '1' };

export function createHttpListener(frontDoor: FrontDoor, limits: ServerLimits): HttpListener {
  let draining = false;
  let received = 0;
  const guard = new ConnectionGuard(limits);

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    received++;
    if (guard.isRefused(req)) {
      // Over a connection cap while every other connection is busy: "later", not a reset.
      return write(req, res, refusal(503, 'too_many_connections', busyMessage, retryAfterSeconds.busy), true);
    }
    if (draining) {
      return write(
        req,
        res,
        refusal(503, 'shutting_down', stoppingMessage, retryAfterSeconds.stopping),
        true,
      );
    }
    guard.track(req, res);
    let response: HostResponse;
    try {
      response = await frontDoor(hostRequestOf(req));
    } catch {
      // The front door answers its own failures; this is only a last resort.
      response = jsonError(500, 'internal_error', 'The host failed to process the request.');
    }
    await write(req, res, response, draining);
  }

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node enforces the two timeouts above (its default, 30 s, would let them slip).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req, res) => {
      void serve(req, res);
    },
  );
  server.keepAliveTimeout = keepAlive.holdMs;
  guard.attach(server);
  return {
    server,
    connections: guard,
    drain: () => {
      draining = true;
    },
    get requestsReceived() {
      return received;
    },
  };
}

const busyMessage = 'The host has no free connection for this client now; retry shortly.';
const stoppingMessage = 'The host is shutting down; retry in a few seconds.';

function refusal(status: number, code: string, message: string, retryAfter: string): HostResponse {
  return jsonError(status, code, message, { 'Retry-After': retryAfter });
}

function hostRequestOf(req: IncomingMessage): HostRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    method: (req.method ?? 'GET').toUpperCase(),
    target: req.url,
    headers,
    fromLoopback: isLoopbackAddress(req.socket.remoteAddress),
    announcesBody: announcesBody(req),
    readBody: (limit) => readBody(req, limit),
  };
}

/** Writes `response`; closes the connection when asked or when the request's body was left unread. */
async function write(
  req: IncomingMessage,
  res: ServerResponse,
  response: HostResponse,
  close: boolean,
): Promise<void> {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers = { ...response.headers };
  // A body announced but not (fully) read: answering without reading it must close the connection.
  if (close || (!req.complete && announcesBody(req))) {
    headers['Connection'] = 'close';
  } else if (res.shouldKeepAlive) {
    headers['Connection'] = 'keep-alive';
    headers['Keep-Alive'] = `timeout=${keepAlive.advertisedSeconds}`;
  }
  res.writeHead(response.status, headers);
  const body = response.body;
  if (body === undefined || req.method === 'HEAD') {
    res.end();
    return;
  }
  if (Buffer.isBuffer(body)) {
    res.end(body);
    return;
  }
  await new Promise<void>((resolve) => {
    const stream = Readable.fromWeb(body);
    stream.on('error', () => res.destroy());
    res.on('close', resolve);
    stream.pipe(res);
  });
}

/** True when the request's head announces a body (chunked, or a non-zero Content-Length). */
function announcesBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Reads the body up to `limit` bytes: a larger Content-Length is refused before reading, a longer
 * stream as soon as it passes the limit. Either way the connection closes after the 413, so the
 * rest of the upload is never received.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > limit) return Promise.reject(payloadTooLarge(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(payloadTooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
