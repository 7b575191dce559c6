/**
 * The trips API's answer to an error a request ended with: a refusal (`ApiError`) answers with its
 * own status and body; the Durable backend or a store being busy answers 429/503 with
 * `Retry-After` (the caller's "try later"); anything else is a server fault, logged here and
 * answered with a generic 500 that reveals nothing.
 */
import type { HttpResponseInit } from '@azure/functions';
import { WaypointError } from '../../domain/errors';
import { createLogger } from '../../telemetry/logger';
import { ApiError } from '../../travel/api/errors';
import { DurableCapacityError } from '../durable-client-capacity';

const log = createLogger('trips-api');

/** Seconds a caller refused for capacity is asked to wait. */
const CAPACITY_RETRY_AFTER_S = '5';
/** Seconds a caller at its cap of unfinished runs is asked to wait. */
const TOO_MANY_RUNS_RETRY_AFTER_S = '30';

/** What the request was, for the log line of a server fault. */
export interface FailedRequest {
  method: string;
  url: string;
}

/** The HTTP answer to `error`, which ended `request`. */
export function errorResponse(error: unknown, request: FailedRequest): HttpResponseInit {
  const capacity = capacityError(error);
  if (capacity) {
    return {
      status: capacity.status,
      jsonBody: capacity.body(),
      headers: { 'Retry-After': CAPACITY_RETRY_AFTER_S },
    };
  }
  if (error instanceof ApiError) {
    return {
      status: error.status,
      jsonBody: error.body(),
      ...(error.status === 401 ? { headers: { 'WWW-Authenticate': 'Bearer' } } : {}),
      ...(error.status === 429 ? { headers: { 'Retry-After': TOO_MANY_RUNS_RETRY_AFTER_S } } : {}),
    };
  }
  log.error('trips API request failed', {
    method: request.method,
    url: new URL(request.url).pathname,
    error: error instanceof Error ? error.message : String(error),
  });
  return {
    status: 500,
    jsonBody: { error: { code: 'internal_error', message: 'The request failed on the server; try again.' } },
  };
}

/**
 * The refusal that answers a capacity error: the Durable endpoint's 429 (the local host's
 * `too_many_instances` or `too_many_events`) or 503, or a store that is busy for now (run slots
 * under contention, SQLite locked, Cosmos throttling: a retryable `WaypointError`).
 */
export function capacityError(error: unknown): ApiError | undefined {
  if (error instanceof DurableCapacityError) {
    return error.status === 429
      ? new ApiError(429, 'too_busy', 'The server is at capacity for now; retry after a few seconds.')
      : new ApiError(
          503,
          'unavailable',
          'The orchestration backend is unavailable; retry after a few seconds.',
        );
  }
  if (error instanceof WaypointError && !(error instanceof ApiError) && error.retryable) {
    return new ApiError(503, 'unavailable', 'The server is busy; retry after a few seconds.');
  }
  return undefined;
}
