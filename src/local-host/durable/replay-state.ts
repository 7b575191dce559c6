/**
 * What the host derives from an instance's committed history, kept up to date incrementally: the
 * scheduling events by task id, the tasks still outstanding, the last episode's time, and the
 * history in the SDK's view. Built once per cached history and extended by the events appended
 * since, so an episode costs what its new events cost instead of a pass over the whole history.
 */
import type { SdkHistoryEvent } from './actions';
import { EventType, type HistoryEvent, type TimerPurpose } from './history';

export class ReplayState {
  /** How many events of the history this state has taken in (the history's length). */
  length = 0;
  /** TaskScheduled, SubOrchestrationInstanceCreated and TimerCreated by task id. */
  readonly scheduledById = new Map<number, HistoryEvent>();
  /** Scheduled task ids with no completion, failure or firing yet. */
  readonly outstanding = new Set<number>();
  /** Milliseconds of the last OrchestratorStarted (0 before the first episode). */
  lastEpisodeAt = 0;
  /** The committed history as the SDK receives it (the events it reads), every event played. */
  readonly sdkHistory: SdkHistoryEvent[] = [];

  private static readonly byHistory = new WeakMap<readonly HistoryEvent[], ReplayState>();

  /**
   * The state for a history array from the store's cache. The store only ever appends to a cached
   * array (and replaces it after a reload or a clear), so the array's identity keys the state.
   */
  static of(history: readonly HistoryEvent[]): ReplayState {
    let state = ReplayState.byHistory.get(history);
    if (!state) {
      state = new ReplayState();
      ReplayState.byHistory.set(history, state);
    }
    state.catchUp(history);
    return state;
  }

  private catchUp(history: readonly HistoryEvent[]): void {
    for (; this.length < history.length; this.length++) {
      const e = history[this.length];
      this.index(e);
      if (sdkReads(e)) this.sdkHistory.push(toSdkEvent(e, true));
    }
  }

  private index(e: HistoryEvent): void {
    indexEvent(e, this.scheduledById, this.outstanding);
    if (e.EventType === EventType.OrchestratorStarted) {
      this.lastEpisodeAt = Math.max(this.lastEpisodeAt, Date.parse(e.Timestamp));
    }
  }

  /**
   * True when delivering `e` makes the host allocate task ids for a retry (a failure of a task
   * with retry options, or the firing of a retry timer). The SDK reserves those ids while it
   * processes the event, so such an event may only open an episode's batch: after it, user code
   * that other events resume would take ids in an order the host cannot mirror.
   */
  needsRetryBookkeeping(e: HistoryEvent): boolean {
    if (e.EventType === EventType.TaskFailed || e.EventType === EventType.SubOrchestrationInstanceFailed) {
      return this.scheduledById.get(e.TaskScheduledId as number)?.HostRetry !== undefined;
    }
    if (e.EventType === EventType.TimerFired) {
      const purpose = this.scheduledById.get(e.TimerId as number)?.HostPurpose as TimerPurpose | undefined;
      return purpose?.kind === 'retry';
    }
    return false;
  }
}

/** Records a scheduling event, or the answer to one, in the given index. */
export function indexEvent(
  e: HistoryEvent,
  scheduledById: Map<number, HistoryEvent>,
  outstanding: Set<number>,
): void {
  switch (e.EventType) {
    case EventType.TaskScheduled:
    case EventType.SubOrchestrationInstanceCreated:
    case EventType.TimerCreated:
      scheduledById.set(e.EventId, e);
      outstanding.add(e.EventId);
      return;
    case EventType.TaskCompleted:
    case EventType.TaskFailed:
    case EventType.SubOrchestrationInstanceCompleted:
    case EventType.SubOrchestrationInstanceFailed:
      outstanding.delete(e.TaskScheduledId as number);
      return;
    case EventType.TimerFired:
      outstanding.delete(e.TimerId as number);
      return;
    default:
      return;
  }
}

/**
 * Event types the SDK (durable-functions 3.5) never reads: scheduling events (it derives task ids
 * from its own yields), OrchestratorCompleted, the execution's end, suspension and resumption,
 * and events a rewind set aside (GenericEvent). Leaving them out of what it replays halves the
 * events it walks per episode. The stored history keeps them all.
 */
const ignoredBySdk: ReadonlySet<EventType> = new Set([
  EventType.TaskScheduled,
  EventType.SubOrchestrationInstanceCreated,
  EventType.TimerCreated,
  EventType.OrchestratorCompleted,
  EventType.ExecutionCompleted,
  EventType.ExecutionTerminated,
  EventType.ExecutionSuspended,
  EventType.ExecutionResumed,
  EventType.GenericEvent,
]);

/** Whether the SDK reads this event when it replays a history. */
export function sdkReads(e: HistoryEvent): boolean {
  return !ignoredBySdk.has(e.EventType);
}

/** The SDK's view of an event: no `Host*` bookkeeping, a Date timestamp. */
export function toSdkEvent(e: HistoryEvent, played: boolean): SdkHistoryEvent {
  const view: Record<string, unknown> = {};
  for (const key in e) if (!key.startsWith('Host')) view[key] = e[key];
  view.IsPlayed = played;
  view.Timestamp = new Date(e.Timestamp);
  return view as SdkHistoryEvent;
}
