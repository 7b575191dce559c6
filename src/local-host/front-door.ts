/**
 * The host's front door, independent of how a request arrived: the app's HTTP triggers under
 * host.json's route prefix (with the Functions host's routing, auth levels, request and response
 * semantics) and the Durable management API. The socket listener (http-server.ts) and the
 * in-process path for the app's calls to itself (in-process-fetch.ts) both hand requests here.
 * Every error is a JSON body with a stable code; no stack trace leaves the host.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { HttpResponseInit } from '@azure/functions';
import { accessLogCorrelation } from '../telemetry/access-log';
import type { Logger } from '../telemetry/logger';
import type { LoadedApp, LoadedFunction } from './app-loader';
import type { FunctionInvoker } from './invoker';
import { compareSpecificity, compileRoute, type CompiledRoute } from './routes';
import { JsonText, type ApiResponse, type ManagementApi } from './durable/management-api';
import {
  checkHost,
  checkJsonBody,
  checkOrigin,
  isRefusal,
  parseHostHeader,
  parseRequestTarget,
  type Refusal,
} from './request-guards';
import { queryAsTheHostSendsIt } from './host-query';

export const webhookPath = '/runtime/webhooks/durabletask';

/** Default limit for a request body to a function route or the webhook API. */
export const defaultMaxRequestBodyBytes = 1024 * 1024;

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

/** A request as the front door sees it, whichever way it came in. */
export interface HostRequest {
  /** Upper-case method. */
  method: string;
  /** The raw request target (origin-form expected). */
  target: string | undefined;
  /** Header values by lower-case name (repeated headers joined with ", "). */
  headers: Record<string, string | undefined>;
  /** The peer is on this machine: a loopback socket, or the app calling its host in-process. */
  fromLoopback: boolean;
  /** The head announces a body (chunked or a non-zero Content-Length). */
  announcesBody: boolean;
  /** Reads the body, refusing (413) past `limit` bytes. */
  readBody(limit: number): Promise<Buffer>;
}

export interface HostResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body?: Buffer | WebReadableStream<Uint8Array>;
}

export interface FrontDoorOptions {
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

interface HttpRoute {
  fn: LoadedFunction;
  route: CompiledRoute;
  methods: Set<string>;
  authLevel: string;
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

export type FrontDoor = (request: HostRequest) => Promise<HostResponse>;

export function createFrontDoor(options: FrontDoorOptions): FrontDoor {
  const routes = buildHttpRoutes(options.app);
  const prefix = options.app.hostJson.routePrefix ? `/${options.app.hostJson.routePrefix}` : '';
  const log = options.logger;
  const { keys } = options;

  return async function handle(req: HostRequest): Promise<HostResponse> {
    const started = Date.now();
    const { method } = req;
    let logPath = '(refused target)';
    let response: HostResponse | undefined;
    try {
      const target = parseRequestTarget(req.target);
      if (isRefusal(target)) throw HttpError.from(target);
      logPath = redactPath(target.path, options.rpcPath);
      const host = parseHostHeader(req.headers.host);
      if (isRefusal(host)) throw HttpError.from(host);
      const wrongHost = checkHost(host, options.allowedHosts?.());
      if (wrongHost) throw HttpError.from(wrongHost);
      const origin = checkOrigin(method, req.headers, host, options.allowedOrigins);
      if (origin.refusal) throw HttpError.from(origin.refusal);
      const cors: Record<string, string> = origin.corsOrigin
        ? { 'Access-Control-Allow-Origin': origin.corsOrigin, Vary: 'Origin' }
        : {};
      if (origin.corsOrigin && method === 'OPTIONS' && req.headers['access-control-request-method']) {
        response = {
          status: 204,
          headers: {
            ...cors,
            'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
            'Access-Control-Allow-Headers':
              req.headers['access-control-request-headers'] ?? 'content-type, x-functions-key',
            'Access-Control-Max-Age': '600',
          },
        };
        return response;
      }
      // Built from the checked Host, never from the target, so the target cannot name another host.
      const url = new URL(`http://${host.value}${target.path}${target.search}`);
      response = await dispatch(req, url, target.path);
      Object.assign(response.headers, cors);
      return response;
    } catch (error) {
      response = errorResponse(error, method, logPath);
      return response;
    } finally {
      const answered = response;
      log.info(`${method} ${logPath} -> ${answered?.status ?? 500}`, {
        ms: Date.now() - started,
        ...accessLogCorrelation({
          requestHeader: (name) => req.headers[name],
          responseHeader: (name) => headerOf(answered?.headers, name),
        }),
      });
    }
  };

  async function dispatch(req: HostRequest, url: URL, path: string): Promise<HostResponse> {
    const destination = route(req, path);
    if (destination.kind === 'rpc') {
      requireJson(req);
      const body = await req.readBody(options.maxRequestBodyBytes * 4);
      return apiResponse(options.management.handle(apiRequest(req, url, body, destination.rest)));
    }
    if (destination.kind === 'webhook') {
      if (!offersKey(req, url, [keys.systemKey, keys.masterKey])) {
        throw new HttpError(
          401,
          'unauthorized',
          'The Durable management API needs the Durable system key or the master key (?code= or x-functions-key).',
        );
      }
      requireJson(req);
      const body = await req.readBody(options.maxRequestBodyBytes);
      return apiResponse(options.management.handle(apiRequest(req, url, body, destination.rest)));
    }
    authorize(destination.route, req, url);
    const body = await req.readBody(options.maxRequestBodyBytes);
    return invokeHttpFunction(destination.route, req, url, body, destination.params);
  }

  function errorResponse(error: unknown, method: string, logPath: string): HostResponse {
    if (error instanceof HttpError) return jsonError(error.status, error.code, error.message, error.headers);
    log.error('request failed inside the host', { method, path: logPath, error });
    return jsonError(500, 'internal_error', 'The host failed to process the request.');
  }

  /** Routes from the method and path alone; throws 404/405 as the Functions host answers them. */
  function route(req: HostRequest, path: string): Destination {
    const { method } = req;
    if (path.startsWith(options.rpcPath + '/')) {
      // Only the in-process DurableClient knows this path; it connects over loopback and is no browser.
      if (!req.fromLoopback || req.headers.origin || req.headers['sec-fetch-site']) {
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

  function authorize(candidate: HttpRoute, req: HostRequest, url: URL): void {
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
    candidate: HttpRoute,
    req: HostRequest,
    url: URL,
    body: Buffer,
    params: Record<string, string>,
  ): Promise<HostResponse> {
    const { HttpRequest, HttpResponse } = options.app.functionsLibrary;
    const { method } = req;
    const request = new HttpRequest({
      method,
      url: url.href,
      headers: definedHeaders(req.headers),
      query: queryAsTheHostSendsIt(url),
      params,
      ...(body.length > 0 && method !== 'GET' && method !== 'HEAD' ? { body: { bytes: body } } : {}),
    });
    const { result } = await options.invoker.invoke(candidate.fn, {
      inputs: [request],
      extraInputsByType: options.extraInputsByType(),
      traceParent: req.headers.traceparent ?? null,
    });
    if (result === undefined || result === null) return { status: 204, headers: {} };
    if (typeof result !== 'object') {
      throw new Error(
        `Function "${candidate.fn.name}" returned a ${typeof result}; an HTTP response must be an object.`,
      );
    }
    const response = result instanceof HttpResponse ? result : new HttpResponse(result as HttpResponseInit);
    const headers: Record<string, string | string[]> = {};
    for (const [name, value] of response.headers.entries()) headers[name] = value;
    const cookies = response.cookies.map(serializeCookie);
    if (cookies.length > 0) headers['Set-Cookie'] = cookies;
    const stream = response.body as unknown as WebReadableStream<Uint8Array> | null;
    return { status: response.status, headers, ...(stream && method !== 'HEAD' ? { body: stream } : {}) };
  }
}

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

/** A refusal the transports raise themselves (body too large). */
export function payloadTooLarge(limit: number): Error {
  return new HttpError(413, 'payload_too_large', `Request bodies here are limited to ${limit} bytes.`);
}

/** The host's own JSON error answer: `{error: {code, message}}`, never cached or sniffed. */
export function jsonError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): HostResponse {
  const body = Buffer.from(JSON.stringify({ error: { code, message } }));
  return {
    status,
    headers: {
      ...headers,
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': String(body.length),
      // The host's own errors echo parts of the request: never cached, never sniffed as HTML.
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
    body,
  };
}

/** The management API takes JSON only (see checkJsonBody). */
function requireJson(req: HostRequest): void {
  const refusal = checkJsonBody(req.method, req.headers['content-type'], req.announcesBody);
  if (refusal) throw HttpError.from(refusal);
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError(400, 'bad_request', 'The request path has malformed percent-encoding.');
  }
}

function apiRequest(req: HostRequest, url: URL, body: Buffer, rest: string) {
  return {
    method: req.method,
    segments: rest
      .split('/')
      .filter((s) => s.length > 0)
      .map(decodeSegment),
    query: url.searchParams,
    headers: req.headers,
    body: body.toString('utf8'),
  };
}

function apiResponse(response: ApiResponse): HostResponse {
  const headers: Record<string, string> = { ...(response.headers ?? {}) };
  if (response.body === undefined) return { status: response.status, headers };
  headers['Content-Type'] = 'application/json; charset=utf-8';
  const text = response.body instanceof JsonText ? response.body.text : JSON.stringify(response.body);
  return { status: response.status, headers, body: Buffer.from(text) };
}

function definedHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) defined[name] = value;
  return defined;
}

/** True when the request offers one of `keys` (?code= or x-functions-key), compared in constant time. */
function offersKey(req: HostRequest, url: URL, keys: readonly string[]): boolean {
  const offered = url.searchParams.get('code') ?? req.headers['x-functions-key'];
  if (!offered) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  const offeredDigest = digest(offered);
  let match = false;
  for (const key of keys) match = timingSafeEqual(offeredDigest, digest(key)) || match;
  return match;
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

/** A response header by name, whatever case the app wrote it in. */
function headerOf(headers: HostResponse['headers'] | undefined, name: string): string | string[] | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
