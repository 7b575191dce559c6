import { describe, expect, it } from 'vitest';
import { TransientError, WaypointError } from '../../../src/domain/errors';
import { backoffMs, duration, retryDecision } from '../../../src/models/call-retry';

const policy = { maxRetries: 2, maxRetryWaitMs: 60_000 };

describe('retryDecision', () => {
  it('never retries a permanent error', () => {
    const permanent = new WaypointError('model_error', 'refused');
    expect(retryDecision(permanent, 0, 100_000, policy, 0)).toEqual({ retry: false, error: permanent });
  });

  it('waits what the server asked, within the cap', () => {
    const limited = new TransientError('busy', { retryAfterMs: 40_000 });
    expect(retryDecision(limited, 0, 100_000, policy, 0)).toEqual({ retry: true, waitMs: 40_000 });
  });

  it('fails at once, permanently and in plain words, when the server asks for more than the cap', () => {
    const limited = new TransientError('busy', { retryAfterMs: 300_000, details: { status: 429 } });
    const decision = retryDecision(limited, 0, 1_000_000, policy, 0);
    expect(decision.retry).toBe(false);
    expect(!decision.retry && decision.error).toMatchObject({
      code: 'model_busy',
      retryable: false,
      message:
        'The AI model service is busy and asked us to wait 5 min, longer than we wait (60 s). Please try again later.',
      details: { retryAfterMs: 300_000, maxRetryWaitMs: 60_000, status: 429 },
    });
  });

  it('backs off exponentially without a server wait, and stops after maxRetries or at the deadline', () => {
    const flaky = new TransientError('down');
    expect(retryDecision(flaky, 0, 100_000, policy, 1)).toEqual({ retry: true, waitMs: 500 });
    expect(retryDecision(flaky, 1, 100_000, policy, 1)).toEqual({ retry: true, waitMs: 1000 });
    expect(retryDecision(flaky, 2, 100_000, policy, 1)).toEqual({ retry: false, error: flaky });
    expect(retryDecision(flaky, 0, 400, policy, 1)).toEqual({ retry: false, error: flaky });
  });
});

describe('backoffMs and duration', () => {
  it('caps the backoff and spreads it by the jitter', () => {
    expect(backoffMs(10, policy, 1)).toBe(8000);
    expect(backoffMs(0, policy, 0)).toBe(375);
  });

  it('reads waits as a person would', () => {
    expect(duration(40_000)).toBe('40 s');
    expect(duration(300_000)).toBe('5 min');
    expect(duration(7_200_000)).toBe('2 h');
    expect(duration(800)).toBe('1 s');
  });
});
