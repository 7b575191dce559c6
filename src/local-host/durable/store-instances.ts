/**
 * The store's `instances` table: one row per orchestration instance (its current execution), a
 * write-through copy of live instances' rows in memory, and the count of unfinished instances.
 */
import type Database from 'better-sqlite3';
import { decodePageToken, encodePageToken, pageSize } from './page-token';
import { addMissingColumn } from './store-file';

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
`;

export class InstanceTable {
  private readonly statements;
  /** Write-through copies of live instances' rows, most recently used last. */
  private readonly cache = new Map<string, InstanceRecord>();
  private unfinishedCount: number;

  /**
   * @param touch called with the id of every instance a write changes (the store evicts them if
   *   the transaction rolls back).
   */
  constructor(
    private readonly db: Database.Database,
    private readonly touch: (instanceId: string) => void,
    private readonly maxCached: number,
  ) {
    db.exec(schema);
    addMissingColumn(db, 'instances', 'parent_execution_id', 'TEXT');
    this.statements = {
      get: db.prepare<[string], InstanceRow>('SELECT * FROM instances WHERE instance_id = ?'),
      upsert: db.prepare(`
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
      delete: db.prepare('DELETE FROM instances WHERE instance_id = ?'),
      unfinished: db.prepare<[], { n: number }>(
        "SELECT COUNT(*) AS n FROM instances WHERE runtime_status NOT IN ('Completed','Failed','Terminated','Canceled')",
      ),
    };
    this.unfinishedCount = this.countUnfinishedRows();
  }

  get(instanceId: string): InstanceRecord | undefined {
    const cached = this.cache.get(instanceId);
    if (cached !== undefined) {
      // Most recently used last, so eviction takes the coldest.
      this.cache.delete(instanceId);
      this.cache.set(instanceId, cached);
      return cached;
    }
    const row = this.statements.get.get(instanceId);
    const record = row ? toRecord(row) : undefined;
    if (record && !terminalStatuses.has(record.runtimeStatus)) this.remember(instanceId, record);
    return record;
  }

  /**
   * Records are shared with the cache: callers replace them (`{...record, …}`), never mutate. A
   * finished instance leaves the cache: it is read rarely from now on (a client's last poll, a
   * trace, a rewind), from SQLite, and finished runs do not pile up in memory.
   */
  save(record: InstanceRecord): void {
    const before = this.get(record.instanceId);
    this.statements.upsert.run({ ...record, actionSignatures: encodeSignatures(record.actionSignatures) });
    this.touch(record.instanceId);
    this.unfinishedCount +=
      Number(!terminalStatuses.has(record.runtimeStatus)) -
      Number(before !== undefined && !terminalStatuses.has(before.runtimeStatus));
    if (terminalStatuses.has(record.runtimeStatus)) this.cache.delete(record.instanceId);
    else this.remember(record.instanceId, record);
  }

  delete(instanceId: string): boolean {
    const before = this.get(instanceId);
    const deleted = this.statements.delete.run(instanceId).changes > 0;
    if (before && !terminalStatuses.has(before.runtimeStatus)) this.unfinishedCount--;
    this.cache.delete(instanceId);
    return deleted;
  }

  query(query: InstanceQuery): { instances: InstanceRecord[]; continuationToken?: string } {
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
      const [createdTime, instanceId] = decodePageToken(query.continuationToken);
      where.push('(created_time, instance_id) > (?, ?)');
      params.push(createdTime, instanceId);
    }
    const limit = pageSize(query.top);
    const sql = `SELECT * FROM instances ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
      ORDER BY created_time, instance_id LIMIT ${limit + 1}`;
    const rows = this.db.prepare<unknown[], InstanceRow>(sql).all(...params);
    const page = rows.slice(0, limit).map(toRecord);
    const last = page[page.length - 1];
    return rows.length > limit && last
      ? { instances: page, continuationToken: encodePageToken(last.createdTime, last.instanceId) }
      : { instances: page };
  }

  /** Instances not in a terminal state (kept as a count: starts check it on every call). */
  countUnfinished(): number {
    return this.unfinishedCount;
  }

  /** Forgets what a rolled-back transaction wrote: the next reads come from the file again. */
  forget(instanceIds: Iterable<string>): void {
    for (const id of instanceIds) this.cache.delete(id);
    if (this.db.open) this.unfinishedCount = this.countUnfinishedRows();
  }

  cachedCount(): number {
    return this.cache.size;
  }

  private countUnfinishedRows(): number {
    return this.statements.unfinished.get()!.n;
  }

  private remember(instanceId: string, record: InstanceRecord): void {
    this.cache.delete(instanceId);
    this.cache.set(instanceId, record);
    while (this.cache.size > this.maxCached) {
      this.cache.delete(this.cache.keys().next().value as string);
    }
  }
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
