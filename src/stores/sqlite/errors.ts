import Database from 'better-sqlite3';
import { TransientError } from '../../domain/errors';

/** Lock contention outlasting the busy timeout is worth retrying; anything else is a bug or a broken file. */
const transientCodes = new Set([
  'SQLITE_BUSY',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_TIMEOUT',
  'SQLITE_LOCKED',
]);

/** Runs a synchronous SQLite operation, turning lock contention into a retryable TransientError. */
export function withSqliteErrors<T>(operation: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof Database.SqliteError && transientCodes.has(error.code)) {
      throw new TransientError(`SQLite was busy during ${operation}.`, { cause: error });
    }
    throw error;
  }
}
