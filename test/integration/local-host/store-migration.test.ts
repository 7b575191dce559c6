/**
 * A store file written by an earlier version (before instances had `parent_execution_id` and
 * entity operations a `kind`) opens, gains the columns, keeps its rows and takes the new fields.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableStore } from '../../../src/local-host/durable/store';

const oldSchema = `
CREATE TABLE instances (
  instance_id TEXT PRIMARY KEY, name TEXT NOT NULL, execution_id TEXT NOT NULL, runtime_status TEXT NOT NULL,
  input TEXT, output TEXT, custom_status TEXT, created_time TEXT NOT NULL, last_updated_time TEXT NOT NULL,
  parent_instance_id TEXT, parent_task_id INTEGER, next_seq INTEGER NOT NULL DEFAULT 0,
  actions_processed INTEGER NOT NULL DEFAULT 0, action_signatures TEXT NOT NULL DEFAULT '[]', trace_parent TEXT
);
CREATE TABLE entity_ops (
  id INTEGER PRIMARY KEY AUTOINCREMENT, entity_id TEXT NOT NULL, request_id TEXT NOT NULL, operation TEXT NOT NULL,
  input TEXT, signal INTEGER NOT NULL, parent_instance_id TEXT, parent_execution_id TEXT, trace_parent TEXT
);
INSERT INTO instances VALUES ('old', 'plan', 'e1', 'Running', NULL, NULL, NULL, '2027-01-01T00:00:00.000Z',
  '2027-01-01T00:00:00.000Z', NULL, NULL, 3, 1, '["CallActivity:a"]', NULL);
INSERT INTO entity_ops (entity_id, request_id, operation, input, signal) VALUES ('@counter@a', 'r1', 'add', '1', 1);
`;

let dir: string | undefined;
let store: DurableStore | undefined;
afterEach(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('DurableStore on a file from an earlier version', () => {
  it('adds the missing columns and keeps what was there', () => {
    dir = mkdtempSync(join(tmpdir(), 'store-migration-'));
    const path = join(dir, 'durable.db');
    const old = new Database(path);
    old.exec(oldSchema);
    old.close();

    store = new DurableStore(path);
    const instance = store.getInstance('old');
    expect(instance).toMatchObject({ runtimeStatus: 'Running', nextSeq: 3, parentExecutionId: null });
    expect(instance?.actionSignatures).toEqual(['CallActivity:a']);
    store.saveInstance({ ...instance!, parentInstanceId: 'p', parentExecutionId: 'pe' });
    // The queued operation reads as an operation; a lock request keeps its kind.
    store.enqueueEntityOperation({
      kind: 'lock',
      entityId: '@counter@a',
      requestId: 'r2',
      operation: 'lock',
      input: null,
      signal: false,
      parentInstanceId: 'old',
      parentExecutionId: 'e1',
      traceParent: null,
    });
    expect(store.entityOperations('@counter@a', 10).map((op) => [op.requestId, op.kind])).toEqual([
      ['r1', 'operation'],
      ['r2', 'lock'],
    ]);
    expect(store.readyEntityIds(10, new Set())).toEqual(['@counter@a']);
    store.close();

    store = new DurableStore(path);
    expect(store.getInstance('old')?.parentExecutionId).toBe('pe');
  });
});
