/**
 * Orchestration episodes. An episode delivers the events waiting for one instance (as the Durable
 * extension does, several at once): the host replays the committed history plus a fresh
 * OrchestratorStarted and the new events through the SDK's own orchestrator handler, turns the
 * returned actions into history and work (episode-builder.ts), and commits history, instance
 * status, the consumed messages and the new work in one SQLite transaction before any of the new
 * work starts. `invokeOrchestrator` is the one place an orchestrator function is called.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../telemetry/logger';
import {
  ActionType,
  outOfProcMarker,
  type Action,
  type OrchestrationBinding,
  type OrchestratorState,
} from './actions';
import { EpisodeBuilder, type Effect } from './episode-builder';
import { orchestratorFailure } from './failure-details';
import { errorMessage } from './failure-text';
import { EventType, history, type FailureInfo, type HistoryEvent } from './history';
import { context } from '@opentelemetry/api';
import {
  emitEpisodeSpans,
  emitOrchestrationSpan,
  executionContext,
  runIdOf,
  orchestrationTraceParent,
  subOrchestrationTraceParent,
} from './host-spans';
import { createInstance, failUnfinished, notifyParent, releaseLocks } from './instance-lifecycle';
import { raiseHint, type InstanceLimits } from './limits';
import { ReplayState, sdkReads, toSdkEvent } from './replay-state';
import {
  terminalStatuses,
  type DurableStore,
  type InboxMessage,
  type InstanceRecord,
  type WorkItem,
} from './store';

export interface OrchestrationInvocation {
  instanceId: string;
  traceParent: string | null;
}

export interface EpisodeRunnerOptions {
  store: DurableStore;
  logger: Logger;
  clock: () => number;
  limits: InstanceLimits;
  isOrchestration(name: string): boolean;
  runOrchestrator(
    name: string,
    binding: OrchestrationBinding,
    invocation: OrchestrationInvocation,
  ): Promise<unknown>;
  /** Called after a commit that changed an instance's status. */
  statusChanged(instance: InstanceRecord): void;
}

/** The most events one episode delivers; more wait for the next episode. */
const maxBatch = 2_000;

/**
 * How long an episode made only of activity results may wait for more results of the same
 * instance's running activities. Every episode replays the whole history through the SDK, and
 * the SDK's Task.all checks all its children on each completion, so delivering a wide fan-in in a
 * few large batches instead of many small ones saves most of the work; the wait is bounded so a
 * Task.any or a straggler delays the orchestrator by at most this much.
 */
const fanInWindowMs = 40;

/** What `runNext` did: ran an episode, found nothing ready, or holds results back until a time. */
export type EpisodeOutcome = 'ran' | 'idle' | { deferUntil: number };

export class EpisodeRunner {
  private readonly store: DurableStore;
  private readonly log: Logger;

  constructor(private readonly options: EpisodeRunnerOptions) {
    this.store = options.store;
    this.log = options.logger;
  }

  /**
   * Runs one episode for the instance if it has events ready: 'ran', 'idle' when there was nothing
   * to deliver (or the store is closed), or a time to come back when activity results wait for
   * more (see `fanInWindowMs`). Never throws for the instance's own faults: a host or store fault
   * fails the instance loudly rather than spinning on its messages.
   */
  async runNext(instanceId: string): Promise<EpisodeOutcome> {
    if (!this.store.isOpen) return 'idle';
    const instance = this.store.getInstance(instanceId);
    if (!instance || instance.runtimeStatus === 'Suspended') return 'idle';
    const batch = this.nextBatch(instance);
    if (batch.length === 0) return 'idle';
    const deferUntil = this.fanInDeadline(instance, batch);
    if (deferUntil !== undefined) return { deferUntil };
    return this.deliver(instance, batch, () => {});
  }

  /** Runs the episode for `batch`; `acknowledge` runs inside whichever transaction settles it. */
  private async deliver(
    instance: InstanceRecord,
    batch: InboxMessage[],
    acknowledge: () => void,
  ): Promise<EpisodeOutcome> {
    try {
      // The episode's log lines (and the orchestrator's) belong to the instance's run and trace.
      const runId = runIdOf(instance.instanceId, (id) => this.store.getInstance(id));
      await context.with(executionContext(instance, runId), () =>
        this.runEpisode(instance, batch, acknowledge),
      );
    } catch (error) {
      // The host was killed mid-episode: nothing was committed, the events are delivered again on restart.
      if (!this.store.isOpen) return 'idle';
      this.log.error('episode failed inside the host', { instanceId: instance.instanceId, error });
      this.fail(instance.instanceId, batch, acknowledge, {
        reason: `The local host could not process an event: ${errorMessage(error)}`,
        details: '',
      });
    }
    return 'ran';
  }

  /**
   * Whether an activity's result can go straight to its instance's next episode (`runWithResult`)
   * instead of through the inbox: the instance runs this execution, has no events of its own
   * waiting (they go first), and no other activities queued or running (their results may join
   * it, see `fanInDeadline`). Synchronous and cheap: asked once per finished activity.
   */
  takesResultDirectly(item: WorkItem): boolean {
    if (!this.store.isOpen) return false;
    const instance = this.store.getInstance(item.instanceId);
    return (
      instance !== undefined &&
      instance.runtimeStatus === 'Running' &&
      instance.executionId === item.executionId &&
      !this.store.hasOtherWorkItems(instance.instanceId, item.id) &&
      this.store.readyMessagesFor(instance.instanceId, this.options.clock(), 1).length === 0
    );
  }

  /**
   * Delivers one activity's result straight to its instance's next episode and acknowledges the
   * activity (`acknowledge`, which deletes its work item) in that episode's commit: one commit
   * per sequential step instead of two, with no trip through the inbox. The caller holds the
   * instance's episode slot and checked `takesResultDirectly` in the same turn. Until the commit
   * nothing of the result is durable, so a crash runs the activity again, as before.
   */
  async runWithResult(item: WorkItem, event: HistoryEvent, acknowledge: () => void): Promise<EpisodeOutcome> {
    const instance = this.store.getInstance(item.instanceId);
    if (!instance) return 'idle';
    // Never stored in the inbox: `dequeueAll` finds no row for it, `acknowledge` settles it.
    const message: InboxMessage = {
      id: -1,
      instanceId: instance.instanceId,
      executionId: instance.executionId,
      visibleAt: this.options.clock(),
      event,
    };
    return this.deliver(instance, [message], acknowledge);
  }

  /**
   * When the batch holds only activity results and more are on their way (the instance still has
   * activities queued or running), the time until which to wait for them; else undefined.
   */
  private fanInDeadline(instance: InstanceRecord, batch: InboxMessage[]): number | undefined {
    const resultsOnly = batch.every(
      (m) => m.event.EventType === EventType.TaskCompleted || m.event.EventType === EventType.TaskFailed,
    );
    if (!resultsOnly) return undefined;
    const state = ReplayState.of(this.store.history(instance.instanceId));
    if (batch.some((m) => state.needsRetryBookkeeping(m.event))) return undefined;
    if (this.store.countWorkItems(instance.instanceId) === 0) return undefined;
    const deadline = Math.min(...batch.map((m) => m.visibleAt)) + fanInWindowMs;
    return deadline > this.options.clock() ? deadline : undefined;
  }

  /**
   * The messages the next episode delivers. Messages for another execution are dropped first.
   * A raised event, or an event that makes the host allocate retry ids, only ever opens a batch:
   * delivered after other events, a raised event could reach an execution that has just
   * continued-as-new, and retry ids would be taken in an order the host cannot mirror.
   */
  private nextBatch(instance: InstanceRecord): InboxMessage[] {
    const ready = this.store.readyMessagesFor(instance.instanceId, this.options.clock(), maxBatch);
    const stale = ready.filter(
      (m) =>
        terminalStatuses.has(instance.runtimeStatus) ||
        (m.executionId !== null && m.executionId !== instance.executionId),
    );
    if (stale.length > 0) {
      // Late completions for a finished or replaced execution are dropped, as the extension does.
      this.store.transaction(() => this.store.dequeueAll(stale));
      if (stale.length === ready.length) return [];
    }
    const live = stale.length > 0 ? ready.filter((m) => !stale.includes(m)) : ready;
    const state = ReplayState.of(this.store.history(instance.instanceId));
    const batch: InboxMessage[] = [];
    for (const message of live) {
      const opensOnly =
        message.event.EventType === EventType.EventRaised || state.needsRetryBookkeeping(message.event);
      if (batch.length > 0 && opensOnly) break;
      batch.push(message);
    }
    return batch;
  }

  /** One episode, as a page: open it, run the orchestrator, decide the outcome, commit, report. */
  private async runEpisode(
    instance: InstanceRecord,
    batch: InboxMessage[],
    acknowledge: () => void,
  ): Promise<void> {
    const opened = this.openEpisode(instance, batch);
    if (!this.options.isOrchestration(instance.name)) {
      this.fail(instance.instanceId, batch, acknowledge, {
        reason: `The function '${instance.name}' doesn't exist, is disabled, or is not an orchestrator function.`,
        details: '',
      });
      return;
    }
    const outcome = await this.invokeOrchestrator(instance, bindingFor(opened));
    const { record, failure } = this.conclude(opened, outcome);
    const committed = this.store.transaction(() => this.commit(opened, acknowledge, record, failure));
    if (!committed) {
      this.log.info('episode outcome dropped: the instance was terminated meanwhile', {
        instanceId: instance.instanceId,
      });
      return;
    }
    this.report(committed, failure);
  }

  /** The episode's first events: a fresh OrchestratorStarted, then the delivered messages. */
  private openEpisode(instance: InstanceRecord, batch: InboxMessage[]): OpenEpisode {
    const past = ReplayState.of(this.store.history(instance.instanceId));
    // Each episode gets a strictly later timestamp than the last, so the SDK's clock never runs back.
    const now = new Date(Math.max(this.options.clock(), past.lastEpisodeAt + 1));
    const episode = new EpisodeBuilder(instance, past, now);
    episode.append(history.orchestratorStarted(now));
    for (const message of batch) {
      // Marked as delivered (not made by the host), so a rewind can tell what to deliver again.
      episode.append({ ...message.event, IsPlayed: false, HostDelivered: true });
      episode.applyRetryBookkeeping(message.event);
    }
    return { instance, batch, past, now, episode };
  }

  /**
   * What the orchestrator's answer makes of the instance: failed (it threw, replayed differently,
   * asked for something the host refuses or passed a limit), continued as new, completed, or still
   * running; its new actions are turned into history and work on the way.
   */
  private conclude(
    { instance, past, episode }: OpenEpisode,
    outcome: { state?: OrchestratorState; failure?: FailureInfo },
  ): { record: InstanceRecord; failure?: FailureInfo } {
    const state = outcome.state;
    const topActions = (state?.actions?.[0] ?? []) as Action[];

    let failure = outcome.failure;
    if (!failure) failure = episode.checkDeterminism(topActions, state?.isDone ?? false);
    if (!failure) failure = episode.scheduleNewActions(topActions);
    if (!failure && !topActions.some((a) => a.actionType === ActionType.ContinueAsNew)) {
      failure = this.checkExecutionLimits(
        instance,
        past.length + episode.newEvents.length,
        episode,
        topActions,
      );
    }

    const customStatus =
      state?.customStatus === undefined || state.customStatus === null
        ? null
        : JSON.stringify(state.customStatus);
    const continueAsNew = failure
      ? undefined
      : topActions.find((a) => a.actionType === ActionType.ContinueAsNew);

    if (failure) return { record: episode.fail(failure, customStatus), failure };
    if (continueAsNew) return { record: episode.continueAsNew(continueAsNew.input, customStatus) };
    if (state?.isDone) return { record: episode.complete(state.output, customStatus) };
    return { record: episode.keepRunning(customStatus) };
  }

  /**
   * Inside the episode's transaction: consumes the batch and, unless a terminate or restart
   * committed while the orchestrator ran (then this episode's outcome is dropped and undefined
   * returned), writes the history, the instance and what follows from them. Returns the record
   * as committed.
   */
  private commit(
    { instance, batch, past, now, episode }: OpenEpisode,
    acknowledge: () => void,
    record: InstanceRecord,
    failure: FailureInfo | undefined,
  ): InstanceRecord | undefined {
    this.store.dequeueAll(batch);
    acknowledge();
    const current = this.store.getInstance(instance.instanceId);
    if (
      !current ||
      terminalStatuses.has(current.runtimeStatus) ||
      current.executionId !== instance.executionId
    ) {
      return undefined;
    }
    // A suspend that committed meanwhile stays in force.
    const final =
      current.runtimeStatus === 'Suspended' && !terminalStatuses.has(record.runtimeStatus)
        ? { ...record, runtimeStatus: 'Suspended' as const }
        : record;
    if (episode.continuesAsNew) this.store.clearHistory(instance.instanceId);
    else this.store.appendHistory(instance.instanceId, episode.newEvents);
    this.store.saveInstance(final);
    // Before the commit: a kill after it must find these spans recorded (their ids make a rerun's copy the same span).
    emitEpisodeSpans(
      final,
      batch.map((m) => m.event),
      past.scheduledById,
      now,
    );
    if (terminalStatuses.has(final.runtimeStatus)) {
      this.endExecution(instance, final, failure, now);
      return final;
    }
    if (episode.continuesAsNew) releaseLocks(this.store, instance.instanceId, instance.traceParent);
    for (const effect of episode.effects) this.applyEffect(final, effect, now);
    if (episode.continuesAsNew) {
      // The new execution starts with its own ExecutionStarted, delivered like any other event.
      this.store.enqueue(
        final.instanceId,
        final.executionId,
        now.getTime(),
        history.executionStarted(now, final.name, final.input, final.parentInstanceId ?? undefined),
      );
    }
    return final;
  }

  /** An execution that ended: its span, its locks released, its queued work dropped, its parent told. */
  private endExecution(
    instance: InstanceRecord,
    final: InstanceRecord,
    failure: FailureInfo | undefined,
    now: Date,
  ): void {
    emitOrchestrationSpan(final, this.store.history(instance.instanceId));
    releaseLocks(this.store, instance.instanceId, instance.traceParent);
    this.store.clearPendingWork(instance.instanceId);
    notifyParent(
      this.store,
      final,
      final.runtimeStatus === 'Completed'
        ? { kind: 'completed', result: final.output ?? 'null' }
        : { kind: 'failed', failure: failure! },
      now,
    );
  }

  /** After the commit: the log line of an ending, and the status change for whoever waits on it. */
  private report(final: InstanceRecord, failure: FailureInfo | undefined): void {
    if (final.runtimeStatus === 'Failed') {
      this.log.warn('orchestration failed', {
        instanceId: final.instanceId,
        name: final.name,
        reason: failure?.reason,
      });
    } else if (final.runtimeStatus === 'Completed') {
      this.log.info('orchestration completed', { instanceId: final.instanceId, name: final.name });
    }
    this.options.statusChanged(final);
  }

  /**
   * Calls the app's orchestrator function for one episode: the one place an orchestration runs.
   * The SDK reports a throwing orchestrator through an error whose message carries its state.
   */
  private async invokeOrchestrator(
    instance: InstanceRecord,
    binding: OrchestrationBinding,
  ): Promise<{ state?: OrchestratorState; failure?: FailureInfo }> {
    try {
      const state = (await this.options.runOrchestrator(instance.name, binding, {
        instanceId: instance.instanceId,
        // The orchestrator's spans belong inside its orchestration span.
        traceParent: orchestrationTraceParent(instance),
      })) as OrchestratorState;
      return { state };
    } catch (error) {
      const message = errorMessage(error);
      const markerAt = message.indexOf(outOfProcMarker);
      // Stacks (with file paths) go to the log only; status outputs are readable by any caller.
      this.log.debug('orchestrator function threw', {
        instanceId: instance.instanceId,
        name: instance.name,
        error,
      });
      if (markerAt >= 0) {
        const state = JSON.parse(message.slice(markerAt + outOfProcMarker.length)) as OrchestratorState;
        const userMessage = state.error ?? message.slice(0, markerAt);
        return { state, failure: orchestratorFailure(instance.name, userMessage, state.failureDetails) };
      }
      return { failure: orchestratorFailure(instance.name, message) };
    }
  }

  /** The per-execution limits, checked once an episode's new work is known and before it commits. */
  private checkExecutionLimits(
    instance: InstanceRecord,
    historyLength: number,
    episode: EpisodeBuilder,
    top: Action[],
  ): FailureInfo | undefined {
    const { maxHistoryEvents, maxPendingActions } = this.options.limits;
    // +1: the OrchestratorCompleted this episode still appends.
    if (historyLength + 1 > maxHistoryEvents) {
      return limitFailure(
        `Orchestration '${instance.name}' reached the host's limit of maxHistoryEvents (${maxHistoryEvents}) history events; long-running loops should use continueAsNew, or ${raiseHint('maxHistoryEvents')}.`,
      );
    }
    const pending = episode.pendingActions(top);
    if (pending > maxPendingActions) {
      return limitFailure(
        `Orchestration '${instance.name}' has ${pending} pending actions, more than the host's limit maxPendingActions (${maxPendingActions}); fan out in batches, or ${raiseHint('maxPendingActions')}.`,
      );
    }
    return undefined;
  }

  private fail(
    instanceId: string,
    batch: InboxMessage[],
    acknowledge: () => void,
    failure: FailureInfo,
  ): void {
    const updated = this.store.transaction(() => {
      this.store.dequeueAll(batch);
      acknowledge();
      const failed = failUnfinished(this.store, instanceId, failure, new Date(this.options.clock()));
      if (failed) emitOrchestrationSpan(failed, this.store.history(instanceId));
      return failed;
    });
    if (updated) this.options.statusChanged(updated);
  }

  private applyEffect(instance: InstanceRecord, effect: Effect, now: Date): void {
    switch (effect.kind) {
      case 'activity':
        this.store.addWorkItem({
          instanceId: instance.instanceId,
          executionId: instance.executionId,
          taskId: effect.taskId,
          name: effect.name,
          input: effect.input,
          attempt: effect.attempt,
          traceParent: instance.traceParent,
        });
        return;
      case 'timer':
        this.store.enqueue(
          instance.instanceId,
          instance.executionId,
          effect.fireAt.getTime(),
          history.timerFired(effect.fireAt, effect.timerId, effect.fireAt.toISOString()),
        );
        return;
      case 'cancelTimer':
        this.store.cancelTimer(instance.instanceId, effect.timerId);
        return;
      case 'entityLock':
      case 'entityRelease':
        this.sendLockMessages(instance, effect);
        return;
      case 'entityOperation':
        this.store.enqueueEntityOperation({
          kind: 'operation',
          entityId: effect.entityId,
          requestId: effect.request.id,
          operation: effect.request.op,
          input: effect.request.input,
          signal: effect.request.signal,
          parentInstanceId: effect.request.signal ? null : instance.instanceId,
          parentExecutionId: effect.request.signal ? null : instance.executionId,
          traceParent: instance.traceParent,
        });
        return;
      case 'subOrchestration':
        this.startSubOrchestration(instance, effect, now);
        return;
    }
  }

  /** A critical section's lock request or release goes to each of its entities, in the sorted order. */
  private sendLockMessages(
    instance: InstanceRecord,
    effect: Extract<Effect, { kind: 'entityLock' | 'entityRelease' }>,
  ): void {
    for (const entityId of effect.entities) {
      this.store.enqueueEntityOperation({
        kind: effect.kind === 'entityLock' ? 'lock' : 'release',
        entityId,
        requestId: effect.kind === 'entityLock' ? effect.requestId : randomUUID(),
        operation: effect.kind === 'entityLock' ? 'lock' : 'release',
        input: effect.kind === 'entityLock' ? JSON.stringify(effect.entities) : null,
        signal: effect.kind === 'entityRelease',
        parentInstanceId: instance.instanceId,
        parentExecutionId: instance.executionId,
        traceParent: instance.traceParent,
      });
    }
  }

  /**
   * Creates a child instance, or answers the parent at once with a failure when the id is taken by
   * a running instance or the name is not an orchestration. A finished instance of that id is replaced.
   */
  private startSubOrchestration(
    instance: InstanceRecord,
    effect: Extract<Effect, { kind: 'subOrchestration' }>,
    now: Date,
  ): void {
    const existing = this.store.getInstance(effect.instanceId);
    const refusal =
      existing && !terminalStatuses.has(existing.runtimeStatus)
        ? `An orchestration instance with ID '${effect.instanceId}' already exists.`
        : !this.options.isOrchestration(effect.name)
          ? `The function '${effect.name}' doesn't exist, is disabled, or is not an orchestrator function.`
          : undefined;
    if (refusal) {
      this.store.enqueue(
        instance.instanceId,
        instance.executionId,
        now.getTime(),
        history.subOrchestrationFailed(now, effect.taskId, { reason: refusal, details: '' }),
      );
      return;
    }
    if (existing) this.store.deleteInstance(effect.instanceId);
    createInstance(
      this.store,
      new Date(this.options.clock()),
      effect.name,
      effect.instanceId,
      effect.input,
      { instanceId: instance.instanceId, taskId: effect.taskId, executionId: instance.executionId },
      subOrchestrationTraceParent(instance, effect.taskId),
    );
  }
}

/** An episode between its start and its commit: what it delivers, on top of which history, when. */
interface OpenEpisode {
  instance: InstanceRecord;
  batch: InboxMessage[];
  past: ReplayState;
  now: Date;
  episode: EpisodeBuilder;
}

/** What the SDK's orchestrator handler receives, as the Durable extension sends it. */
function bindingFor({ instance, past, episode }: OpenEpisode): OrchestrationBinding {
  return {
    history: past.sdkHistory.concat(episode.newEvents.filter(sdkReads).map((e) => toSdkEvent(e, false))),
    input: instance.input === null ? undefined : (JSON.parse(instance.input) as unknown),
    instanceId: instance.instanceId,
    isReplaying: false,
    parentInstanceId: instance.parentInstanceId,
    upperSchemaVersion: 1,
    upperSchemaVersionNew: 3,
    longRunningTimerIntervalDuration: '3.00:00:00',
    // Far beyond any timer we will see, so the SDK never splits timers into chunks.
    maximumShortTimerDuration: '36500.00:00:00',
    defaultHttpAsyncRequestSleepTimeMillseconds: 30_000,
  };
}

function limitFailure(reason: string): FailureInfo {
  return { reason, details: '', errorType: 'LimitExceededError' };
}
