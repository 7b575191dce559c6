import { IdempotencyInProgressError } from '../domain/errors';
import type { Clock } from '../stores/clock';
import type { IdempotencyStore } from '../stores/types';
import type { Logger } from '../telemetry/logger';

/**
 * Call-level idempotency around side-effecting tool calls (DESIGN §6, layer 2), on top of an
 * `IdempotencyStore`:
 *
 * - a `done` key replays the stored result without calling the server;
 * - a fresh key is claimed `pending`, then completed with the result, or released after a
 *   permanent failure so a corrected call may try again;
 * - after a retryable failure the claim stays `pending`: whether the server committed is unknown.
 *   The retry (same key, same request) re-sends, and the server's own pre-write check on the key
 *   makes that safe.
 *
 * Who may proceed on a `pending` key? The same logical call retried, never a concurrent duplicate.
 * A pending record is taken over when this process saw its last attempt end (it failed
 * retryably here), or when it is older than `pendingStaleAfterMs`: every attempt is bounded by its
 * timeout, so by then the owner has finished, wherever it ran. Otherwise the caller gets a
 * retryable `IdempotencyInProgressError` telling it when the record will be stale.
 */
export type Admission = { kind: 'replay'; result: unknown } | { kind: 'proceed'; attempt: CallAttempt };

export interface CallAttempt {
  /** Records the result; later calls with the key replay it. */
  succeeded(result: unknown): Promise<void>;
  /** Leaves the claim pending so the retry of this call may take it over. */
  failedRetryably(): void;
  /** Drops the claim: the call had no effect, a different attempt may run. */
  failedPermanently(): Promise<void>;
}

export interface CallLedgerOptions {
  store: IdempotencyStore;
  pendingStaleAfterMs: number;
  /** TTL of the records (the store's default when unset). */
  ttlSeconds?: number;
  clock: Clock;
  logger: Logger;
}

/** Keys whose attempt ended here without an answer, remembered for takeover; bounded. */
const MAX_INTERRUPTED_KEYS = 10_000;

export class CallLedger {
  /** Keys whose attempt is running in this process. */
  private readonly inFlight = new Set<string>();
  /** Keys whose last attempt in this process ended without an answer (a retryable failure). */
  private readonly interrupted = new Set<string>();

  constructor(private readonly options: CallLedgerOptions) {}

  /**
   * Decides whether the call with `key` may run. Throws IdempotencyConflictError when the key
   * belongs to another request, IdempotencyInProgressError when another attempt may still run.
   * Concurrent admissions are safe: the store's atomic claim lets exactly one of them proceed.
   */
  async admit(key: string, requestHash: string): Promise<Admission> {
    const { store, ttlSeconds, pendingStaleAfterMs, clock } = this.options;
    const ttl = ttlSeconds === undefined ? {} : { ttlSeconds };
    const first = await store.claim(key, requestHash, ttl);
    if (first.outcome === 'claimed') return this.proceed(key, requestHash);
    if (first.record.status === 'done') {
      this.interrupted.delete(key);
      return { kind: 'replay', result: first.record.result };
    }

    if (this.inFlight.has(key)) throw new IdempotencyInProgressError(key);
    const ageMs = clock().getTime() - Date.parse(first.record.updatedAt);
    const ownAttemptEnded = this.interrupted.has(key);
    if (!ownAttemptEnded && ageMs < pendingStaleAfterMs) {
      throw new IdempotencyInProgressError(key, Math.max(100, pendingStaleAfterMs - ageMs));
    }
    // Cleared before the first await, so a concurrent duplicate here cannot take the same shortcut.
    this.interrupted.delete(key);
    // Take over: release and claim again, so the record is fresh and other workers back off.
    // If another caller claimed it in between, its claim wins and we report it in progress.
    this.options.logger.info('taking over pending tool call', { key, ageMs, ownAttemptEnded });
    await store.release(key, requestHash);
    const again = await store.claim(key, requestHash, ttl);
    if (again.outcome === 'claimed') return this.proceed(key, requestHash);
    if (again.record.status === 'done') return { kind: 'replay', result: again.record.result };
    throw new IdempotencyInProgressError(key, pendingStaleAfterMs);
  }

  private proceed(key: string, requestHash: string): Admission {
    const { store, logger } = this.options;
    this.inFlight.add(key);
    this.interrupted.delete(key);
    return {
      kind: 'proceed',
      attempt: {
        succeeded: async (result) => {
          try {
            await store.complete(key, requestHash, result);
          } catch (error) {
            // The call itself succeeded; a later retry will re-send and the server replays its booking.
            logger.warn('could not record tool call result', { key, error });
          } finally {
            this.inFlight.delete(key);
          }
        },
        failedRetryably: () => {
          this.inFlight.delete(key);
          this.interrupted.add(key);
          if (this.interrupted.size > MAX_INTERRUPTED_KEYS) {
            const oldest = this.interrupted.values().next().value;
            if (oldest !== undefined) this.interrupted.delete(oldest);
          }
        },
        failedPermanently: async () => {
          try {
            await store.release(key, requestHash);
          } catch (error) {
            // Left pending, the key becomes reusable once stale; the failure itself is still reported.
            logger.warn('could not release tool call claim', { key, error });
          } finally {
            this.inFlight.delete(key);
          }
        },
      },
    };
  }
}
