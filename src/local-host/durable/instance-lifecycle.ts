/**
 * Instance transitions shared by client operations and episodes: creating an instance with its
 * ExecutionStarted message, ending one, and telling a parent orchestration how its child ended.
 * Each runs inside the caller's store transaction.
 */
import { randomUUID } from 'node:crypto';
import { history, type FailureInfo } from './history';
import { terminalStatuses, type DurableStore, type InstanceRecord } from './store';

export interface ParentLink {
  instanceId: string;
  taskId: number;
  executionId: string;
}

/** Inserts a new instance and its ExecutionStarted message. */
export function createInstance(
  store: DurableStore,
  now: Date,
  name: string,
  instanceId: string,
  input: string | null,
  parent: ParentLink | null,
  traceParent: string | null,
): InstanceRecord {
  const record: InstanceRecord = {
    instanceId,
    name,
    executionId: randomUUID(),
    runtimeStatus: 'Pending',
    input,
    output: null,
    customStatus: null,
    createdTime: now.toISOString(),
    lastUpdatedTime: now.toISOString(),
    parentInstanceId: parent?.instanceId ?? null,
    parentTaskId: parent?.taskId ?? null,
    parentExecutionId: parent?.executionId ?? null,
    nextSeq: 0,
    actionsProcessed: 0,
    actionSignatures: [],
    traceParent,
  };
  store.saveInstance(record);
  store.enqueue(
    instanceId,
    record.executionId,
    now.getTime(),
    history.executionStarted(now, name, input, parent?.instanceId),
  );
  return record;
}

/** Sends a finished child's outcome to the parent execution that waits for it. */
export function notifyParent(
  store: DurableStore,
  child: InstanceRecord,
  outcome: { kind: 'completed'; result: string } | { kind: 'failed'; failure: FailureInfo },
  now: Date,
): void {
  if (!child.parentInstanceId || child.parentTaskId === null) return;
  const event =
    outcome.kind === 'completed'
      ? history.subOrchestrationCompleted(now, child.parentTaskId, outcome.result)
      : history.subOrchestrationFailed(now, child.parentTaskId, outcome.failure);
  // Tagged with the waiting execution: after continue-as-new or a restart it is dropped, never
  // delivered to a task that merely reuses the id.
  store.enqueue(child.parentInstanceId, child.parentExecutionId, now.getTime(), event);
}

/**
 * Fails an unfinished instance from outside an episode (a host fault, an orchestrator that no
 * longer exists): appends ExecutionCompleted, drops its queued work and tells its parent.
 * Returns the new record, or undefined when the instance is gone or already finished.
 */
export function failUnfinished(
  store: DurableStore,
  instanceId: string,
  failure: FailureInfo,
  now: Date,
): InstanceRecord | undefined {
  const instance = store.getInstance(instanceId);
  if (!instance || terminalStatuses.has(instance.runtimeStatus)) return undefined;
  store.appendHistory(instanceId, [history.executionCompleted(now, 'Failed', null, failure)]);
  store.clearPendingWork(instanceId);
  const record: InstanceRecord = {
    ...instance,
    runtimeStatus: 'Failed',
    output: JSON.stringify(failure.reason),
    lastUpdatedTime: now.toISOString(),
  };
  store.saveInstance(record);
  notifyParent(store, record, { kind: 'failed', failure }, now);
  releaseLocks(store, instanceId, record.traceParent);
  return record;
}

/**
 * Releases every entity lock an orchestration holds, as the extension does when it ends (or
 * continues as new) inside a critical section. Lock requests not granted yet are dropped when
 * their turn comes (their owner is no longer that execution).
 */
export function releaseLocks(store: DurableStore, instanceId: string, traceParent: string | null): void {
  for (const entityId of store.locksHeldBy(instanceId)) {
    store.enqueueEntityOperation({
      kind: 'release',
      entityId,
      requestId: randomUUID(),
      operation: 'release',
      input: null,
      signal: true,
      parentInstanceId: instanceId,
      parentExecutionId: null,
      traceParent,
    });
  }
}
