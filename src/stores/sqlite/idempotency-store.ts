import { IdempotencyConflictError, NotFoundError } from '../../domain/errors';
import { systemClock, type Clock } from '../clock';
import { assertValidTtl, DEFAULT_IDEMPOTENCY_TTL_SECONDS, expiresAtFrom, isExpired } from '../expiry';
import type { ClaimOutcome, IdempotencyRecord, IdempotencyStore } from '../types';
import { openSqliteDatabase, type SqliteDatabase } from './database';
import { withSqliteErrors } from './errors';

export interface SqliteIdempotencyStoreOptions {
  /** TTL of a claim when `claim` is not given one. */
  defaultTtlSeconds?: number;
  clock?: Clock;
  /** How often a `claim` also sweeps all expired records (expired keys are always ignored). */
  purgeIntervalMs?: number;
  /** Whether `close()` closes the database too (true when the store opened it). */
  ownsDatabase?: boolean;
}

interface RecordRow {
  key: string;
  request_hash: string;
  status: 'pending' | 'done';
  result: string | null;
  created_at: string;
  updated_at: string;
  expires_at: string;
}

// Timestamps are ISO-8601 strings from Date#toISOString: fixed width, so text order is time order.
const schema = `
  CREATE TABLE IF NOT EXISTS idempotency_records (
    key          TEXT PRIMARY KEY,
    request_hash TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'done')),
    result       TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS idempotency_records_expires_at ON idempotency_records (expires_at);
`;

const TEN_MINUTES_MS = 10 * 60 * 1000;

/** The embedded call-level idempotency store (local default). Safe to share one file between processes. */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly db: SqliteDatabase;
  private readonly clock: Clock;
  private readonly defaultTtlSeconds: number;
  private readonly purgeIntervalMs: number;
  private readonly ownsDatabase: boolean;
  private lastPurgeAt = 0;

  private readonly statements: {
    select: (key: string) => RecordRow | undefined;
    insertIfAbsent: (row: RecordRow) => number;
    deleteIfExpired: (key: string, now: string) => void;
    markDone: (key: string, result: string | null, now: string) => void;
    delete: (key: string) => void;
    purge: (now: string) => number;
  };

  constructor(db: SqliteDatabase, options: SqliteIdempotencyStoreOptions = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
    this.defaultTtlSeconds = options.defaultTtlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS;
    assertValidTtl(this.defaultTtlSeconds);
    this.purgeIntervalMs = options.purgeIntervalMs ?? TEN_MINUTES_MS;
    this.ownsDatabase = options.ownsDatabase ?? false;
    db.exec(schema);

    const select = db.prepare<[string], RecordRow>('SELECT * FROM idempotency_records WHERE key = ?');
    const insertIfAbsent = db.prepare<[RecordRow]>(
      `INSERT INTO idempotency_records (key, request_hash, status, result, created_at, updated_at, expires_at)
       VALUES (@key, @request_hash, @status, @result, @created_at, @updated_at, @expires_at)
       ON CONFLICT (key) DO NOTHING`,
    );
    const deleteIfExpired = db.prepare<[string, string]>(
      'DELETE FROM idempotency_records WHERE key = ? AND expires_at < ?',
    );
    const markDone = db.prepare<[string | null, string, string]>(
      `UPDATE idempotency_records SET status = 'done', result = ?, updated_at = ? WHERE key = ?`,
    );
    const deleteOne = db.prepare<[string]>('DELETE FROM idempotency_records WHERE key = ?');
    const purge = db.prepare<[string]>('DELETE FROM idempotency_records WHERE expires_at < ?');

    this.statements = {
      select: (key) => select.get(key),
      insertIfAbsent: (row) => insertIfAbsent.run(row).changes,
      deleteIfExpired: (key, now) => void deleteIfExpired.run(key, now),
      markDone: (key, result, now) => void markDone.run(result, now, key),
      delete: (key) => void deleteOne.run(key),
      purge: (now) => purge.run(now).changes,
    };
  }

  /** Opens (or creates) a database file, or `:memory:`, owned by the returned store. */
  static open(
    path: string,
    options: Omit<SqliteIdempotencyStoreOptions, 'ownsDatabase'> = {},
  ): SqliteIdempotencyStore {
    return new SqliteIdempotencyStore(openSqliteDatabase(path), { ...options, ownsDatabase: true });
  }

  async claim(
    key: string,
    requestHash: string,
    options: { ttlSeconds?: number } = {},
  ): Promise<ClaimOutcome> {
    const ttlSeconds = options.ttlSeconds ?? this.defaultTtlSeconds;
    assertValidTtl(ttlSeconds);
    const now = this.clock();
    const nowIso = now.toISOString();
    this.purgeExpiredIfDue(now);

    // IMMEDIATE takes the write lock up front, so the insert-then-read pair is atomic across connections.
    const { inserted, row } = withSqliteErrors('claim', () =>
      this.db
        .transaction(() => {
          this.statements.deleteIfExpired(key, nowIso);
          const changes = this.statements.insertIfAbsent({
            key,
            request_hash: requestHash,
            status: 'pending',
            result: null,
            created_at: nowIso,
            updated_at: nowIso,
            expires_at: expiresAtFrom(now, ttlSeconds),
          });
          return { inserted: changes === 1, row: this.statements.select(key) };
        })
        .immediate(),
    );
    if (!row) throw new Error(`Idempotency record "${key}" vanished inside its own transaction.`);
    if (inserted) return { outcome: 'claimed', record: toRecord(row) };
    if (row.request_hash !== requestHash) throw new IdempotencyConflictError(key);
    return { outcome: 'existing', record: toRecord(row) };
  }

  async complete(key: string, requestHash: string, result: unknown): Promise<IdempotencyRecord> {
    const now = this.clock();
    const row = withSqliteErrors('complete', () =>
      this.db
        .transaction(() => {
          const current = this.liveRow(key, now);
          if (!current) throw new NotFoundError(`Idempotency record "${key}"`);
          if (current.request_hash !== requestHash) throw new IdempotencyConflictError(key);
          // The first completion wins: a late duplicate must not overwrite the result callers already saw.
          if (current.status === 'done') return current;
          this.statements.markDone(key, serialize(result), now.toISOString());
          return this.statements.select(key);
        })
        .immediate(),
    );
    if (!row) throw new NotFoundError(`Idempotency record "${key}"`);
    return toRecord(row);
  }

  async release(key: string, requestHash: string): Promise<void> {
    const now = this.clock();
    withSqliteErrors('release', () =>
      this.db
        .transaction(() => {
          const current = this.liveRow(key, now);
          if (!current) return;
          if (current.request_hash !== requestHash) throw new IdempotencyConflictError(key);
          // A finished call is never forgotten early: only a pending claim can be released.
          if (current.status === 'pending') this.statements.delete(key);
        })
        .immediate(),
    );
  }

  async get(key: string): Promise<IdempotencyRecord | undefined> {
    const row = withSqliteErrors('get', () => this.liveRow(key, this.clock()));
    return row && toRecord(row);
  }

  /** Deletes every expired record now; returns how many were removed. */
  async purgeExpired(): Promise<number> {
    const now = this.clock();
    this.lastPurgeAt = now.getTime();
    return withSqliteErrors('purge', () => this.statements.purge(now.toISOString()));
  }

  async close(): Promise<void> {
    if (this.ownsDatabase && this.db.open) this.db.close();
  }

  private liveRow(key: string, now: Date): RecordRow | undefined {
    const row = this.statements.select(key);
    return row && !isExpired({ expiresAt: row.expires_at }, now) ? row : undefined;
  }

  private purgeExpiredIfDue(now: Date): void {
    if (now.getTime() - this.lastPurgeAt < this.purgeIntervalMs) return;
    this.lastPurgeAt = now.getTime();
    withSqliteErrors('purge', () => this.statements.purge(now.toISOString()));
  }
}

/** `undefined` is stored as SQL NULL so it reads back as an absent result, distinct from JSON `null`. */
function serialize(result: unknown): string | null {
  return result === undefined ? null : JSON.stringify(result);
}

function toRecord(row: RecordRow): IdempotencyRecord {
  return {
    key: row.key,
    requestHash: row.request_hash,
    status: row.status,
    ...(row.result === null ? {} : { result: JSON.parse(row.result) as unknown }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
}
