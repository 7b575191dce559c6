/** Opens the durable store's SQLite file with the settings every table relies on. */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** @param path a file path, or ':memory:' for a store that lives as long as the process. */
export function openStoreFile(path: string): Database.Database {
  if (path !== ':memory:') createPrivateFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a committed episode survives any process crash (kill -9 included); only an
  // OS crash or power loss may drop the last commits, never corrupting the store. FULL would add
  // an fsync per commit and cost ~2.5x in throughput (npm run bench).
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  // 64 MiB of page cache (the default is 2 MiB): a host with thousands of instances otherwise
  // rereads index pages from the file on most commits.
  db.pragma('cache_size = -65536');
  return db;
}

/** Adds a column that a store file written by an earlier version lacks. */
export function addMissingColumn(
  db: Database.Database,
  table: string,
  column: string,
  definition: string,
): void {
  const columns = new Set((db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name));
  if (!columns.has(column)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${definition}`);
}

/**
 * The store holds the host's keys and every instance's inputs: folders this creates are 0700 and
 * the file is 0600 (SQLite gives its -wal and -shm files the database file's mode). An existing
 * file is narrowed to 0600; an existing folder is left as it is (it may be shared, such as /tmp).
 */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  chmodSync(path, 0o600);
}
