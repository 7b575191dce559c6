/**
 * The host's own error answers: an HttpError thrown anywhere in the front door becomes a JSON body
 * with a stable code and the status it names; no stack trace leaves the host.
 */
import type { HostResponse } from './front-door';
import type { Refusal } from './request-guards';

export class HttpError extends Error {
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
