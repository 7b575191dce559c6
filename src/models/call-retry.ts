/**
 * When one model call tries again, and for how long it waits: the rules, apart from the I/O.
 * A retryable failure is tried again up to `maxRetries` times within the call's deadline, after
 * the server's Retry-After when it gave one and an exponential backoff otherwise. A server that
 * asks for a longer wait than `maxRetryWaitMs` ends the call at once with a clear, permanent
 * `model_busy` error: sitting through it would hold the activity, and Durable's retry policy
 * cannot be told to wait that long.
 */
import { WaypointError } from '../domain/errors';

export interface CallRetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  /** The longest Retry-After honoured. */
  maxRetryWaitMs: number;
  /** First backoff without a Retry-After (then doubled per attempt, up to `maxBackoffMs`). */
  firstBackoffMs?: number;
  maxBackoffMs?: number;
}

export type RetryDecision = { retry: true; waitMs: number } | { retry: false; error: WaypointError };

/**
 * What to do after `error` on attempt `attempt` (0-based) with `remainingMs` left before the
 * call's deadline. `jitter` (0–1) spreads backoffs of parallel callers; tests pass a fixed one.
 */
export function retryDecision(
  error: WaypointError,
  attempt: number,
  remainingMs: number,
  policy: CallRetryPolicy,
  jitter: number = Math.random(),
): RetryDecision {
  if (!error.retryable) return { retry: false, error };
  const asked = error.retryAfterMs;
  if (asked !== undefined && asked > policy.maxRetryWaitMs)
    return { retry: false, error: busy(error, asked, policy) };
  if (attempt >= policy.maxRetries) return { retry: false, error };
  const waitMs = asked ?? backoffMs(attempt, policy, jitter);
  // Not enough time left to wait and try again: the caller's retry policy takes it from here.
  if (waitMs >= remainingMs) return { retry: false, error };
  return { retry: true, waitMs };
}

/** 0.5 s, 1 s, 2 s … up to 8 s, each between 75 % and 100 % of that. */
export function backoffMs(attempt: number, policy: CallRetryPolicy, jitter: number): number {
  const first = policy.firstBackoffMs ?? 500;
  const max = policy.maxBackoffMs ?? 8_000;
  const full = Math.min(max, first * 2 ** attempt);
  return Math.round(full * (0.75 + 0.25 * Math.min(1, Math.max(0, jitter))));
}

function busy(cause: WaypointError, askedMs: number, policy: CallRetryPolicy): WaypointError {
  return new WaypointError(
    'model_busy',
    `The AI model service is busy and asked us to wait ${duration(askedMs)}, longer than we wait ` +
      `(${duration(policy.maxRetryWaitMs)}). Please try again later.`,
    {
      retryable: false,
      cause,
      details: { retryAfterMs: askedMs, maxRetryWaitMs: policy.maxRetryWaitMs, ...detailsOf(cause) },
    },
  );
}

function detailsOf(error: WaypointError): Record<string, unknown> {
  return error.details !== null && typeof error.details === 'object'
    ? (error.details as Record<string, unknown>)
    : {};
}

/** "40 s", "5 min", "2 h": how a person reads a wait. */
export function duration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  if (seconds < 120) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}
