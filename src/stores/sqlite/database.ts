import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

export type SqliteDatabase = Database.Database;

export const IN_MEMORY = ':memory:';

/**
 * Opens (creating if needed) the embedded store's SQLite file with the settings both stores rely on:
 * WAL so readers never block the writer, and a busy timeout so several connections to one file
 * (a test, the local host and a stand-alone MCP server) wait for each other instead of failing.
 */
export function openSqliteDatabase(path: string): SqliteDatabase {
  if (path !== IN_MEMORY && !path.startsWith('file:')) {
    mkdirSync(dirname(path), { recursive: true });
  }
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  // NORMAL is durable across application crashes in WAL mode; only an OS crash may lose the last commit.
  db.pragma('synchronous = NORMAL');
  return db;
}
