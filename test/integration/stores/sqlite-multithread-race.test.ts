import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SqliteBookingsStore } from '../../../src/stores/sqlite/bookings-store';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import { SqliteRunSlotStore } from '../../../src/stores/sqlite/run-slots-store';
import type { Booking } from '../../../src/stores/types';
import { useTempDir } from './support/fixtures';
import type { SqliteRace, SqliteRaceResult } from './support/sqlite-racer';
import { raceThreads, START_LINE_TIMEOUT_MS } from './support/thread-racers';

const temp = useTempDir();
const racer = join(__dirname, 'support', 'sqlite-racer.ts');
const RACERS = 8;

/**
 * better-sqlite3 is synchronous, so calls on one thread never overlap and the contract suite's
 * "concurrent" SQLite tests run one after another. Here each racer is a thread with its own
 * connection to one file, all released at the same instant: the database's locking, not the
 * event loop, has to decide who wins.
 */
describe(
  `SQLite stores raced by ${RACERS} threads on one file`,
  { timeout: START_LINE_TIMEOUT_MS + 30_000 },
  () => {
    function race(tasks: SqliteRace[]): Promise<SqliteRaceResult[]> {
      return raceThreads<SqliteRace, SqliteRaceResult>(racer, tasks);
    }

    it('admits exactly the limit of one caller’s run slots', async () => {
      const path = temp.file();
      await SqliteRunSlotStore.open(path).close(); // the schema exists before the race

      const results = await race(
        Array.from({ length: RACERS }, (_, i) => ({
          operation: 'acquireSlot',
          path,
          owner: 'ada',
          runId: `run-${i}`,
          limit: 3,
        })),
      );

      expect(results.filter((r) => r.outcome === 'admitted')).toHaveLength(3);
      const slots = SqliteRunSlotStore.open(path);
      expect((await slots.held('ada')).map((slot) => slot.runId).sort()).toEqual(
        results
          .filter((r) => r.outcome === 'admitted')
          .map((r) => r.id)
          .sort(),
      );
      await slots.close();
    });

    it('grants a key to exactly one of the claimers', async () => {
      const path = temp.file();
      await SqliteIdempotencyStore.open(path).close(); // the schema exists before the race

      const results = await race(
        Array.from({ length: RACERS }, () => ({ operation: 'claim', path, key: 'hot' })),
      );

      expect(results.filter((r) => r.outcome === 'claimed')).toHaveLength(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      const store = SqliteIdempotencyStore.open(path);
      expect((await store.get('hot'))?.claimId).toBe(results[0].id);
      await store.close();
    });

    it('lets exactly one of the threads take over one stale claim', async () => {
      const path = temp.file();
      const store = SqliteIdempotencyStore.open(path);
      const stale = await store.claim('hot', 'hash-a');

      const results = await race(
        Array.from({ length: RACERS }, () => ({
          operation: 'takeOver',
          path,
          key: 'hot',
          observedClaimId: stale.record.claimId,
        })),
      );

      const winners = results.filter((r) => r.outcome === 'claimed');
      expect(winners).toHaveLength(1);
      expect(new Set(results.map((r) => r.id))).toEqual(new Set([winners[0].id]));
      expect((await store.get('hot'))?.claimId).toBe(winners[0].id);
      await store.close();
    });

    it('books exactly once when the threads create a booking with one key', async () => {
      const path = temp.file();
      await SqliteBookingsStore.open(path).close();
      const booking = (): Booking => ({
        bookingId: randomUUID(),
        kind: 'flight',
        status: 'confirmed',
        idempotencyKey: 'trip-7:book-flight',
        requestHash: 'hash-flight-1',
        details: { offerId: 'LH1234-2026-05-02' },
        total: { amount: 312.4, currency: 'EUR' },
        createdAt: '2026-03-01T09:00:00.000Z',
      });

      const results = await race(
        Array.from({ length: RACERS }, () => ({ operation: 'createOnce', path, booking: booking() })),
      );

      expect(results.filter((r) => r.outcome === 'created')).toHaveLength(1);
      expect(new Set(results.map((r) => r.id)).size).toBe(1);
      const store = SqliteBookingsStore.open(path);
      expect(await store.count()).toBe(1);
      await store.close();
    });
  },
);
