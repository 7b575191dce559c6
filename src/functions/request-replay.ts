/**
 * `Idempotency-Key` on a request that changes a run (POST /api/trips/{id}/input): the first
 * request with a key does its work and records its answer in the idempotency store; a repeat of
 * it gets the recorded answer back and does nothing again. The same key with another request is
 * refused (422); a repeat that arrives while the first is still working waits briefly for it.
 */
import { IdempotencyConflictError } from '../domain/errors';
import type { IdempotencyStore } from '../stores/types';
import { ApiError } from '../travel/api/errors';

export interface Replayable<T> {
  value: T;
  /** True when `value` is the recorded answer of an earlier request with the key. */
  replayed: boolean;
}

/** How long a repeat waits for the first request with its key to finish, and how often it looks. */
const inFlightWait = { totalMs: 3_000, stepMs: 50 };

/**
 * Runs `work` once per `recordKey` and request: `work`'s value is recorded; a failed `work` records
 * nothing (the key may be used again). Without a key (`recordKey` undefined) it just runs `work`.
 */
export async function once<T>(
  store: IdempotencyStore,
  recordKey: string | undefined,
  requestHash: string,
  work: () => Promise<T>,
): Promise<Replayable<T>> {
  if (recordKey === undefined) return { value: await work(), replayed: false };
  const deadline = Date.now() + inFlightWait.totalMs;
  for (;;) {
    let claim;
    try {
      claim = await store.claim(recordKey, requestHash);
    } catch (error) {
      if (error instanceof IdempotencyConflictError) throw keyReused();
      throw error;
    }
    if (claim.outcome === 'claimed')
      return {
        value: await recordWork(store, recordKey, requestHash, claim.record.claimId, work),
        replayed: false,
      };
    if (claim.record.status === 'done') return { value: claim.record.result as T, replayed: true };
    // The first request with this key is still working: wait for its answer, or for the key to free up.
    if (Date.now() >= deadline) {
      throw new ApiError(
        409,
        'request_in_progress',
        'A request with this Idempotency-Key is still being processed; retry in a moment.',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, inFlightWait.stepMs));
  }
}

/** Runs `work` under the caller's claim: records its value, or frees the key when it fails. */
async function recordWork<T>(
  store: IdempotencyStore,
  recordKey: string,
  requestHash: string,
  claimId: string,
  work: () => Promise<T>,
): Promise<T> {
  let value: T;
  try {
    value = await work();
  } catch (error) {
    await store.release(recordKey, requestHash, claimId).catch(() => false);
    throw error;
  }
  const completed = await store.complete(recordKey, requestHash, claimId, value);
  // Only this claim can complete the key; another value here would mean the store lost the claim.
  return completed.outcome === 'already_done' ? (completed.record.result as T) : value;
}

function keyReused(): ApiError {
  return new ApiError(
    422,
    'idempotency_key_reused',
    'This Idempotency-Key was already used for a different request; use a new key for a new request.',
  );
}
