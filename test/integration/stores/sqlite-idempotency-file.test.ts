import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../../src/domain/errors';
import { openSqliteDatabase } from '../../../src/stores/sqlite/database';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import { useTempDir } from './support/fixtures';
import { ManualClock } from './support/manual-clock';

const temp = useTempDir();

/** What the contract suite cannot see: the SQLite file, its journal mode and the purge of old rows. */
describe('SqliteIdempotencyStore on a file', () => {
  const opened: SqliteIdempotencyStore[] = [];
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });
  function open(path: string, clock: ManualClock, purgeIntervalMs?: number): SqliteIdempotencyStore {
    const store = SqliteIdempotencyStore.open(path, {
      clock: clock.clock,
      ...(purgeIntervalMs === undefined ? {} : { purgeIntervalMs }),
    });
    opened.push(store);
    return store;
  }
  function rowCount(path: string): number {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM idempotency_records').get()!.n;
    } finally {
      db.close();
    }
  }

  it('uses WAL so readers do not block the writer', () => {
    const path = temp.file();
    open(path, new ManualClock());
    const db = new Database(path, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    db.close();
  });

  it('shares claims between connections to one file', async () => {
    const path = temp.file();
    const time = new ManualClock();
    const first = open(path, time);
    const second = open(path, time);

    const { record } = await first.claim('k', 'h');
    await first.complete('k', 'h', record.claimId, { bookingId: 'b-1' });

    expect(await second.claim('k', 'h')).toMatchObject({
      outcome: 'existing',
      record: { result: { bookingId: 'b-1' } },
    });
  });

  it('deletes expired rows on purgeExpired and keeps live ones', async () => {
    const path = temp.file();
    const time = new ManualClock();
    const store = open(path, time);
    await store.claim('short', 'h', { ttlSeconds: 10 });
    await store.claim('long', 'h', { ttlSeconds: 1000 });
    time.advanceSeconds(11);

    expect(await store.purgeExpired()).toBe(1);
    expect(rowCount(path)).toBe(1);
    expect(await store.get('long')).toBeDefined();
  });

  it('sweeps expired rows from a claim once the purge interval has passed', async () => {
    const path = temp.file();
    const time = new ManualClock();
    const store = open(path, time, 60_000);
    await store.claim('a', 'h', { ttlSeconds: 10 }); // the first claim purges (nothing yet) and starts the interval
    await store.claim('b', 'h', { ttlSeconds: 10 });
    time.advanceSeconds(30);
    await store.claim('c', 'h');
    expect(rowCount(path)).toBe(3); // a and b expired, but the interval has not passed

    time.advanceSeconds(31);
    await store.claim('d', 'h');
    expect(rowCount(path)).toBe(2);
  });

  it('reports a write lock held past the busy timeout as a retryable TransientError', async () => {
    const path = temp.file();
    const time = new ManualClock();
    open(path, time); // creates the schema
    const db = new Database(path);
    db.pragma('busy_timeout = 50');
    const store = new SqliteIdempotencyStore(db, { clock: time.clock, ownsDatabase: true });
    opened.push(store);
    const locker = new Database(path);
    locker.exec('BEGIN IMMEDIATE');
    try {
      await expect(store.claim('k', 'h')).rejects.toBeInstanceOf(TransientError);
    } finally {
      locker.exec('ROLLBACK');
      locker.close();
    }
    expect((await store.claim('k', 'h')).outcome).toBe('claimed');
  });

  it('upgrades a file written before claims had owner tokens, keeping its records', async () => {
    const path = temp.file();
    const old = new Database(path);
    old.exec(`
      CREATE TABLE idempotency_records (
        key TEXT PRIMARY KEY, request_hash TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'done')), result TEXT,
        created_at TEXT NOT NULL, updated_at TEXT NOT NULL, expires_at TEXT NOT NULL);
      INSERT INTO idempotency_records VALUES
        ('pending', 'h', 'pending', NULL, '2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z', '2026-03-08T09:00:00.000Z'),
        ('done', 'h', 'done', '"booked"', '2026-03-01T09:00:00.000Z', '2026-03-01T09:00:00.000Z', '2026-03-08T09:00:00.000Z');
    `);
    old.close();
    const time = new ManualClock();
    const store = open(path, time);
    open(path, time); // a second connection finds it upgraded already

    expect(await store.get('done')).toMatchObject({ status: 'done', result: 'booked', claimId: '' });
    const seen = await store.claim('pending', 'h');
    expect(seen).toMatchObject({ outcome: 'existing', record: { claimId: '' } });
    const takeover = await store.takeOver('pending', 'h', '');
    expect(takeover.outcome).toBe('claimed');
    expect(takeover.record.claimId).not.toBe('');
  });

  it('waits only briefly for a busy file: better-sqlite3 blocks the event loop while it waits', () => {
    const db = openSqliteDatabase(temp.file());
    try {
      const timeoutMs = db.pragma('busy_timeout', { simple: true }) as number;
      expect(timeoutMs).toBeGreaterThanOrEqual(250);
      expect(timeoutMs).toBeLessThanOrEqual(500);
    } finally {
      db.close();
    }
  });
});
