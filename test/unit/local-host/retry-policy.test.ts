import { describe, expect, it } from 'vitest';
import { decideRetry } from '../../../src/local-host/durable/retry-policy';

const base = { firstRetryIntervalInMilliseconds: 1000, maxNumberOfAttempts: 5 };

describe('Durable retry policy', () => {
  it('waits first × coefficient^(attempt-1)', () => {
    const options = { ...base, backoffCoefficient: 2 };
    expect([1, 2, 3, 4].map((attempt) => decideRetry(options, attempt, 0, 0))).toEqual([
      { retry: true, delayMs: 1000 },
      { retry: true, delayMs: 2000 },
      { retry: true, delayMs: 4000 },
      { retry: true, delayMs: 8000 },
    ]);
  });

  it('uses a coefficient of 1 by default', () => {
    expect(decideRetry(base, 3, 0, 0)).toEqual({ retry: true, delayMs: 1000 });
  });

  it('caps the delay at maxRetryIntervalInMilliseconds', () => {
    const options = { ...base, backoffCoefficient: 10, maxRetryIntervalInMilliseconds: 5000 };
    expect(decideRetry(options, 3, 0, 0)).toEqual({ retry: true, delayMs: 5000 });
  });

  it('stops after maxNumberOfAttempts', () => {
    expect(decideRetry(base, 5, 0, 0)).toEqual({ retry: false, reason: 'attempts' });
  });

  it('stops once the retry timeout has passed since the first attempt', () => {
    const options = { ...base, retryTimeoutInMilliseconds: 3000 };
    expect(decideRetry(options, 2, 10_000, 12_999)).toEqual({ retry: true, delayMs: 1000 });
    expect(decideRetry(options, 2, 10_000, 13_000)).toEqual({ retry: false, reason: 'timeout' });
  });
});
