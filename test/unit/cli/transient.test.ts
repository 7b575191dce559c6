import { describe, expect, it } from 'vitest';
import { decide, errorCode, retryAfterMs, type Attempt } from '../../../src/cli/transient';

/** What node's fetch throws when the connection fails: a TypeError with the system error as cause. */
function fetchFailed(code: string): Attempt {
  return {
    kind: 'error',
    error: new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) }),
  };
}
const answer = (status: number, retryAfter: string | null = null): Attempt => ({
  kind: 'answer',
  status,
  retryAfter,
});
const NOW = Date.parse('2027-01-01T00:00:00Z');

describe('decide: what the trip CLI sends again', () => {
  it('sends anything again after a refused connection (the request never reached the app)', () => {
    expect(decide(fetchFailed('ECONNREFUSED'), false, 0, NOW)).toEqual({
      retry: true,
      waitMs: 250,
      reason: 'connection refused',
    });
  });

  it('sends a repeatable request again after a reset or a timeout, a non-repeatable one not', () => {
    expect(decide(fetchFailed('ECONNRESET'), true, 0, NOW)).toMatchObject({
      retry: true,
      reason: 'connection reset',
    });
    expect(decide(fetchFailed('UND_ERR_SOCKET'), true, 0, NOW)).toMatchObject({ retry: true });
    const timeout: Attempt = { kind: 'error', error: new DOMException('timed out', 'TimeoutError') };
    expect(decide(timeout, true, 0, NOW)).toMatchObject({ retry: true, reason: 'no answer in time' });
    // A POST without a key may have been done before its answer was lost.
    expect(decide(fetchFailed('ECONNRESET'), false, 0, NOW)).toEqual({ retry: false });
    expect(decide(timeout, false, 0, NOW)).toEqual({ retry: false });
  });

  it('does not retry what is not a connection failure (a bug, a bad URL)', () => {
    expect(decide({ kind: 'error', error: new TypeError('Invalid URL') }, true, 0, NOW)).toEqual({
      retry: false,
    });
    expect(decide(fetchFailed('ERR_INVALID_URL'), true, 0, NOW)).toEqual({ retry: false });
  });

  it('honours 429 and 503 with Retry-After for any request, at least the backoff, at most 10 s', () => {
    expect(decide(answer(503, '1'), false, 0, NOW)).toEqual({
      retry: true,
      waitMs: 1_000,
      reason: 'HTTP 503, unavailable',
    });
    expect(decide(answer(429, '0'), false, 3, NOW)).toMatchObject({ retry: true, waitMs: 2_000 });
    expect(decide(answer(429, '3600'), false, 0, NOW)).toMatchObject({ retry: true, waitMs: 10_000 });
    expect(decide(answer(503, new Date(NOW + 4_000).toUTCString()), false, 0, NOW)).toMatchObject({
      waitMs: 4_000,
    });
  });

  it('retries 502/503/504 without Retry-After only when repeatable; other answers are answers', () => {
    for (const status of [502, 503, 504]) {
      expect(decide(answer(status), true, 1, NOW)).toEqual({
        retry: true,
        waitMs: 500,
        reason: `HTTP ${status}`,
      });
      expect(decide(answer(status), false, 1, NOW)).toEqual({ retry: false });
    }
    for (const status of [200, 202, 400, 404, 409, 422, 500]) {
      expect(decide(answer(status, '1'), true, 0, NOW)).toEqual({ retry: false });
    }
  });

  it('backs off exponentially up to 5 s', () => {
    const waits = [0, 1, 2, 3, 4, 5, 10].map(
      (attempt) => (decide(fetchFailed('ECONNREFUSED'), true, attempt, NOW) as { waitMs: number }).waitMs,
    );
    expect(waits).toEqual([250, 500, 1_000, 2_000, 4_000, 5_000, 5_000]);
  });
});

describe('retryAfterMs and errorCode', () => {
  it('reads seconds and HTTP dates, ignores what it cannot read', () => {
    expect(retryAfterMs('2', NOW)).toBe(2_000);
    expect(retryAfterMs(new Date(NOW - 5_000).toUTCString(), NOW)).toBe(0);
    expect(retryAfterMs(null, NOW)).toBeUndefined();
    expect(retryAfterMs('', NOW)).toBeUndefined();
    expect(retryAfterMs('soon', NOW)).toBeUndefined();
    expect(retryAfterMs('-1', NOW)).toBeUndefined();
  });

  it('finds the code on the error or down its cause chain', () => {
    expect(errorCode(Object.assign(new Error('x'), { code: 'EPIPE' }))).toBe('EPIPE');
    expect(errorCode(new Error('a', { cause: new Error('b', { cause: { code: 'ECONNRESET' } }) }))).toBe(
      'ECONNRESET',
    );
    expect(errorCode(new Error('none'))).toBeUndefined();
    expect(errorCode('text')).toBeUndefined();
  });
});
