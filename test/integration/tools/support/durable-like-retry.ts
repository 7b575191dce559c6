import { isRetryable } from '../../../../src/domain/errors';

export interface RetryPolicy {
  maxAttempts: number;
  firstIntervalMs: number;
  backoffCoefficient: number;
  maxIntervalMs: number;
}

/** Small intervals with Durable's shape, so fault tests stay fast. */
export const FAST_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 12,
  firstIntervalMs: 20,
  backoffCoefficient: 2,
  maxIntervalMs: 250,
};

/**
 * For callers that wait on another call (in-progress keys): the same shape, with a budget of
 * about 15 s, so a slow machine running other tests cannot make them give up.
 */
export const PATIENT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 60,
  firstIntervalMs: 20,
  backoffCoefficient: 2,
  maxIntervalMs: 250,
};

export interface RetriedResult<T> {
  value: T;
  attempts: number;
  /** The `code` of every error thrown before the attempt that returned. */
  thrown: string[];
}

/**
 * What `callActivityWithRetry` does with an activity: every throw is retried after a growing
 * interval, up to `maxAttempts`; a returned value (success or typed failure) ends it. Non-retryable
 * throws are retried too (Durable cannot tell), which is why the client must never throw them:
 * the test records each throw's code to check that.
 */
export async function retryLikeDurable<T>(
  attempt: () => Promise<T>,
  policy = FAST_RETRY_POLICY,
): Promise<RetriedResult<T>> {
  const thrown: string[] = [];
  let interval = policy.firstIntervalMs;
  for (let n = 1; ; n++) {
    try {
      return { value: await attempt(), attempts: n, thrown };
    } catch (error) {
      thrown.push(isRetryable(error) ? (error as { code: string }).code : `NON-RETRYABLE:${String(error)}`);
      if (n >= policy.maxAttempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, interval));
      interval = Math.min(interval * policy.backoffCoefficient, policy.maxIntervalMs);
    }
  }
}
