import { describe, expect, it } from 'vitest';
import {
  checkWriteRetryWindow,
  DEFAULT_RETRY_POLICIES,
  retryPoliciesSchema,
  totalRetryWindowMs,
  type RetryPolicy,
} from '../../../src/agents/retry';

const policy = (over: Partial<RetryPolicy> = {}): RetryPolicy => ({
  firstRetryIntervalMs: 1_000,
  backoffCoefficient: 2,
  maxRetryIntervalMs: 5_000,
  maxAttempts: 5,
  retryTimeoutMs: 0,
  ...over,
});

describe('totalRetryWindowMs', () => {
  it('sums the waits between attempts, each capped by the max interval', () => {
    // waits: 1000, 2000, 4000, min(8000, 5000)
    expect(totalRetryWindowMs(policy())).toBe(12_000);
  });

  it('is zero for a single attempt and linear with coefficient 1', () => {
    expect(totalRetryWindowMs(policy({ maxAttempts: 1 }))).toBe(0);
    expect(totalRetryWindowMs(policy({ backoffCoefficient: 1, maxAttempts: 4 }))).toBe(3_000);
  });

  it('is bounded by the retry timeout when one is set', () => {
    expect(totalRetryWindowMs(policy({ retryTimeoutMs: 2_500 }))).toBe(2_500);
    expect(totalRetryWindowMs(policy({ retryTimeoutMs: 60_000 }))).toBe(12_000);
  });

  it('gives the default write policy a longer window than the read policy', () => {
    expect(totalRetryWindowMs(DEFAULT_RETRY_POLICIES.toolWrite)).toBeGreaterThan(
      totalRetryWindowMs(DEFAULT_RETRY_POLICIES.toolRead),
    );
    expect(retryPoliciesSchema.parse(DEFAULT_RETRY_POLICIES)).toEqual(DEFAULT_RETRY_POLICIES);
  });
});

describe('checkWriteRetryWindow', () => {
  it('accepts a write policy that keeps retrying past the stale window', () => {
    expect(() => checkWriteRetryWindow(policy(), 11_999)).not.toThrow();
    expect(() => checkWriteRetryWindow(DEFAULT_RETRY_POLICIES.toolWrite, 60_000)).not.toThrow();
  });

  it('refuses a write policy that gives up at or before the stale window, saying what to change', () => {
    expect(() => checkWriteRetryWindow(policy(), 12_000)).toThrow(
      /retries for 12000 ms.*MCP_PENDING_STALE_MS \(12000 ms\)/,
    );
    expect(() => checkWriteRetryWindow(policy({ retryTimeoutMs: 3_000 }), 10_000)).toThrow(
      /Raise maxAttempts/,
    );
  });
});
