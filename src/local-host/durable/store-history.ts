/**
 * The store's `history` table: each instance's history events in order, and a write-through copy
 * of live instances' histories in memory, bounded by a total number of events.
 */
import type Database from 'better-sqlite3';
import type { HistoryEvent } from './history';

const schema = `
CREATE TABLE IF NOT EXISTS history (
  instance_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (instance_id, seq)
) WITHOUT ROWID;
`;

export class HistoryTable {
  private readonly statements;
  /** Write-through copies of histories, most recently used last; arrays only ever grow. */
  private readonly cache = new Map<string, HistoryEvent[]>();
  private cachedEvents = 0;

  /**
   * @param touch called with the id of every instance a write changes (the store evicts them if
   *   the transaction rolls back).
   * @param isFinished whether an instance has ended: only live instances' histories are kept.
   */
  constructor(
    db: Database.Database,
    private readonly touch: (instanceId: string) => void,
    private readonly isFinished: (instanceId: string) => boolean,
    private readonly maxCachedEvents: number,
  ) {
    db.exec(schema);
    this.statements = {
      read: db.prepare<[string], { event: string }>(
        'SELECT event FROM history WHERE instance_id = ? ORDER BY seq',
      ),
      length: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM history WHERE instance_id = ?'),
      append: db.prepare('INSERT INTO history (instance_id, seq, event) VALUES (?, ?, ?)'),
      delete: db.prepare('DELETE FROM history WHERE instance_id = ?'),
    };
  }

  /** The instance's history. The array is shared with the cache: read it, never change it. */
  read(instanceId: string): readonly HistoryEvent[] {
    const cached = this.cache.get(instanceId);
    if (cached) {
      this.cache.delete(instanceId);
      this.cache.set(instanceId, cached);
      return cached;
    }
    const events = this.statements.read.all(instanceId).map((row) => JSON.parse(row.event) as HistoryEvent);
    if (this.isFinished(instanceId)) return events;
    this.cache.set(instanceId, events);
    this.cachedEvents += events.length;
    this.evict();
    return events;
  }

  append(instanceId: string, events: readonly HistoryEvent[]): void {
    const cached = this.cache.get(instanceId);
    let seq = cached ? cached.length : this.statements.length.get(instanceId)!.n;
    for (const e of events) this.statements.append.run(instanceId, seq++, JSON.stringify(e));
    this.touch(instanceId);
    if (cached) {
      for (const e of events) cached.push(e);
      this.cachedEvents += events.length;
      this.evict();
    }
  }

  clear(instanceId: string): void {
    this.statements.delete.run(instanceId);
    this.touch(instanceId);
    this.forget([instanceId]);
  }

  /** Drops the in-memory copies (a finished instance, or a rolled-back transaction's writes). */
  forget(instanceIds: Iterable<string>): void {
    for (const instanceId of instanceIds) {
      const cached = this.cache.get(instanceId);
      if (!cached) continue;
      this.cache.delete(instanceId);
      this.cachedEvents -= cached.length;
    }
  }

  cacheUse(): { histories: number; historyEvents: number } {
    return { histories: this.cache.size, historyEvents: this.cachedEvents };
  }

  private evict(): void {
    // Keeps the newest entry even when it alone passes the bound.
    while (this.cachedEvents > this.maxCachedEvents && this.cache.size > 1) {
      this.forget([this.cache.keys().next().value as string]);
    }
  }
}
