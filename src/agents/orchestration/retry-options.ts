import * as df from 'durable-functions';
import type { RetryPolicy } from '../retry';

/** The Durable RetryOptions for a policy from config. */
export function retryOptions(policy: RetryPolicy): df.RetryOptions {
  const options = new df.RetryOptions(policy.firstRetryIntervalMs, policy.maxAttempts);
  options.backoffCoefficient = policy.backoffCoefficient;
  options.maxRetryIntervalInMilliseconds = policy.maxRetryIntervalMs;
  if (policy.retryTimeoutMs > 0) options.retryTimeoutInMilliseconds = policy.retryTimeoutMs;
  return options;
}
