/**
 * The durable store's in-memory copies hold live instances only. A finished instance's record and
 * history leave the caches when it ends and are not cached again when read, so finished runs do
 * not pile up in memory (up to 20,000 records and 500,000 events before); reads see everything.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DurableStore, type InstanceRecord } from '../../../src/local-host/durable/store';
import { EventType, type HistoryEvent } from '../../../src/local-host/durable/history';

let store: DurableStore;
afterEach(() => store?.close());

function record(instanceId: string, runtimeStatus: InstanceRecord['runtimeStatus']): InstanceRecord {
  return {
    instanceId,
    name: 'plan',
    executionId: `${instanceId}-1`,
    runtimeStatus,
    input: '{"request":"a trip"}',
    output: runtimeStatus === 'Completed' ? '{"ok":true}' : null,
    customStatus: '{"status":"running"}',
    createdTime: '2027-01-01T00:00:00.000Z',
    lastUpdatedTime: '2027-01-01T00:00:01.000Z',
    parentInstanceId: null,
    parentTaskId: null,
    parentExecutionId: null,
    nextSeq: 0,
    actionsProcessed: 0,
    actionSignatures: [],
    traceParent: null,
  };
}

const event = (type: EventType, id = -1): HistoryEvent =>
  ({ EventType: type, EventId: id, IsPlayed: false, Timestamp: '2027-01-01T00:00:00.000Z' }) as HistoryEvent;

describe('DurableStore caches', () => {
  it('drops a finished instance from its caches, and keeps serving it from SQLite', () => {
    store = new DurableStore(':memory:');
    store.transaction(() => {
      store.saveInstance(record('a', 'Running'));
      store.appendHistory('a', [event(EventType.OrchestratorStarted), event(EventType.ExecutionStarted)]);
      store.saveInstance(record('b', 'Running'));
      store.appendHistory('b', [event(EventType.OrchestratorStarted)]);
    });
    // Reading caches the history (the replay reads it every episode).
    expect(store.history('a')).toHaveLength(2);
    expect(store.cacheUse()).toEqual({ instances: 2, histories: 1, historyEvents: 2 });

    store.transaction(() => {
      store.appendHistory('a', [event(EventType.ExecutionCompleted)]);
      store.saveInstance(record('a', 'Completed'));
    });
    expect(store.cacheUse()).toEqual({ instances: 1, histories: 0, historyEvents: 0 });

    // Reads of the finished instance come from SQLite and are not cached again.
    expect(store.getInstance('a')?.runtimeStatus).toBe('Completed');
    expect(store.history('a').map((e) => e.EventType)).toEqual([
      EventType.OrchestratorStarted,
      EventType.ExecutionStarted,
      EventType.ExecutionCompleted,
    ]);
    expect(store.cacheUse()).toEqual({ instances: 1, histories: 0, historyEvents: 0 });
    expect(store.countUnfinished()).toBe(1);
  });

  it('keeps caching a live instance, and a restarted one again', () => {
    store = new DurableStore(':memory:');
    store.transaction(() => store.saveInstance(record('c', 'Failed')));
    expect(store.cacheUse().instances).toBe(0);
    store.transaction(() => store.saveInstance(record('c', 'Pending')));
    expect(store.getInstance('c')?.runtimeStatus).toBe('Pending');
    expect(store.cacheUse().instances).toBe(1);
    expect(store.countUnfinished()).toBe(1);
  });

  it('leaves nothing uncommitted behind when the transaction that finished an instance rolls back', () => {
    store = new DurableStore(':memory:');
    store.transaction(() => store.saveInstance(record('d', 'Running')));
    expect(() =>
      store.transaction(() => {
        store.saveInstance(record('d', 'Completed'));
        throw new Error('episode failed');
      }),
    ).toThrow('episode failed');
    expect(store.getInstance('d')?.runtimeStatus).toBe('Running');
    expect(store.countUnfinished()).toBe(1);
  });
});
