/**
 * Rewind, as Durable Functions does it (DTFx AzureTableTrackingStore.RewindHistoryAsync): a
 * failed instance goes back to before the failure that ended it, the failed activities run again,
 * failed sub-orchestrations are rewound in turn, and everything else the orchestration had
 * already received is kept. Azure Storage turns the failure events into GenericEvents marked
 * "Rewound: …" and revives the instance with a GenericEvent carrying the reason; so does this.
 *
 * Concretely, the execution is cut at the first episode that delivered a failure the orchestrator
 * saw (a task failure with no retry left), or at its last episode when its own code threw. Events
 * from the cut on stay in the history as GenericEvents ("Rewound: <type>"). What they had
 * delivered is sorted out: answers to tasks scheduled before the cut (completions, retried
 * failures, timers, entity answers) and raised events are delivered again; the final failures are
 * replaced by running those tasks again; answers to tasks scheduled after the cut are dropped,
 * since the orchestrator schedules those again itself. Tasks still pending at the cut whose work
 * the failure had cleared are queued again. All of it in the caller's transaction.
 */
import { ActionType } from './actions';
import { EventType, history, type HistoryEvent, type RetryState, type TimerPurpose } from './history';
import { subOrchestrationTraceParent } from './host-spans';
import { createInstance } from './instance-lifecycle';
import { ReplayState } from './replay-state';
import { terminalStatuses, type DurableStore, type InstanceRecord } from './store';

export type RewindOutcome =
  | { kind: 'accepted' }
  | { kind: 'notFound' }
  | { kind: 'refused'; status: 409 | 410 | 412; message: string };

class RewindRefused extends Error {
  constructor(
    readonly status: 409 | 410 | 412,
    message: string,
  ) {
    super(message);
  }
}

/** Rewinds a failed instance (and its failed sub-orchestrations). Call inside a transaction. */
export function rewind(store: DurableStore, instanceId: string, reason: string, now: Date): RewindOutcome {
  try {
    return rewindInstance(store, instanceId, reason, now) ? { kind: 'accepted' } : { kind: 'notFound' };
  } catch (error) {
    if (error instanceof RewindRefused)
      return { kind: 'refused', status: error.status, message: error.message };
    throw error;
  }
}

function rewindInstance(store: DurableStore, instanceId: string, reason: string, now: Date): boolean {
  const instance = store.getInstance(instanceId);
  if (!instance) return false;
  if (instance.runtimeStatus !== 'Failed') {
    throw new RewindRefused(
      terminalStatuses.has(instance.runtimeStatus) ? 410 : 412,
      `Only failed instances can be rewound; '${instanceId}' is ${instance.runtimeStatus}.`,
    );
  }
  const events = store.history(instanceId);
  const cut = cutIndex(events);
  const before = events.slice(0, cut);
  const after = events.slice(cut);
  const end = positionAt(instanceId, before);
  refuseOpenCriticalSection(instance, end.actionsProcessed);

  const revived: InstanceRecord = {
    ...instance,
    runtimeStatus: 'Pending',
    output: null,
    nextSeq: end.nextSeq,
    actionsProcessed: end.actionsProcessed,
    actionSignatures: instance.actionSignatures.slice(0, end.actionsProcessed),
    lastUpdatedTime: now.toISOString(),
  };
  store.clearHistory(instanceId);
  store.appendHistory(instanceId, [...before, ...after.map(rewound)]);
  store.saveInstance(revived);
  // DTFx revives a rewound instance with a GenericEvent carrying the reason.
  store.enqueue(instanceId, revived.executionId, now.getTime(), {
    EventType: EventType.GenericEvent,
    EventId: -1,
    IsPlayed: false,
    Timestamp: now.toISOString(),
    Data: reason,
  });
  resumeWork(store, revived, ReplayState.of(before), after, reason, now);
  return true;
}

/** A task failure the orchestrator saw: no retry options, or its retries were used up. */
function isFinalFailure(e: HistoryEvent, events: readonly HistoryEvent[]): boolean {
  if (e.EventType !== EventType.TaskFailed && e.EventType !== EventType.SubOrchestrationInstanceFailed)
    return false;
  const id = e.TaskScheduledId as number;
  const retried = events.some((t) => {
    const purpose = t.HostPurpose as TimerPurpose | undefined;
    return t.EventType === EventType.TimerCreated && purpose?.kind === 'retry' && purpose.retryOf === id;
  });
  if (!retried) return true;
  return events.some((t) => {
    const purpose = t.HostPurpose as TimerPurpose | undefined;
    return purpose?.kind === 'retry' && purpose.retryOf === id && purpose.final;
  });
}

/** The index of the OrchestratorStarted of the episode the rewind goes back to. */
function cutIndex(events: readonly HistoryEvent[]): number {
  let episodeStart = -1;
  let lastEpisodeStart = -1;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (e.EventType === EventType.OrchestratorStarted) episodeStart = lastEpisodeStart = i;
    if (e.HostDelivered === true && isFinalFailure(e, events)) return episodeStart;
  }
  if (lastEpisodeStart < 0)
    throw new RewindRefused(409, 'The instance never ran, so there is nothing to rewind.');
  return lastEpisodeStart;
}

/** Where the execution stood at the cut: the last episode before it noted this. */
function positionAt(
  instanceId: string,
  before: readonly HistoryEvent[],
): { actionsProcessed: number; nextSeq: number } {
  for (let i = before.length - 1; i >= 0; i--) {
    const e = before[i];
    if (e.EventType !== EventType.OrchestratorCompleted) continue;
    if (typeof e.HostActions !== 'number' || typeof e.HostNextSeq !== 'number') {
      throw new RewindRefused(
        409,
        `Instance '${instanceId}' was recorded by an older local host that did not note what rewind needs; restart it instead.`,
      );
    }
    return { actionsProcessed: e.HostActions, nextSeq: e.HostNextSeq };
  }
  return { actionsProcessed: 0, nextSeq: 0 };
}

/** Entity locks were released when the instance failed: a rewind into a critical section cannot hold. */
function refuseOpenCriticalSection(instance: InstanceRecord, actionsProcessed: number): void {
  let locked = false;
  for (const signature of instance.actionSignatures.slice(0, actionsProcessed)) {
    if (signature.startsWith(`${ActionType.LockEntities}:`)) locked = true;
    if (signature.startsWith(`${ActionType.ReleaseEntities}:`)) locked = false;
  }
  if (locked) {
    throw new RewindRefused(
      409,
      `Instance '${instance.instanceId}' failed inside a critical section; its entity locks were released, so it cannot be rewound.`,
    );
  }
}

/** An event set aside by the rewind: a GenericEvent that still says what it was. */
function rewound(e: HistoryEvent): HistoryEvent {
  return {
    EventType: EventType.GenericEvent,
    EventId: -1,
    IsPlayed: false,
    Timestamp: e.Timestamp,
    Reason: `Rewound: ${EventType[e.EventType]}`,
    HostRewound: e,
  };
}

/** The id a delivered event answers: a task id, or an entity request id (EventRaised by name). */
function answerKey(e: HistoryEvent): number | string | undefined {
  if (e.EventType === EventType.TimerFired) return e.TimerId as number;
  if (typeof e.TaskScheduledId === 'number') return e.TaskScheduledId;
  if (e.EventType === EventType.EventRaised) return e.Name as string;
  return undefined;
}

/** Entity requests (call answers are EventRaised named by the request id) among events. */
function entityRequests(events: readonly HistoryEvent[]): Map<string, HistoryEvent> {
  const requests = new Map<string, HistoryEvent>();
  for (const e of events) {
    if (e.EventType !== EventType.EventSent || typeof e.Input !== 'string') continue;
    const request = JSON.parse(e.Input) as { id?: string; signal?: boolean };
    if (request.id && !request.signal) requests.set(request.id, e);
  }
  return requests;
}

function resumeWork(
  store: DurableStore,
  instance: InstanceRecord,
  before: ReplayState,
  after: readonly HistoryEvent[],
  reason: string,
  now: Date,
): void {
  const callsBefore = entityRequests(store.history(instance.instanceId).slice(0, before.length));
  const callsAfter = entityRequests(after);
  const answered = new Set<number | string>();
  for (const e of after) {
    if (e.HostDelivered !== true) continue;
    const key = answerKey(e);
    if (typeof key === 'number' && !before.outstanding.has(key)) continue; // scheduled after the cut
    if (typeof key === 'string' && callsAfter.has(key) && !callsBefore.has(key)) continue;
    if (key !== undefined) answered.add(key);
    if (e.EventType === EventType.GenericEvent) continue;
    if (isFinalFailure(e, after))
      runAgain(store, instance, before.scheduledById.get(key as number)!, reason, now);
    else store.enqueue(instance.instanceId, instance.executionId, now.getTime(), withoutBookkeeping(e, now));
  }
  for (const id of before.outstanding) {
    if (!answered.has(id)) runAgain(store, instance, before.scheduledById.get(id)!, reason, now);
  }
  for (const id of callsBefore.keys()) {
    const answeredBefore = store
      .history(instance.instanceId)
      .some((e) => e.EventType === EventType.EventRaised && e.Name === id);
    if (!answered.has(id) && !answeredBefore) {
      throw new RewindRefused(
        409,
        `Instance '${instance.instanceId}' was waiting for an entity when it failed; it cannot be rewound.`,
      );
    }
  }
}

function withoutBookkeeping(e: HistoryEvent, now: Date): HistoryEvent {
  const copy: HistoryEvent = { ...e, IsPlayed: false, Timestamp: now.toISOString() };
  delete copy.HostDelivered;
  return copy;
}

/** Queues a pending task's work again: an activity, a timer, or its sub-orchestration. */
function runAgain(
  store: DurableStore,
  instance: InstanceRecord,
  scheduled: HistoryEvent,
  reason: string,
  now: Date,
): void {
  switch (scheduled.EventType) {
    case EventType.TaskScheduled:
      store.addWorkItem({
        instanceId: instance.instanceId,
        executionId: instance.executionId,
        taskId: scheduled.EventId,
        name: scheduled.Name as string,
        input: (scheduled.Input as string | null) ?? null,
        attempt: (scheduled.HostRetry as RetryState | undefined)?.attempt ?? 1,
        traceParent: instance.traceParent,
      });
      return;
    case EventType.TimerCreated: {
      const fireAt = Date.parse(scheduled.FireAt as string);
      const at = new Date(Math.max(fireAt, now.getTime()));
      store.enqueue(
        instance.instanceId,
        instance.executionId,
        at.getTime(),
        history.timerFired(at, scheduled.EventId, scheduled.FireAt as string),
      );
      return;
    }
    case EventType.SubOrchestrationInstanceCreated:
      reviveChild(store, instance, scheduled, reason, now);
      return;
    default:
      return;
  }
}

/** A child the parent waits for again: rewound when it failed, its result resent, or started anew. */
function reviveChild(
  store: DurableStore,
  parent: InstanceRecord,
  created: HistoryEvent,
  reason: string,
  now: Date,
): void {
  const childId = created.InstanceId as string;
  const child = store.getInstance(childId);
  const ours =
    child?.parentInstanceId === parent.instanceId &&
    child.parentExecutionId === parent.executionId &&
    child.parentTaskId === created.EventId;
  if (child && ours && !terminalStatuses.has(child.runtimeStatus)) return; // it will report
  if (child && ours && child.runtimeStatus === 'Completed') {
    store.enqueue(
      parent.instanceId,
      parent.executionId,
      now.getTime(),
      history.subOrchestrationCompleted(now, created.EventId, child.output ?? 'null'),
    );
    return;
  }
  if (child && ours && child.runtimeStatus === 'Failed') {
    rewindInstance(store, childId, reason, now);
    return;
  }
  if (child && !terminalStatuses.has(child.runtimeStatus)) {
    throw new RewindRefused(
      409,
      `Sub-orchestration '${childId}' is running for another parent; it cannot be revived.`,
    );
  }
  if (child) store.deleteInstance(childId);
  createInstance(
    store,
    now,
    created.Name as string,
    childId,
    (created.Input as string | null) ?? null,
    { instanceId: parent.instanceId, taskId: created.EventId, executionId: parent.executionId },
    subOrchestrationTraceParent(parent, created.EventId),
  );
}
