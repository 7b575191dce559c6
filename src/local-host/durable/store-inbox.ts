/**
 * The store's `inbox` table: events waiting to be delivered to an orchestration (completions,
 * timers, raised events), each visible from a time on, and in memory a hint per instance of when
 * its first message becomes visible, so finding work never scans the whole inbox.
 */
import type Database from 'better-sqlite3';
import { EventType, type HistoryEvent } from './history';
import type { RuntimeStatus } from './store-instances';

export interface InboxMessage {
  id: number;
  instanceId: string;
  /** When set, the message belongs to that execution only (dropped after continue-as-new). */
  executionId: string | null;
  visibleAt: number;
  event: HistoryEvent;
}

interface InboxRow {
  id: number;
  instance_id: string;
  execution_id: string | null;
  visible_at: number;
  event: string;
}

const schema = `
CREATE TABLE IF NOT EXISTS inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  execution_id TEXT,
  visible_at INTEGER NOT NULL,
  event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_by_visibility ON inbox (visible_at, id);
CREATE INDEX IF NOT EXISTS inbox_by_instance ON inbox (instance_id, id);
`;

export class InboxTable {
  private readonly statements;
  /**
   * Instances that may have messages, with the earliest time one becomes visible, in the order
   * they became ready. A superset of the truth (a delivered message or a rolled-back enqueue may
   * leave a hint behind until `settle`), so finding work never scans the whole inbox.
   */
  private readonly readyHints = new Map<string, number>();

  /** @param statusOf an instance's runtime status, undefined when it does not exist. */
  constructor(
    db: Database.Database,
    private readonly statusOf: (instanceId: string) => RuntimeStatus | undefined,
  ) {
    db.exec(schema);
    this.statements = {
      enqueue: db.prepare(
        'INSERT INTO inbox (instance_id, execution_id, visible_at, event) VALUES (?, ?, ?, ?)',
      ),
      dequeue: db.prepare('DELETE FROM inbox WHERE id = ?'),
      deleteFor: db.prepare('DELETE FROM inbox WHERE instance_id = ?'),
      deleteTimer: db.prepare(
        "DELETE FROM inbox WHERE instance_id = ? AND json_extract(event, '$.EventType') = 11 AND json_extract(event, '$.TimerId') = ?",
      ),
      hints: db.prepare<[], { instance_id: string; t: number }>(
        'SELECT instance_id, MIN(visible_at) AS t FROM inbox GROUP BY instance_id',
      ),
      firstVisibleFor: db.prepare<[string], { t: number | null }>(
        // INDEXED BY: otherwise SQLite may walk the visibility index past every other instance's rows.
        'SELECT MIN(visible_at) AS t FROM inbox INDEXED BY inbox_by_instance WHERE instance_id = ?',
      ),
      readyFor: db.prepare<[string, number, number], InboxRow>(
        // INDEXED BY: the instance's own rows, never a walk through everything visible.
        `SELECT id, instance_id, execution_id, visible_at, event FROM inbox INDEXED BY inbox_by_instance
         WHERE instance_id = ? AND visible_at <= ? ORDER BY visible_at, id LIMIT ?`,
      ),
      queued: db.prepare<[string], InboxRow>(
        'SELECT id, instance_id, execution_id, visible_at, event FROM inbox WHERE instance_id = ? ORDER BY visible_at, id',
      ),
      nextVisibleAt: db.prepare<[number], { t: number | null }>(
        'SELECT MIN(visible_at) AS t FROM inbox WHERE visible_at > ?',
      ),
      countFor: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM inbox WHERE instance_id = ?'),
    };
    for (const row of this.statements.hints.all()) this.readyHints.set(row.instance_id, row.t);
  }

  enqueue(instanceId: string, executionId: string | null, visibleAt: number, event: HistoryEvent): void {
    this.statements.enqueue.run(instanceId, executionId, visibleAt, JSON.stringify(event));
    const hint = this.readyHints.get(instanceId);
    if (hint === undefined || visibleAt < hint) this.readyHints.set(instanceId, visibleAt);
  }

  dequeue(messageId: number): void {
    this.statements.dequeue.run(messageId);
  }

  dequeueAll(messages: readonly InboxMessage[]): void {
    for (const message of messages) this.statements.dequeue.run(message.id);
  }

  cancelTimer(instanceId: string, timerId: number): void {
    this.statements.deleteTimer.run(instanceId, timerId);
  }

  /** Drops every message still waiting for an instance. */
  clear(instanceId: string): void {
    this.statements.deleteFor.run(instanceId);
  }

  /**
   * Up to `limit` instances that may have a message whose time has come, longest waiting first,
   * leaving out `skip` (those already running) and suspended instances (`settle` brings one back
   * when it resumes).
   */
  readyInstanceIds(now: number, limit: number, skip: ReadonlySet<string> | Map<string, unknown>): string[] {
    const ready: string[] = [];
    for (const [instanceId, visibleAt] of this.readyHints) {
      if (ready.length >= limit) break;
      if (visibleAt > now || skip.has(instanceId)) continue;
      const status = this.statusOf(instanceId);
      if (status === undefined || status === 'Suspended') {
        this.readyHints.delete(instanceId);
        continue;
      }
      ready.push(instanceId);
    }
    return ready;
  }

  /** Brings an instance's ready hint in line with its inbox (after its episodes, or on resume). */
  settle(instanceId: string): void {
    this.readyHints.delete(instanceId);
    const t = this.statements.firstVisibleFor.get(instanceId)?.t;
    if (t !== null && t !== undefined) this.readyHints.set(instanceId, t);
  }

  /** Holds an instance's ready hint back until `until` (its messages wait for more to join). */
  defer(instanceId: string, until: number): void {
    const hint = this.readyHints.get(instanceId);
    if (hint !== undefined && hint < until) {
      this.readyHints.delete(instanceId);
      this.readyHints.set(instanceId, until);
    }
  }

  /**
   * The messages one episode delivers: those whose time has come, a new execution's
   * ExecutionStarted first, then in arrival order.
   */
  readyMessagesFor(instanceId: string, now: number, limit: number): InboxMessage[] {
    // Hints are a superset of the inbox: without one there is nothing to read (the common case
    // for a sequential step, whose results skip the inbox).
    if (!this.readyHints.has(instanceId)) return [];
    const messages = this.statements.readyFor.all(instanceId, now, limit).map(toMessage);
    // A new execution's ExecutionStarted goes first, even before events queued earlier
    // (continue-as-new keeps undelivered events for the next execution).
    const started = messages.findIndex((m) => m.event.EventType === EventType.ExecutionStarted);
    if (started > 0) messages.unshift(...messages.splice(started, 1));
    return messages;
  }

  /** Every event still waiting for an instance, due or not (diagnostics). */
  queuedEvents(instanceId: string): InboxMessage[] {
    return this.statements.queued.all(instanceId).map(toMessage);
  }

  /** The next time a delayed message (a durable timer) becomes visible. */
  nextVisibleAt(now: number): number | undefined {
    return this.statements.nextVisibleAt.get(now)?.t ?? undefined;
  }

  /** Events waiting in one instance's inbox (completions, timers, raised events). */
  count(instanceId: string): number {
    return this.statements.countFor.get(instanceId)!.n;
  }
}

function toMessage(row: InboxRow): InboxMessage {
  return {
    id: row.id,
    instanceId: row.instance_id,
    executionId: row.execution_id,
    visibleAt: row.visible_at,
    event: JSON.parse(row.event) as HistoryEvent,
  };
}
