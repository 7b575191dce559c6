/**
 * The local host's durable store: instances, their history, an inbox of events waiting to be
 * delivered to an orchestration (completions, timers, raised events) and the activity work queue.
 * SQLite (WAL) makes every episode one atomic commit, so a crash loses nothing that was acknowledged.
 *
 * Hot instances and their histories are also kept in memory, write-through: SQLite stays the
 * record, every write goes to it first, and a transaction that rolls back evicts what it touched,
 * so the next read comes from the file again. An episode then costs what its new events cost,
 * not what the instance's whole history costs to read and parse.
 */
import Database from 'better-sqlite3';
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { EventType, type HistoryEvent } from './history';
import { flushHeldWrites } from '../../telemetry/held-writes';

export type RuntimeStatus =
  | 'Pending'
  | 'Running'
  | 'Completed'
  | 'ContinuedAsNew'
  | 'Failed'
  | 'Terminated'
  | 'Suspended'
  | 'Canceled';

export const terminalStatuses: ReadonlySet<RuntimeStatus> = new Set([
  'Completed',
  'Failed',
  'Terminated',
  'Canceled',
]);

export interface InstanceRecord {
  instanceId: string;
  name: string;
  executionId: string;
  runtimeStatus: RuntimeStatus;
  /** JSON text, or null when the orchestration has no input. */
  input: string | null;
  output: string | null;
  customStatus: string | null;
  createdTime: string;
  lastUpdatedTime: string;
  parentInstanceId: string | null;
  /** The parent's TaskScheduledId for this sub-orchestration. */
  parentTaskId: number | null;
  /** The parent execution that is waiting: a result must never reach a later one (continue-as-new, restart). */
  parentExecutionId: string | null;
  /** The next task id the SDK will allocate (mirrors its sequence number). */
  nextSeq: number;
  /** How many top-level actions of this execution have been turned into work. */
  actionsProcessed: number;
  /** One signature per processed top-level action, to detect non-deterministic code. */
  actionSignatures: string[];
  traceParent: string | null;
}

export interface InboxMessage {
  id: number;
  instanceId: string;
  /** When set, the message belongs to that execution only (dropped after continue-as-new). */
  executionId: string | null;
  visibleAt: number;
  event: HistoryEvent;
}

export interface WorkItem {
  id: number;
  instanceId: string;
  executionId: string;
  taskId: number;
  name: string;
  /** JSON text of the activity input value. */
  input: string | null;
  attempt: number;
  traceParent: string | null;
}

export interface InstanceQuery {
  runtimeStatus?: RuntimeStatus[];
  createdTimeFrom?: string;
  createdTimeTo?: string;
  instanceIdPrefix?: string;
  top?: number;
  /** Opaque: the createdTime|instanceId of the last row of the previous page. */
  continuationToken?: string;
}

interface InstanceRow {
  instance_id: string;
  name: string;
  execution_id: string;
  runtime_status: RuntimeStatus;
  input: string | null;
  output: string | null;
  custom_status: string | null;
  created_time: string;
  last_updated_time: string;
  parent_instance_id: string | null;
  parent_task_id: number | null;
  parent_execution_id: string | null;
  next_seq: number;
  actions_processed: number;
  action_signatures: string;
  trace_parent: string | null;
}

const schema = `
CREATE TABLE IF NOT EXISTS instances (
  instance_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  runtime_status TEXT NOT NULL,
  input TEXT,
  output TEXT,
  custom_status TEXT,
  created_time TEXT NOT NULL,
  last_updated_time TEXT NOT NULL,
  parent_instance_id TEXT,
  parent_task_id INTEGER,
  parent_execution_id TEXT,
  next_seq INTEGER NOT NULL DEFAULT 0,
  actions_processed INTEGER NOT NULL DEFAULT 0,
  action_signatures TEXT NOT NULL DEFAULT '[]',
  trace_parent TEXT
);
CREATE INDEX IF NOT EXISTS instances_by_created ON instances (created_time, instance_id);
CREATE TABLE IF NOT EXISTS history (
  instance_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (instance_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  execution_id TEXT,
  visible_at INTEGER NOT NULL,
  event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_by_visibility ON inbox (visible_at, id);
CREATE INDEX IF NOT EXISTS inbox_by_instance ON inbox (instance_id, id);
CREATE TABLE IF NOT EXISTS work_items (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  task_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  input TEXT,
  attempt INTEGER NOT NULL,
  trace_parent TEXT
);
CREATE INDEX IF NOT EXISTS work_items_by_instance ON work_items (instance_id);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS entities (
  entity_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  state TEXT,
  last_operation_time TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entities_by_name ON entities (name, key);
CREATE TABLE IF NOT EXISTS entity_ops (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity_id TEXT NOT NULL,
  request_id TEXT NOT NULL,
  operation TEXT NOT NULL,
  input TEXT,
  signal INTEGER NOT NULL,
  parent_instance_id TEXT,
  parent_execution_id TEXT,
  trace_parent TEXT,
  kind TEXT NOT NULL DEFAULT 'operation'
);
CREATE INDEX IF NOT EXISTS entity_ops_by_entity ON entity_ops (entity_id, id);
CREATE TABLE IF NOT EXISTS entity_locks (
  entity_id TEXT PRIMARY KEY,
  owner_instance_id TEXT NOT NULL,
  owner_execution_id TEXT NOT NULL,
  request_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_locks_by_owner ON entity_locks (owner_instance_id);
CREATE INDEX IF NOT EXISTS entity_locks_by_request ON entity_locks (request_id);
`;

/** A durable entity's committed state. `entityId` is the SDK's scheduler id, `@name@key`. */
export interface EntityRecord {
  entityId: string;
  /** The entity name as the SDK spells it in ids: lower case. */
  name: string;
  key: string;
  /** JSON text of the state. An entity without state does not exist (and has no row). */
  state: string;
  lastOperationTime: string;
}

/**
 * One message waiting for an entity: an operation from an orchestration (call or signal) or a
 * client (signal), or a critical section's lock request or release.
 */
export interface EntityOperation {
  id: number;
  kind: 'operation' | 'lock' | 'release';
  entityId: string;
  /** The request id: a caller's response comes back as an EventRaised with this name. */
  requestId: string;
  operation: string;
  /** JSON text of the input, or null. */
  input: string | null;
  signal: boolean;
  parentInstanceId: string | null;
  parentExecutionId: string | null;
  traceParent: string | null;
}

export interface EntityQuery {
  name: string;
  lastOperationTimeFrom?: string;
  lastOperationTimeTo?: string;
  top?: number;
  /** Opaque: the key of the last entity of the previous page. */
  continuationToken?: string;
}

interface EntityOpRow {
  id: number;
  kind: EntityOperation['kind'];
  entity_id: string;
  request_id: string;
  operation: string;
  input: string | null;
  signal: number;
  parent_instance_id: string | null;
  parent_execution_id: string | null;
  trace_parent: string | null;
}

function toEntityOperation(row: EntityOpRow): EntityOperation {
  return {
    id: row.id,
    kind: row.kind,
    entityId: row.entity_id,
    requestId: row.request_id,
    operation: row.operation,
    input: row.input,
    signal: row.signal === 1,
    parentInstanceId: row.parent_instance_id,
    parentExecutionId: row.parent_execution_id,
    traceParent: row.trace_parent,
  };
}

interface EntityRow {
  entity_id: string;
  name: string;
  key: string;
  state: string;
  last_operation_time: string;
}

function toEntity(row: EntityRow): EntityRecord {
  return {
    entityId: row.entity_id,
    name: row.name,
    key: row.key,
    state: row.state,
    lastOperationTime: row.last_operation_time,
  };
}

function toRecord(row: InstanceRow): InstanceRecord {
  return {
    instanceId: row.instance_id,
    name: row.name,
    executionId: row.execution_id,
    runtimeStatus: row.runtime_status,
    input: row.input,
    output: row.output,
    customStatus: row.custom_status,
    createdTime: row.created_time,
    lastUpdatedTime: row.last_updated_time,
    parentInstanceId: row.parent_instance_id,
    parentTaskId: row.parent_task_id,
    parentExecutionId: row.parent_execution_id,
    nextSeq: row.next_seq,
    actionsProcessed: row.actions_processed,
    actionSignatures: decodeSignatures(row.action_signatures),
    traceParent: row.trace_parent,
  };
}

export class DurableStore {
  private readonly db: Database.Database;
  private readonly statements;
  /** Write-through copies of instance rows, most recently used last. */
  private readonly instanceCache = new Map<string, InstanceRecord>();
  /** Write-through copies of histories, most recently used last; arrays only ever grow. */
  private readonly historyCache = new Map<string, HistoryEvent[]>();
  private historyCacheEvents = 0;
  /** Instance ids written in the open transaction: evicted if it rolls back. */
  private touched: Set<string> | undefined;
  private unfinishedCount: number;
  /**
   * Instances that may have messages, with the earliest time one becomes visible, in the order
   * they became ready. A superset of the truth (a delivered message or a rolled-back enqueue may
   * leave a hint behind until `settleReady`), so finding work never scans the whole inbox.
   */
  private readonly readyHints = new Map<string, number>();
  /** Entities that may have operations waiting (a superset, like `readyHints`). */
  private readonly entityHints = new Set<string>();

  /**
   * @param path a file path, or ':memory:' for a store that lives as long as the process.
   * @param cache bounds of the in-memory copies (instances, history events across instances).
   */
  constructor(
    readonly path: string,
    private readonly cache: { maxInstances: number; maxHistoryEvents: number } = {
      maxInstances: 20_000,
      maxHistoryEvents: 500_000,
    },
  ) {
    if (path !== ':memory:') createPrivateFile(path);
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a committed episode survives any process crash (kill -9 included); only an
    // OS crash or power loss may drop the last commits, never corrupting the store. FULL would add
    // an fsync per commit and cost ~2.5x in throughput (npm run bench).
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    // 64 MiB of page cache (the default is 2 MiB): a host with thousands of instances otherwise
    // rereads index pages from the file on most commits.
    this.db.pragma('cache_size = -65536');
    this.db.exec(schema);
    migrate(this.db);
    this.statements = {
      getInstance: this.db.prepare<[string], InstanceRow>('SELECT * FROM instances WHERE instance_id = ?'),
      upsertInstance: this.db.prepare(`
        INSERT INTO instances (instance_id, name, execution_id, runtime_status, input, output, custom_status,
          created_time, last_updated_time, parent_instance_id, parent_task_id, parent_execution_id, next_seq, actions_processed,
          action_signatures, trace_parent)
        VALUES (@instanceId, @name, @executionId, @runtimeStatus, @input, @output, @customStatus, @createdTime,
          @lastUpdatedTime, @parentInstanceId, @parentTaskId, @parentExecutionId, @nextSeq, @actionsProcessed, @actionSignatures, @traceParent)
        ON CONFLICT (instance_id) DO UPDATE SET name = excluded.name, execution_id = excluded.execution_id,
          runtime_status = excluded.runtime_status, input = excluded.input, output = excluded.output,
          custom_status = excluded.custom_status, created_time = excluded.created_time,
          last_updated_time = excluded.last_updated_time, parent_instance_id = excluded.parent_instance_id,
          parent_task_id = excluded.parent_task_id, parent_execution_id = excluded.parent_execution_id, next_seq = excluded.next_seq,
          actions_processed = excluded.actions_processed, action_signatures = excluded.action_signatures,
          trace_parent = excluded.trace_parent`),
      history: this.db.prepare<[string], { event: string }>(
        'SELECT event FROM history WHERE instance_id = ? ORDER BY seq',
      ),
      historyLength: this.db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM history WHERE instance_id = ?',
      ),
      appendHistory: this.db.prepare('INSERT INTO history (instance_id, seq, event) VALUES (?, ?, ?)'),
      deleteHistory: this.db.prepare('DELETE FROM history WHERE instance_id = ?'),
      enqueue: this.db.prepare(
        'INSERT INTO inbox (instance_id, execution_id, visible_at, event) VALUES (?, ?, ?, ?)',
      ),
      dequeue: this.db.prepare('DELETE FROM inbox WHERE id = ?'),
      deleteInbox: this.db.prepare('DELETE FROM inbox WHERE instance_id = ?'),
      deleteInboxTimer: this.db.prepare(
        "DELETE FROM inbox WHERE instance_id = ? AND json_extract(event, '$.EventType') = 11 AND json_extract(event, '$.TimerId') = ?",
      ),
      inboxHints: this.db.prepare<[], { instance_id: string; t: number }>(
        'SELECT instance_id, MIN(visible_at) AS t FROM inbox GROUP BY instance_id',
      ),
      firstVisibleFor: this.db.prepare<[string], { t: number | null }>(
        // INDEXED BY: otherwise SQLite may walk the visibility index past every other instance's rows.
        'SELECT MIN(visible_at) AS t FROM inbox INDEXED BY inbox_by_instance WHERE instance_id = ?',
      ),
      readyInboxFor: this.db.prepare<
        [string, number, number],
        { id: number; instance_id: string; execution_id: string | null; visible_at: number; event: string }
      >(
        // INDEXED BY: the instance's own rows, never a walk through everything visible.
        `SELECT id, instance_id, execution_id, visible_at, event FROM inbox INDEXED BY inbox_by_instance
         WHERE instance_id = ? AND visible_at <= ? ORDER BY visible_at, id LIMIT ?`,
      ),
      queued: this.db.prepare<
        [string],
        { id: number; instance_id: string; execution_id: string | null; visible_at: number; event: string }
      >(
        'SELECT id, instance_id, execution_id, visible_at, event FROM inbox WHERE instance_id = ? ORDER BY visible_at, id',
      ),
      nextVisibleAt: this.db.prepare<[number], { t: number | null }>(
        'SELECT MIN(visible_at) AS t FROM inbox WHERE visible_at > ?',
      ),
      addWork: this.db.prepare(
        'INSERT INTO work_items (instance_id, execution_id, task_id, name, input, attempt, trace_parent) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      workItems: this.db.prepare<
        [number],
        {
          id: number;
          instance_id: string;
          execution_id: string;
          task_id: number;
          name: string;
          input: string | null;
          attempt: number;
          trace_parent: string | null;
        }
      >('SELECT * FROM work_items ORDER BY id LIMIT ?'),
      deleteWork: this.db.prepare('DELETE FROM work_items WHERE id = ?'),
      workCountFor: this.db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM work_items WHERE instance_id = ?',
      ),
      otherWorkFor: this.db.prepare<[string, number], { one: number }>(
        'SELECT 1 AS one FROM work_items WHERE instance_id = ? AND id <> ? LIMIT 1',
      ),
      deleteWorkFor: this.db.prepare('DELETE FROM work_items WHERE instance_id = ?'),
      deleteInstance: this.db.prepare('DELETE FROM instances WHERE instance_id = ?'),
      inboxCount: this.db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM inbox WHERE instance_id = ?',
      ),
      unfinished: this.db.prepare<[], { n: number }>(
        "SELECT COUNT(*) AS n FROM instances WHERE runtime_status NOT IN ('Completed','Failed','Terminated','Canceled')",
      ),
      getEntity: this.db.prepare<[string], EntityRow>('SELECT * FROM entities WHERE entity_id = ?'),
      upsertEntity: this.db.prepare(
        `INSERT INTO entities (entity_id, name, key, state, last_operation_time) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (entity_id) DO UPDATE SET state = excluded.state, last_operation_time = excluded.last_operation_time`,
      ),
      deleteEntity: this.db.prepare('DELETE FROM entities WHERE entity_id = ?'),
      addEntityOp: this.db.prepare(
        `INSERT INTO entity_ops (entity_id, request_id, operation, input, signal, parent_instance_id, parent_execution_id, trace_parent, kind)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      entityOps: this.db.prepare<[string, number], EntityOpRow>(
        'SELECT * FROM entity_ops WHERE entity_id = ? ORDER BY id LIMIT ?',
      ),
      // While an entity is locked, only its lock owner's messages are delivered; others wait.
      entityOpsFrom: this.db.prepare<[string, string, number], EntityOpRow>(
        'SELECT * FROM entity_ops WHERE entity_id = ? AND parent_instance_id = ? ORDER BY id LIMIT ?',
      ),
      entityOpCountFrom: this.db.prepare<[string, string], { n: number }>(
        'SELECT COUNT(*) AS n FROM entity_ops WHERE entity_id = ? AND parent_instance_id = ?',
      ),
      getLock: this.db.prepare<
        [string],
        { entity_id: string; owner_instance_id: string; owner_execution_id: string; request_id: string }
      >('SELECT * FROM entity_locks WHERE entity_id = ?'),
      addLock: this.db.prepare(
        'INSERT INTO entity_locks (entity_id, owner_instance_id, owner_execution_id, request_id) VALUES (?, ?, ?, ?)',
      ),
      deleteLock: this.db.prepare('DELETE FROM entity_locks WHERE entity_id = ? AND owner_instance_id = ?'),
      locksOfRequest: this.db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM entity_locks WHERE request_id = ?',
      ),
      locksHeldBy: this.db.prepare<[string], { entity_id: string }>(
        'SELECT entity_id FROM entity_locks WHERE owner_instance_id = ?',
      ),
      deleteEntityOp: this.db.prepare('DELETE FROM entity_ops WHERE id = ?'),
      entityOpCount: this.db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM entity_ops WHERE entity_id = ?',
      ),
      entitiesWithOps: this.db.prepare<[], { entity_id: string }>(
        'SELECT DISTINCT entity_id FROM entity_ops',
      ),
      getMeta: this.db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?'),
      setMeta: this.db.prepare(
        'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
      ),
    };
    this.unfinishedCount = this.statements.unfinished.get()!.n;
    for (const row of this.statements.inboxHints.all()) this.readyHints.set(row.instance_id, row.t);
    for (const row of this.statements.entitiesWithOps.all()) this.entityHints.add(row.entity_id);
  }

  /**
   * Runs `work` in one SQLite transaction: all of it commits, or none of it. If it throws, the
   * in-memory copies of whatever it touched are dropped, so nothing uncommitted is ever read back.
   */
  transaction<T>(work: () => T): T {
    if (this.touched) return this.db.transaction(work)();
    // Spans held in memory describe work this commit may make final: they go to their file first.
    flushHeldWrites();
    this.touched = new Set();
    try {
      return this.db.transaction(work)();
    } catch (error) {
      for (const id of this.touched) {
        this.instanceCache.delete(id);
        this.dropHistory(id);
      }
      if (this.db.open) this.unfinishedCount = this.statements.unfinished.get()!.n;
      throw error;
    } finally {
      this.touched = undefined;
    }
  }

  getInstance(instanceId: string): InstanceRecord | undefined {
    const cached = this.instanceCache.get(instanceId);
    if (cached !== undefined) {
      // Most recently used last, so eviction takes the coldest.
      this.instanceCache.delete(instanceId);
      this.instanceCache.set(instanceId, cached);
      return cached;
    }
    const row = this.statements.getInstance.get(instanceId);
    const record = row ? toRecord(row) : undefined;
    if (record && !terminalStatuses.has(record.runtimeStatus)) this.cacheInstance(instanceId, record);
    return record;
  }

  /** Records are shared with the cache: callers replace them (`{...record, …}`), never mutate. */
  saveInstance(record: InstanceRecord): void {
    const before = this.getInstance(record.instanceId);
    this.statements.upsertInstance.run({
      ...record,
      actionSignatures: encodeSignatures(record.actionSignatures),
    });
    this.touch(record.instanceId);
    this.unfinishedCount +=
      Number(!terminalStatuses.has(record.runtimeStatus)) -
      Number(before !== undefined && !terminalStatuses.has(before.runtimeStatus));
    if (!terminalStatuses.has(record.runtimeStatus)) {
      this.cacheInstance(record.instanceId, record);
      return;
    }
    // A finished instance leaves the caches: it is read rarely from now on (a client's last poll,
    // a trace, a rewind), from SQLite, and finished runs do not pile up in memory.
    this.instanceCache.delete(record.instanceId);
    this.dropHistory(record.instanceId);
  }

  /** The instance's history. The array is shared with the cache: read it, never change it. */
  history(instanceId: string): readonly HistoryEvent[] {
    const cached = this.historyCache.get(instanceId);
    if (cached) {
      this.historyCache.delete(instanceId);
      this.historyCache.set(instanceId, cached);
      return cached;
    }
    const events = this.statements.history
      .all(instanceId)
      .map((row) => JSON.parse(row.event) as HistoryEvent);
    // Only live instances' histories are kept (see saveInstance).
    const instance = this.getInstance(instanceId);
    if (instance && terminalStatuses.has(instance.runtimeStatus)) return events;
    this.historyCache.set(instanceId, events);
    this.historyCacheEvents += events.length;
    this.evictHistories();
    return events;
  }

  appendHistory(instanceId: string, events: readonly HistoryEvent[]): void {
    const cached = this.historyCache.get(instanceId);
    let seq = cached ? cached.length : this.statements.historyLength.get(instanceId)!.n;
    for (const e of events) this.statements.appendHistory.run(instanceId, seq++, JSON.stringify(e));
    this.touch(instanceId);
    if (cached) {
      for (const e of events) cached.push(e);
      this.historyCacheEvents += events.length;
      this.evictHistories();
    }
  }

  clearHistory(instanceId: string): void {
    this.statements.deleteHistory.run(instanceId);
    this.touch(instanceId);
    this.dropHistory(instanceId);
  }

  /** What the in-memory copies hold right now (tests, the bench). */
  cacheUse(): { instances: number; histories: number; historyEvents: number } {
    return {
      instances: this.instanceCache.size,
      histories: this.historyCache.size,
      historyEvents: this.historyCacheEvents,
    };
  }

  private touch(instanceId: string): void {
    this.touched?.add(instanceId);
  }

  private cacheInstance(instanceId: string, record: InstanceRecord): void {
    this.instanceCache.delete(instanceId);
    this.instanceCache.set(instanceId, record);
    while (this.instanceCache.size > this.cache.maxInstances) {
      this.instanceCache.delete(this.instanceCache.keys().next().value as string);
    }
  }

  private dropHistory(instanceId: string): void {
    const cached = this.historyCache.get(instanceId);
    if (!cached) return;
    this.historyCache.delete(instanceId);
    this.historyCacheEvents -= cached.length;
  }

  private evictHistories(): void {
    // Keeps the newest entry even when it alone passes the bound.
    while (this.historyCacheEvents > this.cache.maxHistoryEvents && this.historyCache.size > 1) {
      this.dropHistory(this.historyCache.keys().next().value as string);
    }
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
    this.statements.deleteInboxTimer.run(instanceId, timerId);
  }

  /**
   * Up to `limit` instances that may have a message whose time has come, longest waiting first,
   * leaving out `skip` (those already running) and suspended instances (`settleReady` brings
   * one back when it resumes).
   */
  readyInstanceIds(now: number, limit: number, skip: ReadonlySet<string> | Map<string, unknown>): string[] {
    const ready: string[] = [];
    for (const [instanceId, visibleAt] of this.readyHints) {
      if (ready.length >= limit) break;
      if (visibleAt > now || skip.has(instanceId)) continue;
      const instance = this.getInstance(instanceId);
      if (!instance) {
        this.readyHints.delete(instanceId);
        continue;
      }
      if (instance.runtimeStatus === 'Suspended') {
        this.readyHints.delete(instanceId);
        continue;
      }
      ready.push(instanceId);
    }
    return ready;
  }

  /** Brings an instance's ready hint in line with its inbox (after its episodes, or on resume). */
  settleReady(instanceId: string): void {
    this.readyHints.delete(instanceId);
    const t = this.statements.firstVisibleFor.get(instanceId)?.t;
    if (t !== null && t !== undefined) this.readyHints.set(instanceId, t);
  }

  /**
   * The messages one episode delivers: those whose time has come, a new execution's
   * ExecutionStarted first, then in arrival order.
   */
  readyMessagesFor(instanceId: string, now: number, limit: number): InboxMessage[] {
    // Hints are a superset of the inbox: without one there is nothing to read (the common case
    // for a sequential step, whose results skip the inbox).
    if (!this.readyHints.has(instanceId)) return [];
    const messages = this.statements.readyInboxFor.all(instanceId, now, limit).map(toMessage);
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

  addWorkItem(item: Omit<WorkItem, 'id'>): void {
    this.statements.addWork.run(
      item.instanceId,
      item.executionId,
      item.taskId,
      item.name,
      item.input,
      item.attempt,
      item.traceParent,
    );
  }

  workItems(limit: number): WorkItem[] {
    return this.statements.workItems.all(limit).map((row) => ({
      id: row.id,
      instanceId: row.instance_id,
      executionId: row.execution_id,
      taskId: row.task_id,
      name: row.name,
      input: row.input,
      attempt: row.attempt,
      traceParent: row.trace_parent,
    }));
  }

  /** Activities queued or running for an instance. */
  countWorkItems(instanceId: string): number {
    return this.statements.workCountFor.get(instanceId)!.n;
  }

  /**
   * Whether an instance has activities queued or running besides work item `exceptId`: reads at
   * most two index entries, so asking once per finished activity stays cheap in a wide fan-out.
   */
  hasOtherWorkItems(instanceId: string, exceptId: number): boolean {
    return this.statements.otherWorkFor.get(instanceId, exceptId) !== undefined;
  }

  /** Holds an instance's ready hint back until `until` (its messages wait for more to join). */
  deferReady(instanceId: string, until: number): void {
    const hint = this.readyHints.get(instanceId);
    if (hint !== undefined && hint < until) {
      this.readyHints.delete(instanceId);
      this.readyHints.set(instanceId, until);
    }
  }

  deleteWorkItem(id: number): void {
    this.statements.deleteWork.run(id);
  }

  /** Drops everything still queued for an instance (on completion, failure or termination). */
  clearPendingWork(instanceId: string): void {
    this.statements.deleteInbox.run(instanceId);
    this.statements.deleteWorkFor.run(instanceId);
  }

  deleteInstance(instanceId: string): boolean {
    const before = this.getInstance(instanceId);
    this.clearPendingWork(instanceId);
    this.clearHistory(instanceId);
    const deleted = this.statements.deleteInstance.run(instanceId).changes > 0;
    if (before && !terminalStatuses.has(before.runtimeStatus)) this.unfinishedCount--;
    this.instanceCache.delete(instanceId);
    return deleted;
  }

  queryInstances(query: InstanceQuery): { instances: InstanceRecord[]; continuationToken?: string } {
    const where: string[] = [];
    const params: unknown[] = [];
    if (query.runtimeStatus?.length) {
      where.push(`runtime_status IN (${query.runtimeStatus.map(() => '?').join(',')})`);
      params.push(...query.runtimeStatus);
    }
    if (query.createdTimeFrom) {
      where.push('created_time >= ?');
      params.push(query.createdTimeFrom);
    }
    if (query.createdTimeTo) {
      where.push('created_time <= ?');
      params.push(query.createdTimeTo);
    }
    if (query.instanceIdPrefix) {
      where.push('substr(instance_id, 1, ?) = ?');
      params.push(query.instanceIdPrefix.length, query.instanceIdPrefix);
    }
    if (query.continuationToken) {
      const [createdTime, instanceId] = decodeToken(query.continuationToken);
      where.push('(created_time, instance_id) > (?, ?)');
      params.push(createdTime, instanceId);
    }
    const limit = Math.min(Math.max(query.top ?? 100, 1), 1000);
    const sql = `SELECT * FROM instances ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY created_time, instance_id LIMIT ${limit + 1}`;
    const rows = this.db.prepare<unknown[], InstanceRow>(sql).all(...params);
    const page = rows.slice(0, limit).map(toRecord);
    const last = page[page.length - 1];
    return rows.length > limit && last
      ? { instances: page, continuationToken: encodeToken(last.createdTime, last.instanceId) }
      : { instances: page };
  }

  /** Instances not in a terminal state (kept as a count: starts check it on every call). */
  countUnfinished(): number {
    return this.unfinishedCount;
  }

  /** Events waiting in one instance's inbox (completions, timers, raised events). */
  countInbox(instanceId: string): number {
    return this.statements.inboxCount.get(instanceId)!.n;
  }

  // ---- Entities --------------------------------------------------------------------------------

  getEntity(entityId: string): EntityRecord | undefined {
    const row = this.statements.getEntity.get(entityId);
    return row ? toEntity(row) : undefined;
  }

  /** Saves an entity's state, or deletes the entity when it no longer exists (`state` null). */
  saveEntity(entityId: string, name: string, key: string, state: string | null, at: string): void {
    if (state === null) this.statements.deleteEntity.run(entityId);
    else this.statements.upsertEntity.run(entityId, name, key, state, at);
  }

  enqueueEntityOperation(op: Omit<EntityOperation, 'id'>): void {
    this.statements.addEntityOp.run(
      op.entityId,
      op.requestId,
      op.operation,
      op.input,
      op.signal ? 1 : 0,
      op.parentInstanceId,
      op.parentExecutionId,
      op.traceParent,
      op.kind,
    );
    this.entityHints.add(op.entityId);
  }

  /**
   * The oldest messages waiting for an entity, in arrival order; while the entity is locked, only
   * those from its lock owner (`owner`).
   */
  entityOperations(entityId: string, limit: number, owner?: string): EntityOperation[] {
    const rows =
      owner === undefined
        ? this.statements.entityOps.all(entityId, limit)
        : this.statements.entityOpsFrom.all(entityId, owner, limit);
    return rows.map(toEntityOperation);
  }

  /** The orchestration holding an entity's lock, if any. */
  entityLock(
    entityId: string,
  ): { ownerInstanceId: string; ownerExecutionId: string; requestId: string } | undefined {
    const row = this.statements.getLock.get(entityId);
    return row
      ? {
          ownerInstanceId: row.owner_instance_id,
          ownerExecutionId: row.owner_execution_id,
          requestId: row.request_id,
        }
      : undefined;
  }

  /** Locks an entity for a critical section; returns how many of the request's entities it now holds. */
  lockEntity(entityId: string, ownerInstanceId: string, ownerExecutionId: string, requestId: string): number {
    this.statements.addLock.run(entityId, ownerInstanceId, ownerExecutionId, requestId);
    return this.statements.locksOfRequest.get(requestId)!.n;
  }

  unlockEntity(entityId: string, ownerInstanceId: string): void {
    this.statements.deleteLock.run(entityId, ownerInstanceId);
    this.entityHints.add(entityId);
  }

  /** Entities whose lock an orchestration holds. */
  locksHeldBy(instanceId: string): string[] {
    return this.statements.locksHeldBy.all(instanceId).map((row) => row.entity_id);
  }

  deleteEntityOperations(ops: readonly EntityOperation[]): void {
    for (const op of ops) this.statements.deleteEntityOp.run(op.id);
  }

  countEntityOperations(entityId: string): number {
    return this.statements.entityOpCount.get(entityId)!.n;
  }

  /** Up to `limit` entities that may have operations waiting, leaving out `skip`. */
  readyEntityIds(limit: number, skip: ReadonlySet<string> | Map<string, unknown>): string[] {
    const ready: string[] = [];
    for (const entityId of this.entityHints) {
      if (ready.length >= limit) break;
      if (!skip.has(entityId)) ready.push(entityId);
    }
    return ready;
  }

  /** Brings an entity's hint in line with its queue (after a batch). */
  settleEntity(entityId: string): void {
    this.entityHints.delete(entityId);
    // A locked entity only has work when its owner sent something; the rest waits for the release.
    const lock = this.entityLock(entityId);
    const waiting = lock
      ? this.statements.entityOpCountFrom.get(entityId, lock.ownerInstanceId)!.n
      : this.countEntityOperations(entityId);
    if (waiting > 0) this.entityHints.add(entityId);
  }

  queryEntities(query: EntityQuery): { entities: EntityRecord[]; continuationToken?: string } {
    const where = ['name = ?'];
    const params: unknown[] = [query.name];
    if (query.lastOperationTimeFrom) {
      where.push('last_operation_time >= ?');
      params.push(query.lastOperationTimeFrom);
    }
    if (query.lastOperationTimeTo) {
      where.push('last_operation_time <= ?');
      params.push(query.lastOperationTimeTo);
    }
    if (query.continuationToken) {
      const [key] = decodeToken(query.continuationToken);
      where.push('key > ?');
      params.push(key);
    }
    const limit = Math.min(Math.max(query.top ?? 100, 1), 1000);
    const rows = this.db
      .prepare<
        unknown[],
        EntityRow
      >(`SELECT * FROM entities WHERE ${where.join(' AND ')} ORDER BY key LIMIT ${limit + 1}`)
      .all(...params);
    const page = rows.slice(0, limit).map(toEntity);
    const last = page[page.length - 1];
    return rows.length > limit && last
      ? { entities: page, continuationToken: encodeToken(last.key, '') }
      : { entities: page };
  }

  getMeta(key: string): string | undefined {
    return this.statements.getMeta.get(key)?.value;
  }

  setMeta(key: string, value: string): void {
    this.statements.setMeta.run(key, value);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/**
 * Action signatures as stored: runs of the same signature as `[signature, count]`, so a loop of
 * 1,000 identical calls is one short entry instead of a row that grows (and is rewritten) with
 * every step. Plain strings, as earlier versions wrote them, still read.
 */
export function encodeSignatures(signatures: readonly string[]): string {
  const runs: (string | [string, number])[] = [];
  for (let i = 0; i < signatures.length; ) {
    let j = i + 1;
    while (j < signatures.length && signatures[j] === signatures[i]) j++;
    runs.push(j - i === 1 ? signatures[i] : [signatures[i], j - i]);
    i = j;
  }
  return JSON.stringify(runs);
}

export function decodeSignatures(text: string): string[] {
  const signatures: string[] = [];
  for (const run of JSON.parse(text) as (string | [string, number])[]) {
    if (typeof run === 'string') signatures.push(run);
    else for (let k = 0; k < run[1]; k++) signatures.push(run[0]);
  }
  return signatures;
}

/** Brings a store file written by an earlier version up to the current schema. */
function migrate(db: Database.Database): void {
  const columns = new Set((db.pragma('table_info(instances)') as { name: string }[]).map((c) => c.name));
  if (!columns.has('parent_execution_id'))
    db.exec('ALTER TABLE instances ADD COLUMN parent_execution_id TEXT');
  const opColumns = new Set((db.pragma('table_info(entity_ops)') as { name: string }[]).map((c) => c.name));
  if (!opColumns.has('kind'))
    db.exec("ALTER TABLE entity_ops ADD COLUMN kind TEXT NOT NULL DEFAULT 'operation'");
}

function toMessage(row: {
  id: number;
  instance_id: string;
  execution_id: string | null;
  visible_at: number;
  event: string;
}): InboxMessage {
  return {
    id: row.id,
    instanceId: row.instance_id,
    executionId: row.execution_id,
    visibleAt: row.visible_at,
    event: JSON.parse(row.event) as HistoryEvent,
  };
}

function encodeToken(createdTime: string, instanceId: string): string {
  return Buffer.from(JSON.stringify([createdTime, instanceId])).toString('base64url');
}

function decodeToken(token: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return value as [string, string];
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidContinuationTokenError();
}

export class InvalidContinuationTokenError extends Error {
  constructor() {
    super('The continuation token is not valid.');
  }
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
