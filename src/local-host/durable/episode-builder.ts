/**
 * History building for one episode: what the episode appends to an instance's history and which
 * work it creates, mirroring the SDK's task-id allocation (depth-first in yield order, plus the ids
 * the SDK reserves for retries). Pure: it reads the committed state and the SDK's actions, and
 * leaves every write to the caller's transaction.
 */
import { randomUUID } from 'node:crypto';
import {
  ActionType,
  actionAt,
  activityInputJson,
  collectLeaves,
  signature,
  unsupportedActions,
  type Action,
} from './actions';
import {
  EventType,
  history,
  type EntityRequestMessage,
  type FailureInfo,
  type HistoryEvent,
  type RetryState,
  type TimerPurpose,
} from './history';
import { entityIdOf } from './entity-ids';
import type { FailureDetailsWire } from './failure-details';
import { indexEvent, type ReplayState } from './replay-state';
import { decideRetry } from './retry-policy';
import type { InstanceRecord } from './store';

/** Work an episode creates, applied in the same transaction that commits its history. */
export type Effect =
  | { kind: 'activity'; taskId: number; name: string; input: string | null; attempt: number }
  | { kind: 'timer'; timerId: number; fireAt: Date }
  | { kind: 'cancelTimer'; timerId: number }
  | { kind: 'subOrchestration'; taskId: number; name: string; instanceId: string; input: string | null }
  | { kind: 'entityOperation'; entityId: string; request: EntityRequestMessage }
  | { kind: 'entityLock'; requestId: string; entities: string[] }
  | { kind: 'entityRelease'; entities: string[] };

/**
 * Collects what one episode appends to history and what work it creates, mirroring the SDK's
 * task-id allocation: ids for retry bookkeeping caused by the new event first, then one id per new
 * scheduled action in depth-first yield order (external-event waits take none).
 */
export class EpisodeBuilder {
  readonly newEvents: HistoryEvent[] = [];
  readonly effects: Effect[] = [];
  /** Set when continue-as-new replaces this execution's history with a fresh execution's. */
  continuesAsNew = false;
  private nextSeq: number;
  /** Scheduling events this episode adds, and the ids it schedules or answers. */
  private readonly scheduledNow = new Map<number, HistoryEvent>();
  private readonly outstandingNow = new Set<number>();
  private readonly answeredNow = new Set<number>();

  constructor(
    private readonly instance: InstanceRecord,
    private readonly past: ReplayState,
    private readonly now: Date,
  ) {
    this.nextSeq = instance.nextSeq;
  }

  append(e: HistoryEvent): void {
    this.newEvents.push(e);
    // An answer to a task scheduled in an earlier episode; indexEvent settles this episode's own.
    const answered = answeredId(e);
    if (answered !== undefined && !this.outstandingNow.has(answered)) this.answeredNow.add(answered);
    indexEvent(e, this.scheduledNow, this.outstandingNow);
  }

  private scheduled(id: number): HistoryEvent | undefined {
    return this.scheduledNow.get(id) ?? this.past.scheduledById.get(id);
  }

  /** Task ids scheduled and not answered once this episode's events are in. */
  private *outstanding(): Iterable<number> {
    for (const id of this.past.outstanding) if (!this.answeredNow.has(id)) yield id;
    yield* this.outstandingNow;
  }

  /** The host's half of `callActivityWithRetry`: the extension, not the SDK, waits and reschedules. */
  applyRetryBookkeeping(e: HistoryEvent): void {
    if (e.EventType === EventType.TaskFailed || e.EventType === EventType.SubOrchestrationInstanceFailed) {
      const scheduled = this.scheduled(e.TaskScheduledId as number);
      const retry = scheduled?.HostRetry as RetryState | undefined;
      if (!scheduled || !retry) return;
      const decision = decideRetry(retry.options, retry.attempt, retry.firstAttemptAt, this.now.getTime());
      if (decision.retry) {
        this.createTimer(new Date(this.now.getTime() + decision.delayMs), {
          kind: 'retry',
          retryOf: scheduled.EventId,
          final: false,
        });
        return;
      }
      if (decision.reason === 'timeout') {
        // The retry timeout has passed: the extension stops retrying, but the SDK only gives up after
        // maxNumberOfAttempts failures. Replay the remaining attempts as immediate failures so the
        // orchestrator receives the real last error now.
        let last = scheduled;
        for (let attempt = retry.attempt + 1; attempt <= retry.options.maxNumberOfAttempts; attempt++) {
          const timerId = this.nextSeq++;
          this.append(
            history.timerCreated(this.now, timerId, this.now, {
              kind: 'retry',
              retryOf: last.EventId,
              final: false,
            }),
          );
          this.append(history.timerFired(this.now, timerId, this.now.toISOString()));
          last = this.reschedule(last, attempt, false);
          const failure: FailureInfo = {
            reason: e.Reason as string,
            details: (e.Details as string) ?? '',
            ...(e.FailureDetails ? { structured: e.FailureDetails as FailureDetailsWire } : {}),
          };
          this.append(
            e.EventType === EventType.TaskFailed
              ? history.taskFailed(this.now, last.EventId, failure)
              : history.subOrchestrationFailed(this.now, last.EventId, failure),
          );
        }
      }
      // Attempts used up: a zero-delay timer, after which the SDK throws the last error.
      this.createTimer(this.now, { kind: 'retry', retryOf: scheduled.EventId, final: true });
      return;
    }

    if (e.EventType === EventType.TimerFired) {
      const timer = this.scheduled(e.TimerId as number);
      const purpose = timer?.HostPurpose as TimerPurpose | undefined;
      if (!purpose || purpose.kind !== 'retry' || purpose.final) return;
      const failed = this.scheduled(purpose.retryOf);
      const retry = failed?.HostRetry as RetryState | undefined;
      if (!failed || !retry) return;
      this.reschedule(failed, retry.attempt + 1, true);
    }
  }

  /** Appends the next attempt of a failed task; `run` also creates its work. */
  private reschedule(failed: HistoryEvent, attempt: number, run: boolean): HistoryEvent {
    const retry = { ...(failed.HostRetry as RetryState), attempt };
    const id = this.nextSeq++;
    const input = (failed.Input as string | null) ?? null;
    let scheduled: HistoryEvent;
    if (failed.EventType === EventType.TaskScheduled) {
      scheduled = history.taskScheduled(this.now, id, failed.Name as string, input, retry);
      if (run)
        this.effects.push({ kind: 'activity', taskId: id, name: failed.Name as string, input, attempt });
    } else {
      const childId = failed.InstanceId as string;
      scheduled = history.subOrchestrationCreated(this.now, id, failed.Name as string, childId, input, retry);
      if (run)
        this.effects.push({
          kind: 'subOrchestration',
          taskId: id,
          name: failed.Name as string,
          instanceId: childId,
          input,
        });
    }
    this.append(scheduled);
    return scheduled;
  }

  private createTimer(fireAt: Date, purpose: TimerPurpose): void {
    const timerId = this.nextSeq++;
    this.append(history.timerCreated(this.now, timerId, fireAt, purpose));
    this.effects.push({ kind: 'timer', timerId, fireAt });
  }

  /** Signatures of this episode's actions, computed once (both checks and the record need them). */
  private signaturesOf(top: Action[]): string[] {
    if (this.topSignatures?.actions !== top)
      this.topSignatures = { actions: top, signatures: top.map(signature) };
    return this.topSignatures.signatures;
  }

  private topSignatures: { actions: Action[]; signatures: string[] } | undefined;

  /** The actions replayed from earlier episodes must be the ones recorded then. */
  checkDeterminism(top: Action[], done: boolean): FailureInfo | undefined {
    const recorded = this.instance.actionSignatures;
    const replayed = this.signaturesOf(top);
    for (let i = 0; i < recorded.length; i++) {
      // A replay that is still running yields at least what it yielded before.
      if (i >= replayed.length && done) break;
      if (replayed[i] !== recorded[i]) {
        return nonDeterministic(this.instance.name, i, recorded[i], replayed[i] ?? 'nothing');
      }
    }
    return undefined;
  }

  /** Turns the actions yielded since the last episode into history events and work. */
  scheduleNewActions(top: Action[]): FailureInfo | undefined {
    const processed = top.slice(0, this.instance.actionsProcessed);
    const walk: ActionWalk = { alreadyScheduled: new Set<Action>(), lockSet: openLockSet(processed) };
    for (const action of processed) collectLeaves(action, walk.alreadyScheduled);
    const fresh = top.slice(this.instance.actionsProcessed);
    for (let i = 0; i < fresh.length; i++) {
      const failure = this.visit(fresh[i], String(this.instance.actionsProcessed + i), walk);
      if (failure) return failure;
    }
    this.signatures = this.signaturesOf(top);
    this.cancelAbandonedTimers(top);
    return undefined;
  }

  /** One action, depth-first: a compound's children in yield order, a leaf scheduled only once. */
  private visit(action: Action, path: string, walk: ActionWalk): FailureInfo | undefined {
    if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
      const children = action.compoundActions ?? [];
      for (let i = 0; i < children.length; i++) {
        const failure = this.visit(children[i], `${path}.${i}`, walk);
        if (failure) return failure;
      }
      return undefined;
    }
    if (walk.alreadyScheduled.has(action)) return undefined;
    walk.alreadyScheduled.add(action);
    const unsupported = unsupportedActions[action.actionType];
    if (unsupported) {
      return {
        reason: `Orchestrator '${this.instance.name}' used ${unsupported}, which the local host does not support.`,
        details: '',
        errorType: 'NotSupportedError',
      };
    }
    return this.schedule(action, path, walk);
  }

  /** A new leaf action: its task ids, its history events and the work it creates. */
  private schedule(action: Action, path: string, walk: ActionWalk): FailureInfo | undefined {
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry:
        this.scheduleActivity(action);
        return undefined;
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry:
        this.scheduleSubOrchestration(action);
        return undefined;
      case ActionType.CreateTimer:
        this.scheduleUserTimer(action, path);
        return undefined;
      case ActionType.CallEntity:
      case ActionType.SignalEntity:
        this.sendEntityOperation(action);
        return undefined;
      case ActionType.LockEntities:
        walk.lockSet = this.requestLocks(action);
        return undefined;
      case ActionType.ReleaseEntities:
        this.releaseLocks(walk.lockSet);
        walk.lockSet = [];
        return undefined;
      case ActionType.WaitForExternalEvent:
      case ActionType.ContinueAsNew:
        return undefined;
      default:
        return {
          reason: `Orchestrator '${this.instance.name}' returned an unknown action type ${action.actionType}.`,
          details: '',
        };
    }
  }

  private scheduleActivity(action: Action): void {
    const id = this.nextSeq++;
    const input = activityInputJson(action.input);
    this.append(history.taskScheduled(this.now, id, action.functionName!, input, this.firstAttempt(action)));
    this.effects.push({ kind: 'activity', taskId: id, name: action.functionName!, input, attempt: 1 });
  }

  private scheduleSubOrchestration(action: Action): void {
    const id = this.nextSeq++;
    const childId = action.instanceId || `${this.instance.instanceId}:${id}`;
    const input = action.input === undefined ? null : JSON.stringify(action.input);
    this.append(
      history.subOrchestrationCreated(
        this.now,
        id,
        action.functionName!,
        childId,
        input,
        this.firstAttempt(action),
      ),
    );
    this.effects.push({
      kind: 'subOrchestration',
      taskId: id,
      name: action.functionName!,
      instanceId: childId,
      input,
    });
  }

  /** The retry state of a first attempt, for actions with retry options. */
  private firstAttempt(action: Action): RetryState | undefined {
    return action.retryOptions
      ? { options: action.retryOptions, attempt: 1, firstAttemptAt: this.now.getTime() }
      : undefined;
  }

  /** The orchestrator's own timer; `path` finds its action again when it is cancelled later. */
  private scheduleUserTimer(action: Action, path: string): void {
    const id = this.nextSeq++;
    const fireAt = new Date(action.fireAt as string);
    this.append(history.timerCreated(this.now, id, fireAt, { kind: 'user', path }));
    if (!action.isCanceled) this.effects.push({ kind: 'timer', timerId: id, fireAt });
  }

  private sendEntityOperation(action: Action): void {
    // Both take a task id; only a call waits for an answer (an EventRaised named by the request id).
    const id = this.nextSeq++;
    const entityId = action.instanceId ?? '';
    const request: EntityRequestMessage = {
      id: randomUUID(),
      op: action.operation ?? '',
      signal: action.actionType === ActionType.SignalEntity,
      input: action.input === undefined ? null : JSON.stringify(action.input),
      parent: this.instance.instanceId,
      parentExecution: this.instance.executionId,
    };
    this.append(history.eventSent(this.now, id, entityId, request));
    this.effects.push({ kind: 'entityOperation', entityId, request });
  }

  /** Opens a critical section; returns the entities it locks. */
  private requestLocks(action: Action): string[] {
    // Like a call: one task id, an EventSent the SDK maps to the request id, answered by an
    // EventRaised of that name once every entity is locked.
    const id = this.nextSeq++;
    const lockSet = lockedEntities(action);
    const request: EntityRequestMessage = {
      id: action.lockRequestId ?? randomUUID(),
      op: 'lock',
      signal: false,
      input: null,
      parent: this.instance.instanceId,
      parentExecution: this.instance.executionId,
      lockSet,
    };
    this.append(history.eventSent(this.now, id, lockSet[0] ?? '', request));
    this.effects.push({ kind: 'entityLock', requestId: request.id, entities: lockSet });
    return lockSet;
  }

  private releaseLocks(lockSet: string[]): void {
    // The SDK takes one id per released entity and sends one release message to each.
    for (const entityId of lockSet) {
      const id = this.nextSeq++;
      this.append(
        history.eventSent(this.now, id, entityId, {
          id: randomUUID(),
          op: 'release',
          signal: true,
          input: null,
          parent: this.instance.instanceId,
          parentExecution: this.instance.executionId,
        }),
      );
    }
    this.effects.push({ kind: 'entityRelease', entities: lockSet });
  }

  /**
   * Timers the orchestrator cancelled since they were scheduled (`timer.cancel()` after a
   * Task.any) are taken off the queue, so they never wake the instance for nothing.
   */
  private cancelAbandonedTimers(top: Action[]): void {
    for (const id of this.outstanding()) {
      if (this.isCancelledUserTimer(id, top)) this.effects.push({ kind: 'cancelTimer', timerId: id });
    }
  }

  private isCancelledUserTimer(id: number, top: Action[]): boolean {
    const scheduled = this.scheduled(id);
    const purpose = scheduled?.HostPurpose as TimerPurpose | undefined;
    return (
      scheduled?.EventType === EventType.TimerCreated &&
      purpose?.kind === 'user' &&
      actionAt(top, purpose.path)?.isCanceled === true
    );
  }

  /**
   * Tasks scheduled and not yet answered once this episode commits: activities, sub-orchestrations
   * and timers (a timer the orchestrator cancelled no longer counts).
   */
  pendingActions(top: Action[]): number {
    let pending = 0;
    for (const id of this.outstanding()) if (!this.isCancelledUserTimer(id, top)) pending++;
    return pending;
  }

  private signatures: string[] | undefined;

  /** Where the execution stands once this episode commits. */
  private episodeEnd(): { actionsProcessed: number; nextSeq: number } {
    return {
      actionsProcessed: this.signatures?.length ?? this.instance.actionsProcessed,
      nextSeq: this.nextSeq,
    };
  }

  private updated(fields: Partial<InstanceRecord>): InstanceRecord {
    return {
      ...this.instance,
      nextSeq: this.nextSeq,
      actionsProcessed: this.signatures?.length ?? this.instance.actionsProcessed,
      actionSignatures: this.signatures ?? this.instance.actionSignatures,
      lastUpdatedTime: this.now.toISOString(),
      ...fields,
    };
  }

  keepRunning(customStatus: string | null): InstanceRecord {
    this.append(history.orchestratorCompleted(this.now, this.episodeEnd()));
    return this.updated({ runtimeStatus: 'Running', customStatus });
  }

  complete(output: unknown, customStatus: string | null): InstanceRecord {
    const result = JSON.stringify(output ?? null);
    this.append(history.orchestratorCompleted(this.now, this.episodeEnd()));
    this.append(history.executionCompleted(this.now, 'Completed', result));
    return this.updated({ runtimeStatus: 'Completed', output: result, customStatus });
  }

  fail(failure: FailureInfo, customStatus: string | null): InstanceRecord {
    this.effects.length = 0;
    this.append(history.orchestratorCompleted(this.now, this.episodeEnd()));
    this.append(history.executionCompleted(this.now, 'Failed', null, failure));
    return this.updated({ runtimeStatus: 'Failed', output: JSON.stringify(failure.reason), customStatus });
  }

  /** Starts a fresh execution with a new input; raised events not yet delivered stay queued. */
  continueAsNew(rawInput: unknown, customStatus: string | null): InstanceRecord {
    const inputValue = typeof rawInput === 'string' ? (JSON.parse(rawInput) as unknown) : rawInput;
    const input = inputValue === undefined ? null : JSON.stringify(inputValue);
    const executionId = randomUUID();
    this.effects.length = 0;
    this.continuesAsNew = true;
    return {
      ...this.instance,
      executionId,
      runtimeStatus: 'ContinuedAsNew',
      input,
      customStatus,
      nextSeq: 0,
      actionsProcessed: 0,
      actionSignatures: [],
      lastUpdatedTime: this.now.toISOString(),
    };
  }
}

/** Where a walk through an episode's actions stands. */
interface ActionWalk {
  /** Leaf actions already turned into history (in an earlier episode, or earlier in this walk). */
  alreadyScheduled: Set<Action>;
  /** The entities of the critical section open at this point (a release names none). */
  lockSet: string[];
}

/** The critical section open after `actions`: a release names no entities, so they come from the last lock. */
function openLockSet(actions: readonly Action[]): string[] {
  let lockSet: string[] = [];
  for (const action of actions) {
    if (action.actionType === ActionType.LockEntities) lockSet = lockedEntities(action);
    if (action.actionType === ActionType.ReleaseEntities) lockSet = [];
  }
  return lockSet;
}

/** The entity ids a LockEntities action locks (the SDK sorts and de-duplicates them). */
function lockedEntities(action: Action): string[] {
  return (action.lockSet ?? []).map((e) => entityIdOf(e.name, e.key));
}

/** The task id an event answers (a completion, failure or timer firing), if any. */
function answeredId(e: HistoryEvent): number | undefined {
  if (e.EventType === EventType.TimerFired) return e.TimerId as number;
  return typeof e.TaskScheduledId === 'number' ? e.TaskScheduledId : undefined;
}

function nonDeterministic(name: string, index: number, recorded: string, replayed: string): FailureInfo {
  return {
    reason:
      `Non-deterministic orchestrator '${name}': action ${index} was "${recorded}" when first run but ` +
      `"${replayed}" on replay. Orchestrator code must not depend on the clock, randomness, I/O or ` +
      `settings that can change between replays.`,
    details: '',
    errorType: 'NonDeterministicOrchestrationError',
  };
}
