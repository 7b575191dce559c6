/**
 * Retry policy per activity kind: first interval, backoff coefficient, max interval,
 * max attempts, retry timeout. Values come from config and travel in the orchestration input, so
 * the orchestrator stays deterministic.
 */
import { z } from 'zod';

export const retryPolicySchema = z.object({
  firstRetryIntervalMs: z.number().int().positive(),
  backoffCoefficient: z.number().min(1),
  maxRetryIntervalMs: z.number().int().positive(),
  maxAttempts: z.number().int().min(1),
  /** Total time across attempts; 0 means no limit beyond maxAttempts. */
  retryTimeoutMs: z.number().int().nonnegative(),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const ACTIVITY_KINDS = ['model', 'toolRead', 'toolWrite'] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export const retryPoliciesSchema = z.object({
  model: retryPolicySchema,
  toolRead: retryPolicySchema,
  toolWrite: retryPolicySchema,
});
export type RetryPolicies = z.infer<typeof retryPoliciesSchema>;

/**
 * Defaults. A retried write must outlast the tool layer's stale window (MCP_PENDING_STALE_MS):
 * until then its pending claim answers "in progress", so the write policy keeps trying for
 * longer than that window (checked at start-up by `checkWriteRetryWindow`).
 */
export const DEFAULT_RETRY_POLICIES: RetryPolicies = {
  model: {
    firstRetryIntervalMs: 2_000,
    backoffCoefficient: 2,
    maxRetryIntervalMs: 30_000,
    maxAttempts: 4,
    retryTimeoutMs: 0,
  },
  toolRead: {
    firstRetryIntervalMs: 1_000,
    backoffCoefficient: 2,
    maxRetryIntervalMs: 15_000,
    maxAttempts: 4,
    retryTimeoutMs: 0,
  },
  toolWrite: {
    firstRetryIntervalMs: 2_000,
    backoffCoefficient: 2,
    maxRetryIntervalMs: 30_000,
    maxAttempts: 8,
    retryTimeoutMs: 0,
  },
};

/** The time the policy keeps retrying for (sum of the waits between attempts). */
export function totalRetryWindowMs(policy: RetryPolicy): number {
  let total = 0;
  let interval = policy.firstRetryIntervalMs;
  for (let attempt = 1; attempt < policy.maxAttempts; attempt++) {
    total += Math.min(interval, policy.maxRetryIntervalMs);
    interval *= policy.backoffCoefficient;
  }
  return policy.retryTimeoutMs > 0 ? Math.min(total, policy.retryTimeoutMs) : total;
}

/**
 * A write retried after a timeout finds its own claim pending until the claim goes stale; the
 * policy must keep retrying past that point or the write fails although it could have finished.
 */
export function checkWriteRetryWindow(policy: RetryPolicy, pendingStaleAfterMs: number): void {
  const window = totalRetryWindowMs(policy);
  if (window <= pendingStaleAfterMs) {
    throw new Error(
      `The toolWrite retry policy retries for ${window} ms, not longer than MCP_PENDING_STALE_MS (${pendingStaleAfterMs} ms): ` +
        'a retried write could give up while its own claim is still pending. Raise maxAttempts or the intervals.',
    );
  }
}
