import { systemClock, type Clock } from '../clock';
import type { RunSlot, RunSlotStore, SlotAdmission } from '../types';
import { openSqliteDatabase, type SqliteDatabase } from './database';
import { withSqliteErrors } from './errors';

const schema = `
  CREATE TABLE IF NOT EXISTS run_slots (
    owner       TEXT NOT NULL,
    run_id      TEXT NOT NULL,
    acquired_at TEXT NOT NULL,
    PRIMARY KEY (owner, run_id)
  );
`;

interface SlotRow {
  run_id: string;
  acquired_at: string;
}

/**
 * The embedded run-slot store (local default): one row per held slot. Taking a slot runs under
 * SQLite's write lock (BEGIN IMMEDIATE), so the count and the insert are one atomic step across
 * every connection to the file.
 */
export class SqliteRunSlotStore implements RunSlotStore {
  private readonly statements: {
    has: (owner: string, runId: string) => boolean;
    count: (owner: string) => number;
    insert: (owner: string, runId: string, at: string) => void;
    remove: (owner: string, runId: string) => void;
    list: (owner: string) => SlotRow[];
  };

  constructor(
    private readonly db: SqliteDatabase,
    private readonly options: { clock?: Clock; ownsDatabase?: boolean } = {},
  ) {
    db.transaction(() => db.exec(schema)).immediate();
    const has = db.prepare<[string, string]>('SELECT 1 FROM run_slots WHERE owner = ? AND run_id = ?');
    const count = db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM run_slots WHERE owner = ?');
    const insert = db.prepare<[string, string, string]>(
      'INSERT INTO run_slots (owner, run_id, acquired_at) VALUES (?, ?, ?)',
    );
    const remove = db.prepare<[string, string]>('DELETE FROM run_slots WHERE owner = ? AND run_id = ?');
    const list = db.prepare<[string], SlotRow>(
      'SELECT run_id, acquired_at FROM run_slots WHERE owner = ? ORDER BY acquired_at, run_id',
    );
    this.statements = {
      has: (owner, runId) => has.get(owner, runId) !== undefined,
      count: (owner) => count.get(owner)?.n ?? 0,
      insert: (owner, runId, at) => void insert.run(owner, runId, at),
      remove: (owner, runId) => void remove.run(owner, runId),
      list: (owner) => list.all(owner),
    };
  }

  /** Opens (or creates) a database file, or `:memory:`, owned by the returned store. */
  static open(path: string, options: { clock?: Clock } = {}): SqliteRunSlotStore {
    return new SqliteRunSlotStore(openSqliteDatabase(path), { ...options, ownsDatabase: true });
  }

  async acquire(owner: string, runId: string, limit: number): Promise<SlotAdmission> {
    const at = (this.options.clock ?? systemClock)().toISOString();
    return withSqliteErrors('acquire', () =>
      this.db
        .transaction((): SlotAdmission => {
          if (this.statements.has(owner, runId)) return { admitted: true };
          if (this.statements.count(owner) >= limit) return { admitted: false, held: this.slots(owner) };
          this.statements.insert(owner, runId, at);
          return { admitted: true };
        })
        .immediate(),
    );
  }

  async release(owner: string, runIds: readonly string[]): Promise<void> {
    if (runIds.length === 0) return;
    withSqliteErrors('release', () =>
      this.db.transaction(() => runIds.forEach((runId) => this.statements.remove(owner, runId))).immediate(),
    );
  }

  async held(owner: string): Promise<RunSlot[]> {
    return withSqliteErrors('held', () => this.slots(owner));
  }

  async close(): Promise<void> {
    if (this.options.ownsDatabase && this.db.open) this.db.close();
  }

  private slots(owner: string): RunSlot[] {
    return this.statements.list(owner).map((row) => ({ runId: row.run_id, acquiredAt: row.acquired_at }));
  }
}
