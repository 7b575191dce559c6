/**
 * The Durable Task retry algorithm for `callActivityWithRetry` / `callSubOrchestratorWithRetry`,
 * as the extension's RetryInterceptor applies it: after failed attempt k, wait
 * min(first × coefficient^(k-1), maxInterval), unless attempts or the retry timeout are used up.
 */
export interface RetryOptionsWire {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

const sixDaysMs = 6 * 24 * 60 * 60 * 1000;

export type RetryDecision =
  | { retry: true; delayMs: number }
  | { retry: false; reason: 'attempts' | 'timeout' };

/**
 * @param attempt the attempt that just failed (1-based)
 * @param firstAttemptAtMs when the first attempt was scheduled
 * @param nowMs when the failure was observed
 */
export function decideRetry(
  options: RetryOptionsWire,
  attempt: number,
  firstAttemptAtMs: number,
  nowMs: number,
): RetryDecision {
  if (attempt >= options.maxNumberOfAttempts) return { retry: false, reason: 'attempts' };
  const timeout = options.retryTimeoutInMilliseconds;
  if (
    timeout !== undefined &&
    timeout > 0 &&
    timeout < Number.MAX_SAFE_INTEGER &&
    nowMs >= firstAttemptAtMs + timeout
  ) {
    return { retry: false, reason: 'timeout' };
  }
  const coefficient =
    options.backoffCoefficient && options.backoffCoefficient > 0 ? options.backoffCoefficient : 1;
  const maxInterval =
    options.maxRetryIntervalInMilliseconds && options.maxRetryIntervalInMilliseconds > 0
      ? options.maxRetryIntervalInMilliseconds
      : sixDaysMs;
  const delayMs = Math.min(
    options.firstRetryIntervalInMilliseconds * Math.pow(coefficient, attempt - 1),
    maxInterval,
  );
  return { retry: true, delayMs: Math.max(0, Math.round(delayMs)) };
}
