import { IdempotencyInProgressError } from '../domain/errors';
import type { Clock } from '../stores/clock';
import type { IdempotencyRecord, IdempotencyStore } from '../stores/types';
import type { Logger } from '../telemetry/logger';

/**
 * Call-level idempotency around side-effecting tool calls (idempotency layer 2 in docs/architecture.md), on top of an
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
 * A pending claim is taken over when this process saw its own attempt on that very claim end (it
 * failed retryably here), or when the claim is older than `pendingStaleAfterMs`. Stale means the
 * owner has finished: its attempt must end by `claimDeadline` — the claim's time plus the stale
 * window minus `staleMarginMs`, a margin that leaves room to record the result and for clock
 * skew between workers — so once the window has passed, nobody is still calling with that claim.
 * Otherwise the caller gets a retryable `IdempotencyInProgressError` telling it when the claim
 * will be stale.
 *
 * Every store write names the claim it acts on (`claimId`): a takeover replaces only the claim the
 * caller saw, and a previous owner's late `complete` or `release` cannot touch its successor's.
 */
export type Admission = { kind: 'replay'; result: unknown } | { kind: 'proceed'; attempt: CallAttempt };

export interface CallAttempt {
  /**
   * When the attempt must be over (epoch ms, by the ledger's clock): past it, the claim may be
   * taken over by another worker. The tool client bounds the call's timeout by it.
   */
  readonly deadline: number;
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

/** The smallest safety margin between an attempt's deadline and its claim going stale. */
export const MIN_STALE_MARGIN_MS = 2_000;

/**
 * How long before its claim goes stale an attempt must be over: time to record the result, and
 * slack for clock skew between workers (each judges staleness by its own clock).
 */
export function staleMarginMs(pendingStaleAfterMs: number): number {
  return Math.max(MIN_STALE_MARGIN_MS, Math.ceil(pendingStaleAfterMs * 0.2));
}

/** The longest call timeout that ends before its claim's margin: the stale window minus the margin. */
export function maxCallTimeoutMs(pendingStaleAfterMs: number): number {
  return pendingStaleAfterMs - staleMarginMs(pendingStaleAfterMs);
}

/** When an attempt holding `record`'s claim must be over (epoch ms). */
export function claimDeadline(
  record: Pick<IdempotencyRecord, 'updatedAt'>,
  pendingStaleAfterMs: number,
): number {
  return Date.parse(record.updatedAt) + maxCallTimeoutMs(pendingStaleAfterMs);
}

/** Keys whose attempt ended here without an answer, remembered for takeover; bounded. */
const MAX_INTERRUPTED_KEYS = 10_000;

export class CallLedger {
  /** Keys whose attempt is running in this process. */
  private readonly inFlight = new Set<string>();
  /** The claim of each key whose last attempt in this process ended without an answer (a retryable failure). */
  private readonly interrupted = new Map<string, string>();

  constructor(private readonly options: CallLedgerOptions) {
    if (maxCallTimeoutMs(options.pendingStaleAfterMs) <= 0) {
      throw new RangeError(
        `pendingStaleAfterMs (${options.pendingStaleAfterMs}) leaves no time for a call after its ${staleMarginMs(options.pendingStaleAfterMs)} ms margin.`,
      );
    }
  }

  /**
   * Decides whether the call with `key` may run. Throws IdempotencyConflictError when the key
   * belongs to another request, IdempotencyInProgressError when another attempt may still run.
   * Concurrent admissions are safe: the store's atomic claim and takeover let exactly one of them
   * proceed.
   */
  async admit(key: string, requestHash: string): Promise<Admission> {
    const { store, ttlSeconds, pendingStaleAfterMs, clock } = this.options;
    const ttl = ttlSeconds === undefined ? {} : { ttlSeconds };
    const first = await store.claim(key, requestHash, ttl);
    if (first.outcome === 'claimed') return this.proceed(key, requestHash, first.record);
    const seen = first.record;
    if (seen.status === 'done') {
      this.interrupted.delete(key);
      return { kind: 'replay', result: seen.result };
    }

    if (this.inFlight.has(key)) throw new IdempotencyInProgressError(key);
    const ageMs = clock().getTime() - Date.parse(seen.updatedAt);
    // Only the claim our own attempt held: if another worker has taken over since, it is theirs.
    const ownAttemptEnded = this.interrupted.get(key) === seen.claimId;
    if (!ownAttemptEnded && ageMs < pendingStaleAfterMs) {
      throw new IdempotencyInProgressError(key, Math.max(100, pendingStaleAfterMs - ageMs));
    }
    // Cleared before the first await, so a concurrent duplicate here cannot take the same shortcut.
    this.interrupted.delete(key);
    // One conditional write replaces exactly the claim we saw; if anyone got there first, theirs stands.
    this.options.logger.info('taking over pending tool call', { key, ageMs, ownAttemptEnded });
    const again = await store.takeOver(key, requestHash, seen.claimId, ttl);
    if (again.outcome === 'claimed') return this.proceed(key, requestHash, again.record);
    if (again.record.status === 'done') return { kind: 'replay', result: again.record.result };
    const againAgeMs = clock().getTime() - Date.parse(again.record.updatedAt);
    throw new IdempotencyInProgressError(key, Math.max(100, pendingStaleAfterMs - againAgeMs));
  }

  private proceed(key: string, requestHash: string, record: IdempotencyRecord): Admission {
    const { store, logger, pendingStaleAfterMs } = this.options;
    const { claimId } = record;
    this.inFlight.add(key);
    this.interrupted.delete(key);
    return {
      kind: 'proceed',
      attempt: {
        deadline: claimDeadline(record, pendingStaleAfterMs),
        succeeded: async (result) => {
          try {
            const outcome = await store.complete(key, requestHash, claimId, result);
            if (outcome.outcome === 'claim_lost') {
              // Our claim went stale and another worker took over: its attempt records the result.
              logger.warn('tool call finished after its claim was taken over', { key });
            }
          } catch (error) {
            // The call itself succeeded; a later retry will re-send and the server replays its booking.
            logger.warn('could not record tool call result', { key, error });
          } finally {
            this.inFlight.delete(key);
          }
        },
        failedRetryably: () => {
          this.inFlight.delete(key);
          this.interrupted.delete(key); // re-inserted last, so the oldest entry is evicted first
          this.interrupted.set(key, claimId);
          if (this.interrupted.size > MAX_INTERRUPTED_KEYS) {
            const oldest = this.interrupted.keys().next().value;
            if (oldest !== undefined) this.interrupted.delete(oldest);
          }
        },
        failedPermanently: async () => {
          try {
            // A no-op when our claim was taken over: the new owner's attempt decides the key's fate.
            await store.release(key, requestHash, claimId);
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
