import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export const IN_MEMORY = ':memory:';

/** Long enough for several writers' sub-millisecond transactions; short enough not to stall the loop. */
export const BUSY_TIMEOUT_MS = 400;

/**
 * Opens (creating if needed) the embedded store's SQLite file with the settings both stores rely on:
 * WAL so readers never block the writer, and a busy timeout so several connections to one file
 * (a test, the local host and a stand-alone MCP server) wait for each other's short transactions.
 * better-sqlite3 is synchronous: the busy wait blocks this process's event loop, so it stays short
 * and a lock held longer surfaces as a retryable TransientError (see errors.ts) instead.
 */
export function openSqliteDatabase(path: string): SqliteDatabase {
  if (path !== IN_MEMORY && !path.startsWith('file:')) {
    // Bookings hold travellers' names and contact details: owner-only folder (when created here)
    // and file; SQLite gives the -wal and -shm files the database file's mode.
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    closeSync(openSync(path, 'a', 0o600));
    chmodSync(path, 0o600);
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the last commit.
  db.pragma('synchronous = NORMAL');
  return db;
}
