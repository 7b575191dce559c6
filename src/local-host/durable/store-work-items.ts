/** The store's `work_items` table: the activity work queue, one row per activity queued or running. */
import type Database from 'better-sqlite3';

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

interface WorkItemRow {
  id: number;
  instance_id: string;
  execution_id: string;
  task_id: number;
  name: string;
  input: string | null;
  attempt: number;
  trace_parent: string | null;
}

const schema = `
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
`;

export class WorkItemTable {
  private readonly statements;

  constructor(db: Database.Database) {
    db.exec(schema);
    this.statements = {
      add: db.prepare(
        'INSERT INTO work_items (instance_id, execution_id, task_id, name, input, attempt, trace_parent) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      oldest: db.prepare<[number], WorkItemRow>('SELECT * FROM work_items ORDER BY id LIMIT ?'),
      delete: db.prepare('DELETE FROM work_items WHERE id = ?'),
      countFor: db.prepare<[string], { n: number }>(
        'SELECT COUNT(*) AS n FROM work_items WHERE instance_id = ?',
      ),
      otherFor: db.prepare<[string, number], { one: number }>(
        'SELECT 1 AS one FROM work_items WHERE instance_id = ? AND id <> ? LIMIT 1',
      ),
      deleteFor: db.prepare('DELETE FROM work_items WHERE instance_id = ?'),
    };
  }

  add(item: Omit<WorkItem, 'id'>): void {
    this.statements.add.run(
      item.instanceId,
      item.executionId,
      item.taskId,
      item.name,
      item.input,
      item.attempt,
      item.traceParent,
    );
  }

  /** Up to `limit` work items, oldest first. */
  oldest(limit: number): WorkItem[] {
    return this.statements.oldest.all(limit).map((row) => ({
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
  count(instanceId: string): number {
    return this.statements.countFor.get(instanceId)!.n;
  }

  /**
   * Whether an instance has activities queued or running besides work item `exceptId`: reads at
   * most two index entries, so asking once per finished activity stays cheap in a wide fan-out.
   */
  hasOthers(instanceId: string, exceptId: number): boolean {
    return this.statements.otherFor.get(instanceId, exceptId) !== undefined;
  }

  delete(id: number): void {
    this.statements.delete.run(id);
  }

  /** Drops every work item of an instance. */
  clear(instanceId: string): void {
    this.statements.deleteFor.run(instanceId);
  }
}
