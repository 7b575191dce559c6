/**
 * The host's HTTP front door: the app's HTTP triggers under host.json's route prefix (with the
 * Functions host's routing, auth levels, request and response semantics) and the Durable
 * management API. Every error is a JSON body with a stable code; no stack trace leaves the host.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import { accessLogCorrelation } from '../telemetry/access-log';
import type { Logger } from '../telemetry/logger';
import type { LoadedApp, LoadedFunction } from './app-loader';
import type { FunctionInvoker } from './invoker';
import { compareSpecificity, compileRoute, type CompiledRoute } from './routes';
import type { ApiResponse, ManagementApi } from './durable/management-api';
import {
  checkHost,
  checkOrigin,
  isRefusal,
  parseHostHeader,
  parseRequestTarget,
  type Refusal,
} from './request-guards';

export const webhookPath = '/runtime/webhooks/durabletask';

/** Default limit for a request body to a function route or the webhook API. */
export const defaultMaxRequestBodyBytes = 1024 * 1024;

interface HttpRoute {
  fn: LoadedFunction;
  route: CompiledRoute;
  methods: Set<string>;
  authLevel: string;
}

/**
 * The host's keys, as Azure keeps them apart: the function key opens `authLevel: function`
 * routes; the Durable extension's system key opens only `/runtime/webhooks/durabletask/*` (it is
 * the one management URLs carry); the master key opens everything, `authLevel: admin` included.
 */
export interface HostKeys {
  functionKey: string;
  systemKey: string;
  masterKey: string;
}

export interface HttpFrontDoorOptions {
  app: LoadedApp;
  invoker: FunctionInvoker;
  management: ManagementApi;
  logger: Logger;
  keys: HostKeys;
  /** Secret path prefix of the private RPC endpoint given to DurableClient. */
  rpcPath: string;
  /** Extra inputs (durable client) by binding type, built once the port is known. */
  extraInputsByType: () => Record<string, unknown>;
  enforceAuth: boolean;
  /**
   * Host header values (`name:port`) accepted: DNS-rebinding protection for a host bound to
   * loopback, where a web page could otherwise reach it through a rebound domain. Undefined
   * accepts any well-formed Host. Read when each request arrives (the port is known after listen).
   */
  allowedHosts?: () => ReadonlySet<string>;
  /** Browser origins, besides the host's own, that may send state-changing requests. */
  allowedOrigins: ReadonlySet<string>;
  /** Body limit for function routes and the webhook API; the private RPC path takes 4 times it. */
  maxRequestBodyBytes: number;
}

export function buildHttpRoutes(app: LoadedApp): HttpRoute[] {
  const routes: HttpRoute[] = [];
  for (const fn of app.functions.values()) {
    if (fn.kind !== 'http') continue;
    const trigger = fn.metadata.bindings[fn.triggerName];
    const template = typeof trigger.route === 'string' && trigger.route.length > 0 ? trigger.route : fn.name;
    const methods = Array.isArray(trigger.methods) ? (trigger.methods as string[]) : ['GET', 'POST'];
    routes.push({
      fn,
      route: compileRoute(template),
      methods: new Set(methods.map((m) => m.toUpperCase())),
      authLevel: typeof trigger.authLevel === 'string' ? trigger.authLevel.toLowerCase() : 'anonymous',
    });
  }
  return routes.sort((a, b) => compareSpecificity(a.route, b.route));
}

/** What a request is for, decided from its head alone, before any byte of its body is read. */
type Destination =
  | { kind: 'rpc'; rest: string }
  | { kind: 'webhook'; rest: string }
  | { kind: 'function'; route: HttpRoute; params: Record<string, string> };

export function createHttpFrontDoor(options: HttpFrontDoorOptions, limits: ServerLimits): Server {
  const routes = buildHttpRoutes(options.app);
  const prefix = options.app.hostJson.routePrefix ? `/${options.app.hostJson.routePrefix}` : '';
  const log = options.logger;
  const { keys } = options;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    let logPath = '(refused target)';
    let status = 500;
    try {
      const target = parseRequestTarget(req.url);
      if (isRefusal(target)) throw HttpError.from(target);
      logPath = redactPath(target.path, options.rpcPath);
      const host = parseHostHeader(req.headers.host);
      if (isRefusal(host)) throw HttpError.from(host);
      const wrongHost = checkHost(host, options.allowedHosts?.());
      if (wrongHost) throw HttpError.from(wrongHost);
      const origin = checkOrigin(method, req.headers, host, options.allowedOrigins);
      if (origin.refusal) throw HttpError.from(origin.refusal);
      if (origin.corsOrigin) {
        res.setHeader('Access-Control-Allow-Origin', origin.corsOrigin);
        res.setHeader('Vary', 'Origin');
        if (method === 'OPTIONS' && req.headers['access-control-request-method']) {
          res.writeHead(204, {
            'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
            'Access-Control-Allow-Headers':
              req.headers['access-control-request-headers'] ?? 'content-type, x-functions-key',
            'Access-Control-Max-Age': '600',
          });
          res.end();
          status = 204;
          return;
        }
      }
      // Built from the checked Host, never from the target, so the target cannot name another host.
      const url = new URL(`http://${host.value}${target.path}${target.search}`);

      const destination = route(method, target.path, req);
      if (destination.kind === 'rpc') {
        const body = await readBody(req, options.maxRequestBodyBytes * 4);
        status = sendApi(res, options.management.handle(apiRequest(req, url, body, destination.rest)));
      } else if (destination.kind === 'webhook') {
        if (!offersKey(req, url, [keys.systemKey, keys.masterKey])) {
          throw new HttpError(
            401,
            'unauthorized',
            'The Durable management API needs the Durable system key or the master key (?code= or x-functions-key).',
          );
        }
        const body = await readBody(req, options.maxRequestBodyBytes);
        status = sendApi(res, options.management.handle(apiRequest(req, url, body, destination.rest)));
      } else {
        authorize(destination.route, req, url);
        const body = await readBody(req, options.maxRequestBodyBytes);
        status = await invokeHttpFunction(res, destination.route, req, url, method, body, destination.params);
      }
    } catch (error) {
      if (error instanceof HttpError) {
        for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
        status = sendError(res, error.status, error.code, error.message, unreadBody(req));
      } else {
        log.error('request failed inside the host', { method, path: logPath, error });
        status = res.headersSent
          ? 500
          : sendError(res, 500, 'internal_error', 'The host failed to process the request.', unreadBody(req));
      }
    } finally {
      log.info(`${method} ${logPath} -> ${status}`, {
        ms: Date.now() - started,
        ...accessLogCorrelation({
          requestHeader: (name) => req.headers[name],
          responseHeader: (name) => res.getHeader(name),
        }),
      });
    }
  }

  /** Routes from the method and path alone; throws 404/405 as the Functions host answers them. */
  function route(method: string, path: string, req: IncomingMessage): Destination {
    if (path.startsWith(options.rpcPath + '/')) {
      // Only the in-process DurableClient knows this path; it connects over loopback and is no browser.
      if (!isLoopback(req.socket.remoteAddress) || req.headers.origin || req.headers['sec-fetch-site']) {
        throw new HttpError(404, 'not_found', 'No function serves this path.');
      }
      return { kind: 'rpc', rest: path.slice(options.rpcPath.length) };
    }
    if (path === webhookPath || path.startsWith(webhookPath + '/')) {
      return { kind: 'webhook', rest: path.slice(webhookPath.length) };
    }
    if (prefix && path !== prefix && !path.startsWith(prefix + '/')) {
      throw new HttpError(404, 'not_found', `No function serves ${path}.`);
    }
    const relativePath = path.slice(prefix.length);
    const allowed = new Set<string>();
    for (const candidate of routes) {
      const params = candidate.route.match(relativePath);
      if (!params) continue;
      if (!candidate.methods.has(method)) {
        for (const m of candidate.methods) allowed.add(m);
        continue;
      }
      return { kind: 'function', route: candidate, params };
    }
    if (allowed.size > 0) {
      throw new HttpError(
        405,
        'method_not_allowed',
        `${method} is not allowed here; use ${[...allowed].join(', ')}.`,
        { Allow: [...allowed].join(', ') },
      );
    }
    throw new HttpError(404, 'not_found', `No function serves ${path}.`);
  }

  function authorize(candidate: HttpRoute, req: IncomingMessage, url: URL): void {
    if (!options.enforceAuth || candidate.authLevel === 'anonymous') return;
    const accepted = candidate.authLevel === 'admin' ? [keys.masterKey] : [keys.functionKey, keys.masterKey];
    if (!offersKey(req, url, accepted)) {
      throw new HttpError(
        401,
        'unauthorized',
        candidate.authLevel === 'admin'
          ? `Function "${candidate.fn.name}" needs the master key (?code= or x-functions-key).`
          : `Function "${candidate.fn.name}" needs a function key (?code= or x-functions-key).`,
      );
    }
  }

  async function invokeHttpFunction(
    res: ServerResponse,
    candidate: HttpRoute,
    req: IncomingMessage,
    url: URL,
    method: string,
    body: Buffer,
    params: Record<string, string>,
  ): Promise<number> {
    const { HttpRequest, HttpResponse } = options.app.functionsLibrary;
    const request = new HttpRequest({
      method,
      url: url.href,
      headers: flattenHeaders(req),
      params,
      ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: { bytes: body } } : {}),
    });
    const traceParent = typeof req.headers.traceparent === 'string' ? req.headers.traceparent : null;
    const { result } = await options.invoker.invoke(candidate.fn, {
      inputs: [request],
      extraInputsByType: options.extraInputsByType(),
      traceParent,
    });
    if (result === undefined || result === null) {
      res.writeHead(204).end();
      return 204;
    }
    if (typeof result !== 'object') {
      throw new Error(
        `Function "${candidate.fn.name}" returned a ${typeof result}; an HTTP response must be an object.`,
      );
    }
    const response = result instanceof HttpResponse ? result : new HttpResponse(result as HttpResponseInit);
    for (const [name, value] of response.headers.entries()) res.setHeader(name, value);
    const cookies = response.cookies.map(serializeCookie);
    if (cookies.length > 0) res.setHeader('Set-Cookie', cookies);
    res.statusCode = response.status;
    if (!response.body || method === 'HEAD') {
      res.end();
      return response.status;
    }
    await new Promise<void>((resolve, reject) => {
      const stream = Readable.fromWeb(response.body as unknown as WebReadableStream);
      stream.on('error', reject);
      res.on('close', resolve);
      stream.pipe(res);
    });
    return response.status;
  }

  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // How often Node enforces the two timeouts above (its default, 30 s, would let them slip).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
    (req, res) => {
      void handle(req, res);
    },
  );
  server.keepAliveTimeout = 5_000;
  server.maxConnections = limits.maxConnections;
  return server;
}

/** Limits on connections, so slow or stalled clients cannot hold the host's memory or sockets. */
export interface ServerLimits {
  /** Open connections at most; further ones are closed at once. */
  maxConnections: number;
  /** Time allowed to receive a request's headers. */
  headersTimeoutMs: number;
  /** Time allowed to receive a whole request, body included. */
  requestTimeoutMs: number;
}

export const defaultServerLimits: ServerLimits = {
  maxConnections: 128,
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  static from(refusal: Refusal): HttpError {
    return new HttpError(refusal.status, refusal.code, refusal.message);
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'bad_request', 'The request path has malformed percent-encoding.');
  }
}

/** A body announced but not (fully) read: answering without reading it must close the connection. */
function unreadBody(req: IncomingMessage): boolean {
  if (req.complete) return false;
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * Reads the body up to `limit` bytes: a larger Content-Length is refused before reading, a longer
 * stream as soon as it passes the limit. Either way the connection closes after the 413, so the
 * rest of the upload is never received.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(413, 'payload_too_large', `Request bodies here are limited to ${limit} bytes.`);
  const announced = Number(req.headers['content-length'] ?? 0);
  if (announced > limit) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function apiRequest(req: IncomingMessage, url: URL, body: Buffer, rest: string) {
  return {
    method: req.method ?? 'GET',
    segments: rest
      .split('/')
      .filter((s) => s.length > 0)
      .map(decodeSegment),
    query: url.searchParams,
    headers: flattenHeaders(req),
    body: body.toString('utf8'),
  };
}

function sendApi(res: ServerResponse, response: ApiResponse): number {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  if (response.body === undefined) {
    res.writeHead(response.status, headers).end();
  } else {
    headers['Content-Type'] = 'application/json; charset=utf-8';
    res.writeHead(response.status, headers).end(JSON.stringify(response.body));
  }
  return response.status;
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  closeConnection = false,
): number {
  const body = JSON.stringify({ error: { code, message } });
  if (!res.headersSent) {
    res.writeHead(status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      // The host's own errors echo parts of the request: never cached, never sniffed as HTML.
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      ...(closeConnection ? { Connection: 'close' } : {}),
    });
  }
  res.end(body);
  return status;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** True when the request offers one of `keys` (?code= or x-functions-key), compared in constant time. */
function offersKey(req: IncomingMessage, url: URL, keys: readonly string[]): boolean {
  const header = req.headers['x-functions-key'];
  const offered = url.searchParams.get('code') ?? (typeof header === 'string' ? header : undefined);
  if (!offered) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const offeredDigest = digest(offered);
  let match = false;
  for (const key of keys) match = timingSafeEqual(offeredDigest, digest(key)) || match;
  return match;
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

/** The RPC path's secret segment must not reach logs. */
function redactPath(path: string, rpcPath: string): string {
  if (!path.startsWith(rpcPath + '/')) return path;
  return `${rpcPath.slice(0, rpcPath.lastIndexOf('/'))}/[redacted]${path.slice(rpcPath.length)}`;
}

function serializeCookie(cookie: {
  name: string;
  value: string;
  domain?: string;
  path?: string;
  expires?: Date | number;
  secure?: boolean;
  httpOnly?: boolean;
  sameSite?: string;
  maxAge?: number;
}): string {
  const parts = [`${cookie.name}=${encodeURIComponent(cookie.value)}`];
  if (cookie.domain) parts.push(`Domain=${cookie.domain}`);
  if (cookie.path) parts.push(`Path=${cookie.path}`);
  if (cookie.expires !== undefined) parts.push(`Expires=${new Date(cookie.expires).toUTCString()}`);
  if (cookie.maxAge !== undefined) parts.push(`Max-Age=${cookie.maxAge}`);
  if (cookie.secure) parts.push('Secure');
  if (cookie.httpOnly) parts.push('HttpOnly');
  if (cookie.sameSite) parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}
