/**
 * The trips API's request and answer conventions: the optional Idempotency-Key header, the 202
 * that points at the run, and the mark of an answer replayed for a repeated request.
 */
import type { HttpRequest, HttpResponseInit } from '@azure/functions';
import { validationFailed } from '../../travel/api/errors';
import { idempotencyKeySchema } from '../../travel/api/run-id';
import type { RunResource } from '../../travel/api/run-resource';

/** The request's Idempotency-Key header, validated, if it has one. */
export function optionalIdempotencyKey(request: HttpRequest): string | undefined {
  const header = request.headers.get('idempotency-key');
  if (header === null) return undefined;
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) throw validationFailed(parsed.error, 'Idempotency-Key header', 'Idempotency-Key');
  return parsed.data;
}

/** 202 with the run resource, where to poll it, and how soon. */
export function accepted(request: HttpRequest, resource: RunResource): HttpResponseInit {
  return {
    status: 202,
    jsonBody: resource,
    headers: { Location: new URL(resource.links.self, request.url).href, 'Retry-After': '2' },
  };
}

/** `response` marked as the answer first given to the same idempotent request. */
export function replayed(response: HttpResponseInit): HttpResponseInit {
  return { ...response, headers: { ...response.headers, 'Idempotent-Replayed': 'true' } };
}
