/**
 * The host's front door, independent of how a request arrived: the app's HTTP triggers under
 * host.json's route prefix (with the Functions host's routing, auth levels, request and response
 * semantics) and the Durable management API. The socket listener (http-server.ts) and the
 * in-process path for the app's calls to itself (in-process-fetch.ts) both hand requests here.
 * Every error is a JSON body with a stable code (host-errors.ts); no stack trace leaves the host.
 * Beside it: the app's routes (function-routes.ts) and the call into an HTTP trigger
 * (http-function-call.ts).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { accessLogCorrelation } from '../telemetry/access-log';
import type { Logger } from '../telemetry/logger';
import type { LoadedApp } from './app-loader';
import type { FunctionInvoker } from './invoker';
import { JsonText, type ApiResponse, type ManagementApi } from './durable/management-api';
import { buildHttpRoutes, matchFunctionRoute, type HttpRoute } from './function-routes';
import { HttpError, jsonError } from './host-errors';
import { invokeHttpFunction } from './http-function-call';
import {
  checkHost,
  checkJsonBody,
  checkOrigin,
  isRefusal,
  parseHostHeader,
  parseRequestTarget,
} from './request-guards';

export { buildHttpRoutes } from './function-routes';
export { jsonError, payloadTooLarge } from './host-errors';

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

/** What a request is for, decided from its head alone, before any byte of its body is read. */
type Destination =
  | { kind: 'rpc'; rest: string }
  | { kind: 'webhook'; rest: string }
  | { kind: 'function'; route: HttpRoute; params: Record<string, string> };

export type FrontDoor = (request: HostRequest) => Promise<HostResponse>;

/**
 * Answers every request and logs one line for it. A request passes, in order: a well-formed
 * target, the head's guards (`answer`), routing and its key (`dispatch`), then its handler.
 */
export function createFrontDoor(options: FrontDoorOptions): FrontDoor {
  const door: Door = {
    options,
    routes: buildHttpRoutes(options.app),
    prefix: options.app.hostJson.routePrefix ? `/${options.app.hostJson.routePrefix}` : '',
  };

  return async function handle(req: HostRequest): Promise<HostResponse> {
    const started = Date.now();
    let logPath = '(refused target)';
    let response: HostResponse | undefined;
    try {
      const target = parseRequestTarget(req.target);
      if (isRefusal(target)) throw HttpError.from(target);
      logPath = redactPath(target.path, options.rpcPath);
      response = await answer(door, req, target);
      return response;
    } catch (error) {
      response = errorResponse(options.logger, error, req.method, logPath);
      return response;
    } finally {
      logAccess(options.logger, req, logPath, response, started);
    }
  };
}

/** What the front door works with for every request: its options and the app's routes. */
interface Door {
  options: FrontDoorOptions;
  routes: HttpRoute[];
  /** host.json's route prefix as a path ("/api"), or "" for none. */
  prefix: string;
}

/**
 * The guards on the request's head, in order: a well-formed Host the host answers to (DNS
 * rebinding), an Origin it trusts (CSRF; a CORS preflight is answered here), then the dispatch.
 */
async function answer(
  door: Door,
  req: HostRequest,
  target: { path: string; search: string },
): Promise<HostResponse> {
  const { options } = door;
  const host = parseHostHeader(req.headers.host);
  if (isRefusal(host)) throw HttpError.from(host);
  const wrongHost = checkHost(host, options.allowedHosts?.());
  if (wrongHost) throw HttpError.from(wrongHost);
  const origin = checkOrigin(req.method, req.headers, host, options.allowedOrigins);
  if (origin.refusal) throw HttpError.from(origin.refusal);
  const cors: Record<string, string> = origin.corsOrigin
    ? { 'Access-Control-Allow-Origin': origin.corsOrigin, Vary: 'Origin' }
    : {};
  if (origin.corsOrigin && req.method === 'OPTIONS' && req.headers['access-control-request-method'])
    return preflightResponse(req, cors);
  // Built from the checked Host, never from the target, so the target cannot name another host.
  const url = new URL(`http://${host.value}${target.path}${target.search}`);
  const response = await dispatch(door, req, url, target.path);
  Object.assign(response.headers, cors);
  return response;
}

/** A CORS preflight from an allowed origin: which methods and headers it may send. */
function preflightResponse(req: HostRequest, cors: Record<string, string>): HostResponse {
  return {
    status: 204,
    headers: {
      ...cors,
      'Access-Control-Allow-Methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
      'Access-Control-Allow-Headers':
        req.headers['access-control-request-headers'] ?? 'content-type, x-functions-key',
      'Access-Control-Max-Age': '600',
    },
  };
}

/** Routes the request, checks its key, then reads its body (within the limit) and serves it. */
async function dispatch(door: Door, req: HostRequest, url: URL, path: string): Promise<HostResponse> {
  const { options } = door;
  const { keys } = options;
  const destination = route(door, req, path);
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
  authorize(options, destination.route, req, url);
  const body = await req.readBody(options.maxRequestBodyBytes);
  return invokeHttpFunction(options, destination.route, req, url, body, destination.params);
}

/** Routes from the method and path alone; throws 404/405 as the Functions host answers them. */
function route(door: Door, req: HostRequest, path: string): Destination {
  const { options, prefix } = door;
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
  const matched = matchFunctionRoute(door.routes, req.method, path.slice(prefix.length), path);
  return { kind: 'function', ...matched };
}

/** A route's auth level decides which keys open it; anonymous routes and --no-auth need none. */
function authorize(options: FrontDoorOptions, candidate: HttpRoute, req: HostRequest, url: URL): void {
  const { keys } = options;
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

/** An HttpError answers as itself; anything else is the host's fault: logged, and a bare 500. */
function errorResponse(log: Logger, error: unknown, method: string, logPath: string): HostResponse {
  if (error instanceof HttpError) return jsonError(error.status, error.code, error.message, error.headers);
  log.error('request failed inside the host', { method, path: logPath, error });
  return jsonError(500, 'internal_error', 'The host failed to process the request.');
}

/** One access-log line per request, answered or refused, with its trace correlation. */
function logAccess(
  log: Logger,
  req: HostRequest,
  logPath: string,
  answered: HostResponse | undefined,
  started: number,
): void {
  log.info(`${req.method} ${logPath} -> ${answered?.status ?? 500}`, {
    ms: Date.now() - started,
    ...accessLogCorrelation({
      requestHeader: (name) => req.headers[name],
      responseHeader: (name) => headerOf(answered?.headers, name),
    }),
  });
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

/** A response header by name, whatever case the app wrote it in. */
function headerOf(headers: HostResponse['headers'] | undefined, name: string): string | string[] | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
