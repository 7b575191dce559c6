/**
 * One racer thread of sqlite-multithread-race.test.ts: opens its own connection to the shared
 * SQLite file, waits at the start line, makes one store call and posts the outcome back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isRetryable } from '../../../../src/domain/errors';
import { SqliteBookingsStore } from '../../../../src/stores/sqlite/bookings-store';
import { SqliteIdempotencyStore } from '../../../../src/stores/sqlite/idempotency-store';
import { SqliteRunSlotStore } from '../../../../src/stores/sqlite/run-slots-store';
import type { Booking } from '../../../../src/stores/types';
import { awaitStart, type RacerData } from './thread-racers';

export type SqliteRace =
  | { operation: 'claim'; path: string; key: string }
  | { operation: 'takeOver'; path: string; key: string; observedClaimId: string }
  | { operation: 'createOnce'; path: string; booking: Booking }
  | { operation: 'acquireSlot'; path: string; owner: string; runId: string; limit: number };

export interface SqliteRaceResult {
  /** `claimed`/`existing` for claims and takeovers, `created`/`found` for bookings, `admitted`/`refused` for slots. */
  outcome: string;
  /** The claim id or booking id the racer ended up with. */
  id: string;
  /** Busy errors retried before the call went through (as Durable would retry them). */
  retries: number;
}

async function run(race: SqliteRace): Promise<SqliteRaceResult> {
  if (race.operation === 'acquireSlot') {
    const slots = SqliteRunSlotStore.open(race.path);
    try {
      return await withRetries(async () => {
        const admission = await slots.acquire(race.owner, race.runId, race.limit);
        return { outcome: admission.admitted ? 'admitted' : 'refused', id: race.runId };
      });
    } finally {
      await slots.close();
    }
  }
  if (race.operation === 'createOnce') {
    const store = SqliteBookingsStore.open(race.path);
    try {
      return await withRetries(async () => {
        const result = await store.createOnce(race.booking);
        return { outcome: result.created ? 'created' : 'found', id: result.booking.bookingId };
      });
    } finally {
      await store.close();
    }
  }
  const store = SqliteIdempotencyStore.open(race.path);
  try {
    return await withRetries(async () => {
      const outcome =
        race.operation === 'claim'
          ? await store.claim(race.key, 'hash-a')
          : await store.takeOver(race.key, 'hash-a', race.observedClaimId);
      return { outcome: outcome.outcome, id: outcome.record.claimId };
    });
  } finally {
    await store.close();
  }
}

/** The store is opened before the start line, so only the racing call itself counts. */
async function withRetries(
  call: () => Promise<Omit<SqliteRaceResult, 'retries'>>,
): Promise<SqliteRaceResult> {
  const { barrier } = workerData as RacerData<SqliteRace>;
  awaitStart(barrier);
  for (let retries = 0; ; retries++) {
    try {
      return { ...(await call()), retries };
    } catch (error) {
      if (!isRetryable(error) || retries >= 20) throw error;
    }
  }
}

const { task } = workerData as RacerData<SqliteRace>;
run(task).then(
  (result) => parentPort?.postMessage({ result }),
  (error: unknown) =>
    parentPort?.postMessage({ error: error instanceof Error ? error.stack : String(error) }),
);
