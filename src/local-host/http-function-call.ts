/**
 * Calls an app's HTTP trigger as the Functions host does: the request as an `HttpRequest` of the
 * app's own @azure/functions, its answer (an `HttpResponse` or a plain init object) as a host response.
 */
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { HttpResponseInit } from '@azure/functions';
import type { FrontDoorOptions, HostRequest, HostResponse } from './front-door';
import type { HttpRoute } from './function-routes';
import { queryAsTheHostSendsIt } from './host-query';

export async function invokeHttpFunction(
  options: Pick<FrontDoorOptions, 'app' | 'invoker' | 'extraInputsByType'>,
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

function definedHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) defined[name] = value;
  return defined;
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
