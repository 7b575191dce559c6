/**
 * The host's HTTP front door: the app's HTTP triggers under host.json's route prefix (with the
 * Functions host's routing, auth levels, request and response semantics) and the Durable
 * management API. Every error is a JSON body with a stable code; no stack trace leaves the host.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { timingSafeEqual } from 'node:crypto';
import type { HttpResponseInit } from '@azure/functions';
import type { Logger } from '../telemetry/logger';
import type { LoadedApp, LoadedFunction } from './app-loader';
import type { FunctionInvoker } from './invoker';
import { compareSpecificity, compileRoute, type CompiledRoute } from './routes';
import type { ApiResponse, ManagementApi } from './durable/management-api';

export const webhookPath = '/runtime/webhooks/durabletask';
const maxBodyBytes = 32 * 1024 * 1024;

interface HttpRoute {
  fn: LoadedFunction;
  route: CompiledRoute;
  methods: Set<string>;
  authLevel: string;
}

export interface HttpFrontDoorOptions {
  app: LoadedApp;
  invoker: FunctionInvoker;
  management: ManagementApi;
  logger: Logger;
  functionKey: string;
  /** Secret path prefix of the private RPC endpoint given to DurableClient. */
  rpcPath: string;
  /** Extra inputs (durable client) by binding type, built once the port is known. */
  extraInputsByType: () => Record<string, unknown>;
  enforceAuth: boolean;
  /**
   * Host header names accepted (DNS-rebinding protection for a host bound to loopback, where a web
   * page could otherwise reach it through a rebound domain). Undefined accepts any.
   */
  allowedHostnames?: ReadonlySet<string>;
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

export function createHttpFrontDoor(options: HttpFrontDoorOptions): Server {
  const routes = buildHttpRoutes(options.app);
  const prefix = options.app.hostJson.routePrefix ? `/${options.app.hostJson.routePrefix}` : '';
  const log = options.logger;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const started = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const url = parseRequestUrl(req);
    if (!url) {
      log.info(`${method} ${req.url ?? ''} -> 400`, { reason: 'malformed URL or Host header' });
      sendError(res, 400, 'bad_request', 'The request URL or Host header is malformed.');
      return;
    }
    let status = 500;
    try {
      if (options.allowedHostnames && !options.allowedHostnames.has(url.hostname)) {
        status = sendError(
          res,
          403,
          'forbidden_host',
          `Host "${url.host}" is not served here; use ${[...options.allowedHostnames][0]}.`,
        );
        return;
      }
      const body = await readBody(req);
      const path = url.pathname;
      if (path.startsWith(options.rpcPath + '/')) {
        status = sendApi(
          res,
          options.management.handle(apiRequest(req, url, body, path.slice(options.rpcPath.length))),
        );
      } else if (path === webhookPath || path.startsWith(webhookPath + '/')) {
        if (!hasKey(req, url, options.functionKey)) {
          status = sendError(
            res,
            401,
            'unauthorized',
            'The Durable management API needs the host key (?code= or x-functions-key).',
          );
        } else {
          status = sendApi(
            res,
            options.management.handle(apiRequest(req, url, body, path.slice(webhookPath.length))),
          );
        }
      } else {
        status = await handleFunctionRoute(req, res, url, method, body);
      }
    } catch (error) {
      if (error instanceof HttpError) {
        status = sendError(res, error.status, error.code, error.message);
      } else {
        log.error('request failed inside the host', { method, path: url.pathname, error });
        status = res.headersSent
          ? 500
          : sendError(res, 500, 'internal_error', 'The host failed to process the request.');
      }
    } finally {
      log.info(`${method} ${url.pathname} -> ${status}`, { ms: Date.now() - started });
    }
  }

  async function handleFunctionRoute(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    method: string,
    body: Buffer,
  ): Promise<number> {
    if (prefix && url.pathname !== prefix && !url.pathname.startsWith(prefix + '/')) {
      return sendError(res, 404, 'not_found', `No function serves ${url.pathname}.`);
    }
    const relativePath = url.pathname.slice(prefix.length);
    const allowed = new Set<string>();
    for (const candidate of routes) {
      const params = candidate.route.match(relativePath);
      if (!params) continue;
      if (!candidate.methods.has(method)) {
        candidate.methods.forEach((m) => allowed.add(m));
        continue;
      }
      if (
        options.enforceAuth &&
        candidate.authLevel !== 'anonymous' &&
        !hasKey(req, url, options.functionKey)
      ) {
        return sendError(
          res,
          401,
          'unauthorized',
          `Function "${candidate.fn.name}" needs a function key (?code= or x-functions-key).`,
        );
      }
      return invokeHttpFunction(res, candidate, req, url, method, body, params);
    }
    if (allowed.size > 0) {
      res.setHeader('Allow', [...allowed].join(', '));
      return sendError(
        res,
        405,
        'method_not_allowed',
        `${method} is not allowed here; use ${[...allowed].join(', ')}.`,
      );
    }
    return sendError(res, 404, 'not_found', `No function serves ${url.pathname}.`);
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

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.keepAliveTimeout = 5_000;
  return server;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'bad_request', 'The request path has malformed percent-encoding.');
  }
}

function parseRequestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
  } catch {
    return undefined;
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        reject(
          new HttpError(413, 'payload_too_large', `Request bodies are limited to ${maxBodyBytes} bytes.`),
        );
        // Discard the rest without keeping it, so the 413 can still be answered.
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
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

function sendError(res: ServerResponse, status: number, code: string, message: string): number {
  if (!res.headersSent) {
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  }
  res.end(JSON.stringify({ error: { code, message } }));
  return status;
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function hasKey(req: IncomingMessage, url: URL, key: string): boolean {
  const offered = url.searchParams.get('code') ?? (req.headers['x-functions-key'] as string | undefined);
  if (!offered) return false;
  const a = Buffer.from(offered);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
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
