import { randomUUID } from 'node:crypto';
import { IdempotencyConflictError } from '../../domain/errors';
import { systemClock, type Clock } from '../clock';
import { assertValidTtl, DEFAULT_IDEMPOTENCY_TTL_SECONDS, expiresAtFrom, isExpired } from '../expiry';
import type { ClaimOutcome, CompleteOutcome, IdempotencyRecord, IdempotencyStore } from '../types';
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
  claim_id: string;
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
    claim_id     TEXT NOT NULL,
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
  readonly defaultTtlSeconds: number;
  private readonly db: SqliteDatabase;
  private readonly clock: Clock;
  private readonly purgeIntervalMs: number;
  private readonly ownsDatabase: boolean;
  private lastPurgeAt = 0;

  private readonly statements: {
    select: (key: string) => RecordRow | undefined;
    insertIfAbsent: (row: RecordRow) => number;
    deleteIfExpired: (key: string, now: string) => void;
    replaceClaim: (
      row: Pick<RecordRow, 'key' | 'request_hash' | 'claim_id' | 'updated_at' | 'expires_at'>,
      observedClaimId: string,
    ) => number;
    markDone: (key: string, claimId: string, result: string | null, now: string) => number;
    deleteClaim: (key: string, claimId: string) => number;
    purge: (now: string) => number;
  };

  constructor(db: SqliteDatabase, options: SqliteIdempotencyStoreOptions = {}) {
    this.db = db;
    this.clock = options.clock ?? systemClock;
    this.defaultTtlSeconds = options.defaultTtlSeconds ?? DEFAULT_IDEMPOTENCY_TTL_SECONDS;
    assertValidTtl(this.defaultTtlSeconds);
    this.purgeIntervalMs = options.purgeIntervalMs ?? TEN_MINUTES_MS;
    this.ownsDatabase = options.ownsDatabase ?? false;
    // Under the write lock, so two connections opening an old file at once do not both migrate it.
    db.transaction(() => migrate(db)).immediate();

    const select = db.prepare<[string], RecordRow>('SELECT * FROM idempotency_records WHERE key = ?');
    const insertIfAbsent = db.prepare<[RecordRow]>(
      `INSERT INTO idempotency_records
         (key, request_hash, status, claim_id, result, created_at, updated_at, expires_at)
       VALUES (@key, @request_hash, @status, @claim_id, @result, @created_at, @updated_at, @expires_at)
       ON CONFLICT (key) DO NOTHING`,
    );
    const deleteIfExpired = db.prepare<[string, string]>(
      'DELETE FROM idempotency_records WHERE key = ? AND expires_at < ?',
    );
    // Every write below is conditional on the caller's claim: the WHERE clause, not a prior read,
    // decides whether it still holds the key.
    const replaceClaim = db.prepare<{
      key: string;
      request_hash: string;
      claim_id: string;
      updated_at: string;
      expires_at: string;
      observed: string;
    }>(
      `UPDATE idempotency_records SET claim_id = @claim_id, updated_at = @updated_at, expires_at = @expires_at
       WHERE key = @key AND request_hash = @request_hash AND status = 'pending' AND claim_id = @observed`,
    );
    const markDone = db.prepare<[string | null, string, string, string]>(
      `UPDATE idempotency_records SET status = 'done', result = ?, updated_at = ?
       WHERE key = ? AND claim_id = ? AND status = 'pending'`,
    );
    const deleteClaim = db.prepare<[string, string]>(
      `DELETE FROM idempotency_records WHERE key = ? AND claim_id = ? AND status = 'pending'`,
    );
    const purge = db.prepare<[string]>('DELETE FROM idempotency_records WHERE expires_at < ?');

    this.statements = {
      select: (key) => select.get(key),
      insertIfAbsent: (row) => insertIfAbsent.run(row).changes,
      deleteIfExpired: (key, now) => void deleteIfExpired.run(key, now),
      replaceClaim: (row, observed) => replaceClaim.run({ ...row, observed }).changes,
      markDone: (key, claimId, result, now) => markDone.run(result, now, key, claimId).changes,
      deleteClaim: (key, claimId) => deleteClaim.run(key, claimId).changes,
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
    const ttlSeconds = this.ttl(options);
    const now = this.clock();
    this.purgeExpiredIfDue(now);
    // IMMEDIATE takes the write lock up front, so the insert-then-read pair is atomic across connections.
    return withSqliteErrors('claim', () =>
      this.db.transaction(() => this.claimLocked(key, requestHash, now, ttlSeconds)).immediate(),
    );
  }

  async takeOver(
    key: string,
    requestHash: string,
    observedClaimId: string,
    options: { ttlSeconds?: number } = {},
  ): Promise<ClaimOutcome> {
    const ttlSeconds = this.ttl(options);
    const now = this.clock();
    const nowIso = now.toISOString();
    return withSqliteErrors('takeOver', () =>
      this.db
        .transaction((): ClaimOutcome => {
          this.statements.deleteIfExpired(key, nowIso);
          const claimId = randomUUID();
          const changes = this.statements.replaceClaim(
            {
              key,
              request_hash: requestHash,
              claim_id: claimId,
              updated_at: nowIso,
              expires_at: expiresAtFrom(now, ttlSeconds),
            },
            observedClaimId,
          );
          if (changes === 1) return { outcome: 'claimed', record: toRecord(this.selectOrFail(key)) };
          // Not the observed claim any more: taken over, completed, released or expired. A plain
          // claim reports the first two as `existing` and claims the key when it is free.
          return this.claimLocked(key, requestHash, now, ttlSeconds);
        })
        .immediate(),
    );
  }

  async complete(
    key: string,
    requestHash: string,
    claimId: string,
    result: unknown,
  ): Promise<CompleteOutcome> {
    const now = this.clock();
    return withSqliteErrors('complete', () =>
      this.db
        .transaction((): CompleteOutcome => {
          const current = this.liveRow(key, now);
          if (!current) return { outcome: 'claim_lost', record: undefined };
          if (current.request_hash !== requestHash) throw new IdempotencyConflictError(key);
          // The first completion wins: a late duplicate must not overwrite the result callers already saw.
          if (current.status === 'done') return { outcome: 'already_done', record: toRecord(current) };
          if (this.statements.markDone(key, claimId, serialize(result), now.toISOString()) === 0) {
            return { outcome: 'claim_lost', record: toRecord(current) };
          }
          return { outcome: 'completed', record: toRecord(this.selectOrFail(key)) };
        })
        .immediate(),
    );
  }

  async release(key: string, requestHash: string, claimId: string): Promise<boolean> {
    const now = this.clock();
    return withSqliteErrors('release', () =>
      this.db
        .transaction(() => {
          const current = this.liveRow(key, now);
          if (!current || current.claim_id !== claimId) return false;
          if (current.request_hash !== requestHash) throw new IdempotencyConflictError(key);
          // A finished call is never forgotten early: only a pending claim can be released.
          return this.statements.deleteClaim(key, claimId) === 1;
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

  private ttl(options: { ttlSeconds?: number }): number {
    const ttlSeconds = options.ttlSeconds ?? this.defaultTtlSeconds;
    assertValidTtl(ttlSeconds);
    return ttlSeconds;
  }

  /** `claim`'s body; the caller holds the write lock. */
  private claimLocked(key: string, requestHash: string, now: Date, ttlSeconds: number): ClaimOutcome {
    const nowIso = now.toISOString();
    this.statements.deleteIfExpired(key, nowIso);
    const inserted =
      this.statements.insertIfAbsent({
        key,
        request_hash: requestHash,
        status: 'pending',
        claim_id: randomUUID(),
        result: null,
        created_at: nowIso,
        updated_at: nowIso,
        expires_at: expiresAtFrom(now, ttlSeconds),
      }) === 1;
    const row = this.selectOrFail(key);
    if (inserted) return { outcome: 'claimed', record: toRecord(row) };
    if (row.request_hash !== requestHash) throw new IdempotencyConflictError(key);
    return { outcome: 'existing', record: toRecord(row) };
  }

  private selectOrFail(key: string): RecordRow {
    const row = this.statements.select(key);
    if (!row) throw new Error(`Idempotency record "${key}" vanished inside its own transaction.`);
    return row;
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

/**
 * Creates the table, or upgrades one made before claims had owner tokens. Old rows get the empty
 * token: a pending one is still taken over by whoever observed it, like any other claim.
 */
function migrate(db: SqliteDatabase): void {
  db.exec(schema);
  const columns = db.pragma('table_info(idempotency_records)') as { name: string }[];
  if (!columns.some((column) => column.name === 'claim_id')) {
    db.exec(`ALTER TABLE idempotency_records ADD COLUMN claim_id TEXT NOT NULL DEFAULT ''`);
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
    claimId: row.claim_id,
    ...(row.result === null ? {} : { result: JSON.parse(row.result) as unknown }),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    expiresAt: row.expires_at,
  };
}
