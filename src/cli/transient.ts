/**
 * Which failures of a request to the trips API are worth sending again, and after how long. Pure:
 * the caller does the fetching, the waiting and the telling.
 *
 * A request is sent again only when that cannot do anything twice: a connection refused never
 * reached the app; a 429 or a 503 with Retry-After says the app did nothing (busy, or stopping for
 * a restart); any other lost answer (reset, timeout, 502/503/504 from something in front) only
 * when the request is `repeatable` — a read, or a start that carries its Idempotency-Key.
 */

/** What became of one attempt. */
export type Attempt =
  | { kind: 'answer'; status: number; retryAfter: string | null }
  | { kind: 'error'; error: unknown };

export type Decision = { retry: false } | { retry: true; waitMs: number; reason: string };

export interface RetryPolicy {
  /** First wait; each later one doubles, up to `maxWaitMs`. */
  firstWaitMs: number;
  maxWaitMs: number;
  /** Longest wait a Retry-After may ask for (a longer one is honoured up to this). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  firstWaitMs: 250,
  maxWaitMs: 5_000,
  maxRetryAfterMs: 10_000,
};

/** Codes of a connection that failed (node's fetch puts them on the error's `cause`). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/**
 * Whether to send the request again after `attempt` (0 = the first try failed) and how long to
 * wait first. `now` is for Retry-After given as an HTTP date.
 */
export function decide(
  outcome: Attempt,
  repeatable: boolean,
  attempt: number,
  now: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
): Decision {
  const backoff = Math.min(policy.firstWaitMs * 2 ** attempt, policy.maxWaitMs);
  if (outcome.kind === 'error') {
    const code = errorCode(outcome.error);
    if (code === 'ECONNREFUSED') return { retry: true, waitMs: backoff, reason: 'connection refused' };
    const timedOut = isTimeout(outcome.error);
    if (!repeatable || (!timedOut && (code === undefined || !CONNECTION_CODES.has(code))))
      return { retry: false };
    return { retry: true, waitMs: backoff, reason: timedOut ? 'no answer in time' : describe(code!) };
  }
  const { status } = outcome;
  const asked = retryAfterMs(outcome.retryAfter, now);
  if ((status === 429 || status === 503) && asked !== undefined)
    return {
      retry: true,
      waitMs: Math.min(Math.max(asked, backoff), policy.maxRetryAfterMs),
      reason: status === 429 ? 'HTTP 429, too many requests' : 'HTTP 503, unavailable',
    };
  if (repeatable && (status === 502 || status === 503 || status === 504))
    return { retry: true, waitMs: backoff, reason: `HTTP ${status}` };
  return { retry: false };
}

/** Retry-After in ms (seconds or an HTTP date), or undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The system error code of a failed fetch (on the error, or on its cause chain). */
export function errorCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

function describe(code: string): string {
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED')
    return 'connection reset';
  return code;
}
