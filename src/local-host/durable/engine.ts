/**
 * The durable engine: turns the durable-functions SDK's decisions into work, the way the Durable
 * extension does. One *episode* delivers one new event to an orchestration: replay its history
 * through the SDK's own orchestrator handler, read the actions it returns, append the history
 * events the extension would append, and commit all of it in one SQLite transaction before any of
 * the new work starts. Activities, timers and sub-orchestrations run from the committed queues,
 * so a crash at any point resumes from the store without repeating acknowledged work.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../telemetry/logger';
import {
  EventType,
  history,
  type FailureInfo,
  type HistoryEvent,
  type RetryState,
  type TimerPurpose,
} from './history';
import { decideRetry, type RetryOptionsWire } from './retry-policy';
import {
  DurableStore,
  terminalStatuses,
  type InboxMessage,
  type InstanceQuery,
  type InstanceRecord,
  type RuntimeStatus,
  type WorkItem,
} from './store';

/** The binding object the Durable extension hands an orchestrator function. */
export interface OrchestrationBinding {
  history: HistoryEvent[];
  input: unknown;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId: string | null;
  upperSchemaVersion: number;
  upperSchemaVersionNew: number;
  longRunningTimerIntervalDuration: string;
  maximumShortTimerDuration: string;
  defaultHttpAsyncRequestSleepTimeMillseconds: number;
}

/** What the SDK's orchestrator handler returns (OrchestratorState). */
interface OrchestratorState {
  isDone: boolean;
  actions: unknown[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

interface Action {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  retryOptions?: RetryOptionsWire;
  fireAt?: string | Date;
  isCanceled?: boolean;
  externalEventName?: string;
  compoundActions?: Action[];
}

enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  WhenAny = 11,
  WhenAll = 12,
}

const unsupportedActions: Partial<Record<number, string>> = {
  [ActionType.CallEntity]: 'callEntity (durable entities)',
  [ActionType.SignalEntity]: 'signalEntity (durable entities)',
  [ActionType.CallHttp]: 'callHttp (durable HTTP)',
  10: 'entity locks',
};

export interface ActivityInvocation {
  instanceId: string;
  taskId: number;
  attempt: number;
  traceParent: string | null;
}

export interface OrchestrationInvocation {
  instanceId: string;
  traceParent: string | null;
}

export interface DurableEngineOptions {
  store: DurableStore;
  logger: Logger;
  isOrchestration(name: string): boolean;
  isActivity(name: string): boolean;
  runOrchestrator(
    name: string,
    binding: OrchestrationBinding,
    invocation: OrchestrationInvocation,
  ): Promise<unknown>;
  runActivity(name: string, input: unknown, invocation: ActivityInvocation): Promise<unknown>;
  maxConcurrentActivities?: number;
  maxConcurrentOrchestrations?: number;
  limits?: Partial<InstanceLimits>;
  /** Milliseconds since the epoch; tests may pin it. */
  clock?: () => number;
}

/**
 * Bounds on the work one caller can make the host do. A run that passes a per-execution limit
 * fails with a message naming it; a start or event past a queue limit is refused (HTTP 429).
 */
export interface InstanceLimits {
  /** History events one execution may hold (long loops should use continueAsNew). */
  maxHistoryEvents: number;
  /** Activities, timers and sub-orchestrations one execution may have outstanding at once. */
  maxPendingActions: number;
  /** Events waiting in one instance's inbox (raised faster than delivered, or while suspended). */
  maxQueuedEvents: number;
  /** Unfinished instances the host holds. */
  maxActiveInstances: number;
}

export const defaultInstanceLimits: InstanceLimits = {
  maxHistoryEvents: 20_000,
  maxPendingActions: 1_000,
  maxQueuedEvents: 1_000,
  maxActiveInstances: 5_000,
};

/** A start or an event refused because a queue limit is reached; the caller may retry later. */
export class LimitExceededError extends Error {
  constructor(
    readonly code: 'too_many_instances' | 'too_many_events',
    message: string,
  ) {
    super(message);
  }
}

export class InstanceExistsError extends Error {
  constructor(readonly instanceId: string) {
    super(`An orchestration instance with ID '${instanceId}' already exists and is not in a terminal state.`);
  }
}

export type InstanceOperationOutcome = 'accepted' | 'notFound' | 'gone';

export interface StartOptions {
  instanceId?: string;
  /** JSON text of the input, or null. */
  input: string | null;
  traceParent?: string | null;
}

/** Emitted as 'statusChanged' whenever an instance's runtime status or custom status changes. */
export interface StatusChange {
  instanceId: string;
  runtimeStatus: RuntimeStatus;
}

const outOfProcMarker = '$OutOfProcData$:';

export class DurableEngine extends EventEmitter {
  private readonly store: DurableStore;
  private readonly log: Logger;
  private readonly clock: () => number;
  private readonly maxActivities: number;
  private readonly maxOrchestrations: number;
  private readonly limits: InstanceLimits;
  private readonly runningEpisodes = new Map<string, Promise<void>>();
  private readonly runningActivities = new Map<number, Promise<void>>();
  private wakeTimer: NodeJS.Timeout | undefined;
  private pumpScheduled = false;
  private started = false;
  private stopping = false;

  constructor(private readonly options: DurableEngineOptions) {
    super();
    this.store = options.store;
    this.log = options.logger;
    this.clock = options.clock ?? Date.now;
    this.maxActivities = atLeastOne('maxConcurrentActivities', options.maxConcurrentActivities ?? 10);
    this.maxOrchestrations = atLeastOne(
      'maxConcurrentOrchestrations',
      options.maxConcurrentOrchestrations ?? 10,
    );
    this.limits = { ...defaultInstanceLimits, ...options.limits };
    for (const [name, value] of Object.entries(this.limits) as [string, number][]) atLeastOne(name, value);
  }

  /** Starts processing; resumes every unfinished instance from the store. */
  start(): void {
    this.started = true;
    const unfinished = this.store.countUnfinished();
    if (unfinished > 0) this.log.info('resuming unfinished orchestration instances', { count: unfinished });
    this.schedulePump();
  }

  /** Stops taking new work and waits (bounded) for running episodes and activities to finish. */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.stopping = true;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    const running = [...this.runningEpisodes.values(), ...this.runningActivities.values()];
    if (running.length > 0) {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const outcome = await Promise.race([Promise.allSettled(running).then(() => 'done' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        this.log.warn('stopped with work still running; it will be retried on the next start', {
          episodes: this.runningEpisodes.size,
          activities: this.runningActivities.size,
        });
      }
    }
  }

  // ---- Client operations (management API and DurableClient) ------------------------------------

  startInstance(name: string, options: StartOptions): InstanceRecord {
    if (!this.options.isOrchestration(name)) {
      throw new UnknownOrchestrationError(name);
    }
    const instanceId = options.instanceId ?? randomUUID().replace(/-/g, '');
    const record = this.store.transaction(() => {
      const existing = this.store.getInstance(instanceId);
      if (existing && !terminalStatuses.has(existing.runtimeStatus))
        throw new InstanceExistsError(instanceId);
      if (this.store.countUnfinished() >= this.limits.maxActiveInstances) {
        throw new LimitExceededError(
          'too_many_instances',
          `The host already holds maxActiveInstances (${this.limits.maxActiveInstances}) unfinished instances; retry when some have finished.`,
        );
      }
      if (existing) this.store.deleteInstance(instanceId);
      return this.createInstance(name, instanceId, options.input, null, options.traceParent ?? null);
    });
    this.emitStatus(record);
    this.schedulePump();
    return record;
  }

  raiseEvent(instanceId: string, eventName: string, input: string | null): InstanceOperationOutcome {
    const outcome = this.store.transaction((): InstanceOperationOutcome => {
      const instance = this.store.getInstance(instanceId);
      if (!instance) return 'notFound';
      if (terminalStatuses.has(instance.runtimeStatus)) return 'gone';
      if (this.store.countInbox(instanceId) >= this.limits.maxQueuedEvents) {
        throw new LimitExceededError(
          'too_many_events',
          `Instance '${instanceId}' already has maxQueuedEvents (${this.limits.maxQueuedEvents}) events waiting; retry later.`,
        );
      }
      this.store.enqueue(
        instanceId,
        null,
        this.clock(),
        history.eventRaised(new Date(this.clock()), eventName, input),
      );
      return 'accepted';
    });
    if (outcome === 'accepted') this.schedulePump();
    return outcome;
  }

  terminate(instanceId: string, reason: string): InstanceOperationOutcome {
    const result = this.store.transaction((): InstanceOperationOutcome | InstanceRecord => {
      const instance = this.store.getInstance(instanceId);
      if (!instance) return 'notFound';
      if (terminalStatuses.has(instance.runtimeStatus)) return 'gone';
      const now = new Date(this.clock());
      this.store.appendHistory(instanceId, [history.executionTerminated(now, reason)]);
      this.store.clearPendingWork(instanceId);
      const updated: InstanceRecord = {
        ...instance,
        runtimeStatus: 'Terminated',
        output: JSON.stringify(reason),
        lastUpdatedTime: now.toISOString(),
      };
      this.store.saveInstance(updated);
      this.notifyParent(
        updated,
        { kind: 'failed', failure: { reason: `Terminated: ${reason}`, details: '' } },
        now,
      );
      return updated;
    });
    if (typeof result === 'string') return result;
    this.log.info('orchestration terminated', { instanceId, reason });
    this.emitStatus(result);
    this.schedulePump();
    return 'accepted';
  }

  suspend(instanceId: string, reason: string): InstanceOperationOutcome {
    return this.setSuspended(instanceId, true, reason);
  }

  resume(instanceId: string, reason: string): InstanceOperationOutcome {
    return this.setSuspended(instanceId, false, reason);
  }

  private setSuspended(instanceId: string, suspend: boolean, reason: string): InstanceOperationOutcome {
    const result = this.store.transaction((): InstanceOperationOutcome | InstanceRecord => {
      const instance = this.store.getInstance(instanceId);
      if (!instance) return 'notFound';
      if (terminalStatuses.has(instance.runtimeStatus)) return 'gone';
      const runtimeStatus: RuntimeStatus = suspend
        ? 'Suspended'
        : instance.runtimeStatus === 'Suspended'
          ? 'Running'
          : instance.runtimeStatus;
      const updated = { ...instance, runtimeStatus, lastUpdatedTime: new Date(this.clock()).toISOString() };
      this.store.saveInstance(updated);
      return updated;
    });
    if (typeof result === 'string') return result;
    this.log.info(suspend ? 'orchestration suspended' : 'orchestration resumed', { instanceId, reason });
    this.emitStatus(result);
    this.schedulePump();
    return 'accepted';
  }

  /** Deletes a terminal instance and its history. Returns false if it does not exist or still runs. */
  purge(instanceId: string): 'deleted' | 'notFound' | 'running' {
    return this.store.transaction(() => {
      const instance = this.store.getInstance(instanceId);
      if (!instance) return 'notFound';
      if (!terminalStatuses.has(instance.runtimeStatus)) return 'running';
      this.store.deleteInstance(instanceId);
      return 'deleted';
    });
  }

  getInstance(instanceId: string): InstanceRecord | undefined {
    return this.store.getInstance(instanceId);
  }

  history(instanceId: string): HistoryEvent[] {
    return this.store.history(instanceId);
  }

  /** Events waiting to be delivered to an instance: completions, raised events, pending timers. */
  queuedEvents(instanceId: string): InboxMessage[] {
    return this.store.queuedEvents(instanceId);
  }

  queryInstances(query: InstanceQuery): ReturnType<DurableStore['queryInstances']> {
    return this.store.queryInstances(query);
  }

  /** Resolves when the instance reaches one of `statuses` (terminal ones by default). */
  waitForStatus(
    instanceId: string,
    options: { timeoutMs?: number; statuses?: RuntimeStatus[] } = {},
  ): Promise<InstanceRecord> {
    const wanted = new Set<RuntimeStatus>(options.statuses ?? [...terminalStatuses]);
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const instance = this.store.getInstance(instanceId);
        if (instance && wanted.has(instance.runtimeStatus)) {
          cleanup();
          resolve(instance);
          return true;
        }
        return false;
      };
      const listener = (change: StatusChange): void => {
        if (change.instanceId === instanceId) check();
      };
      const timer = setTimeout(() => {
        cleanup();
        const status = this.store.getInstance(instanceId)?.runtimeStatus ?? 'not found';
        reject(new Error(`Timed out waiting for instance '${instanceId}' (status: ${status}).`));
      }, options.timeoutMs ?? 30_000);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.off('statusChanged', listener);
      };
      this.on('statusChanged', listener);
      check();
    });
  }

  // ---- Scheduling ---------------------------------------------------------------------------------

  private schedulePump(): void {
    if (!this.started || this.stopping || this.pumpScheduled) return;
    this.pumpScheduled = true;
    setImmediate(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  private pump(): void {
    if (this.stopping) return;
    const now = this.clock();

    if (this.runningEpisodes.size < this.maxOrchestrations) {
      for (const message of this.store.readyMessages(now, 500)) {
        if (this.runningEpisodes.size >= this.maxOrchestrations) break;
        if (this.runningEpisodes.has(message.instanceId)) continue;
        this.trackEpisodes(message.instanceId);
      }
    }

    if (this.runningActivities.size < this.maxActivities) {
      for (const item of this.store.workItems(this.runningActivities.size + this.maxActivities)) {
        if (this.runningActivities.size >= this.maxActivities) break;
        if (this.runningActivities.has(item.id)) continue;
        const run = this.executeActivity(item)
          .catch((error: unknown) => this.reportStoreFailure('activity result', item.instanceId, error))
          .finally(() => {
            this.runningActivities.delete(item.id);
            this.schedulePump();
          });
        this.runningActivities.set(item.id, run);
      }
    }

    this.scheduleWake(now);
  }

  private scheduleWake(now: number): void {
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = undefined;
    const next = this.store.nextVisibleAt(now);
    if (next === undefined) return;
    // setTimeout holds at most 2^31-1 ms; a longer timer simply re-arms when this one fires.
    const delay = Math.min(Math.max(next - now, 0), 2 ** 31 - 1);
    this.wakeTimer = setTimeout(() => this.schedulePump(), delay);
    this.wakeTimer.unref();
  }

  /** Runs episodes for one instance, one event at a time, until its ready inbox is empty. */
  private trackEpisodes(instanceId: string): void {
    const run = (async () => {
      // Bounded so one busy instance cannot starve the others.
      for (let i = 0; i < 50 && !this.stopping; i++) {
        if (this.store.getInstance(instanceId)?.runtimeStatus === 'Suspended') break;
        const message = this.store.firstReadyMessage(instanceId, this.clock());
        if (!message) break;
        await this.runEpisodeSafely(message);
      }
    })()
      .catch((error: unknown) => this.reportStoreFailure('episode', instanceId, error))
      .finally(() => {
        this.runningEpisodes.delete(instanceId);
        this.schedulePump();
      });
    this.runningEpisodes.set(instanceId, run);
  }

  private async runEpisodeSafely(message: InboxMessage): Promise<void> {
    if (!this.store.isOpen) return;
    try {
      await this.runEpisode(message);
    } catch (error) {
      // The host was killed mid-episode: nothing was committed, the event is delivered again on restart.
      if (!this.store.isOpen) return;
      // A host bug or a store failure: fail the instance loudly rather than spin on the message.
      this.log.error('episode failed inside the host', { instanceId: message.instanceId, error });
      this.failInstance(message, {
        reason: `The local host could not process an event: ${errorMessage(error)}`,
        details: '',
      });
    }
  }

  private failInstance(message: InboxMessage, failure: FailureInfo): void {
    const updated = this.store.transaction(() => {
      this.store.dequeue(message.id);
      const instance = this.store.getInstance(message.instanceId);
      if (!instance || terminalStatuses.has(instance.runtimeStatus)) return undefined;
      const now = new Date(this.clock());
      this.store.appendHistory(instance.instanceId, [
        history.executionCompleted(now, 'Failed', null, failure),
      ]);
      this.store.clearPendingWork(instance.instanceId);
      const record: InstanceRecord = {
        ...instance,
        runtimeStatus: 'Failed',
        output: JSON.stringify(failure.reason),
        lastUpdatedTime: now.toISOString(),
      };
      this.store.saveInstance(record);
      this.notifyParent(record, { kind: 'failed', failure }, now);
      return record;
    });
    if (updated) this.emitStatus(updated);
  }

  // ---- Episodes -----------------------------------------------------------------------------------

  private async runEpisode(message: InboxMessage): Promise<void> {
    const instance = this.store.getInstance(message.instanceId);
    if (
      !instance ||
      terminalStatuses.has(instance.runtimeStatus) ||
      (message.executionId !== null && message.executionId !== instance.executionId)
    ) {
      // Late completions for a finished or replaced execution are dropped, as the extension does.
      this.store.dequeue(message.id);
      return;
    }

    const past = this.store.history(instance.instanceId);
    const now = this.episodeTime(past);
    const episode = new EpisodeBuilder(instance, past, now);
    episode.append(history.orchestratorStarted(now));
    episode.append({ ...message.event, IsPlayed: false });
    episode.applyRetryBookkeeping(message.event);

    if (!this.options.isOrchestration(instance.name)) {
      this.failInstance(message, {
        reason: `The function '${instance.name}' doesn't exist, is disabled, or is not an orchestrator function.`,
        details: '',
      });
      return;
    }

    const binding: OrchestrationBinding = {
      history: [...past.map((e) => ({ ...e, IsPlayed: true })), ...episode.newEvents.map((e) => ({ ...e }))],
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

    const outcome = await this.invokeOrchestrator(instance, binding);
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

    let final: InstanceRecord;
    if (failure) {
      final = episode.fail(failure, customStatus);
    } else if (continueAsNew) {
      final = episode.continueAsNew(continueAsNew.input, customStatus);
    } else if (state?.isDone) {
      final = episode.complete(state.output, customStatus);
    } else {
      final = episode.keepRunning(customStatus);
    }

    const committed = this.store.transaction((): InstanceRecord | undefined => {
      this.store.dequeue(message.id);
      // The orchestrator ran outside the transaction: a terminate (or restart) that committed
      // meanwhile wins, and this episode's outcome is dropped.
      const current = this.store.getInstance(instance.instanceId);
      if (
        !current ||
        terminalStatuses.has(current.runtimeStatus) ||
        current.executionId !== instance.executionId
      ) {
        return undefined;
      }
      // A suspend that committed meanwhile stays in force.
      if (current.runtimeStatus === 'Suspended' && !terminalStatuses.has(final.runtimeStatus)) {
        final = { ...final, runtimeStatus: 'Suspended' };
      }
      if (episode.continuesAsNew) this.store.clearHistory(instance.instanceId);
      else this.store.appendHistory(instance.instanceId, episode.newEvents);
      this.store.saveInstance(final);
      if (terminalStatuses.has(final.runtimeStatus)) {
        this.store.clearPendingWork(instance.instanceId);
        this.notifyParent(
          final,
          final.runtimeStatus === 'Completed'
            ? { kind: 'completed', result: final.output ?? 'null' }
            : { kind: 'failed', failure: failure! },
          now,
        );
        return final;
      }
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
    });
    if (!committed) {
      this.log.info('episode outcome dropped: the instance was terminated meanwhile', {
        instanceId: instance.instanceId,
      });
      return;
    }

    if (final.runtimeStatus === 'Failed') {
      this.log.warn('orchestration failed', {
        instanceId: final.instanceId,
        name: final.name,
        reason: failure?.reason,
      });
    } else if (final.runtimeStatus === 'Completed') {
      this.log.info('orchestration completed', { instanceId: final.instanceId, name: final.name });
    }
    this.emitStatus(final);
    this.schedulePump();
  }

  /** The per-execution limits, checked once an episode's new work is known and before it commits. */
  private checkExecutionLimits(
    instance: InstanceRecord,
    historyLength: number,
    episode: EpisodeBuilder,
    top: Action[],
  ): FailureInfo | undefined {
    const { maxHistoryEvents, maxPendingActions } = this.limits;
    // +1: the OrchestratorCompleted this episode still appends.
    if (historyLength + 1 > maxHistoryEvents) {
      return limitFailure(
        `Orchestration '${instance.name}' reached the host's limit of maxHistoryEvents (${maxHistoryEvents}) history events; long-running loops should use continueAsNew.`,
      );
    }
    const pending = episode.pendingActions(top);
    if (pending > maxPendingActions) {
      return limitFailure(
        `Orchestration '${instance.name}' has ${pending} pending actions, more than the host's limit maxPendingActions (${maxPendingActions}); fan out in batches.`,
      );
    }
    return undefined;
  }

  /** Each episode gets a strictly later timestamp than the last, so the SDK's clock never runs back. */
  private episodeTime(past: HistoryEvent[]): Date {
    let last = 0;
    for (const e of past) {
      if (e.EventType === EventType.OrchestratorStarted) last = Math.max(last, Date.parse(e.Timestamp));
    }
    return new Date(Math.max(this.clock(), last + 1));
  }

  private async invokeOrchestrator(
    instance: InstanceRecord,
    binding: OrchestrationBinding,
  ): Promise<{ state?: OrchestratorState; failure?: FailureInfo }> {
    try {
      const state = (await this.options.runOrchestrator(instance.name, binding, {
        instanceId: instance.instanceId,
        traceParent: instance.traceParent,
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
        return {
          state,
          failure: {
            reason: `Orchestrator function '${instance.name}' failed: ${withoutStack(userMessage)}`,
            details: '',
          },
        };
      }
      return {
        failure: {
          reason: `Orchestrator function '${instance.name}' failed: ${withoutStack(message)}`,
          details: '',
        },
      };
    }
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
      case 'subOrchestration': {
        const existing = this.store.getInstance(effect.instanceId);
        if (existing && !terminalStatuses.has(existing.runtimeStatus)) {
          this.store.enqueue(
            instance.instanceId,
            instance.executionId,
            now.getTime(),
            history.subOrchestrationFailed(now, effect.taskId, {
              reason: `An orchestration instance with ID '${effect.instanceId}' already exists.`,
              details: '',
            }),
          );
          return;
        }
        if (existing) this.store.deleteInstance(effect.instanceId);
        if (!this.options.isOrchestration(effect.name)) {
          this.store.enqueue(
            instance.instanceId,
            instance.executionId,
            now.getTime(),
            history.subOrchestrationFailed(now, effect.taskId, {
              reason: `The function '${effect.name}' doesn't exist, is disabled, or is not an orchestrator function.`,
              details: '',
            }),
          );
          return;
        }
        this.createInstance(
          effect.name,
          effect.instanceId,
          effect.input,
          { instanceId: instance.instanceId, taskId: effect.taskId, executionId: instance.executionId },
          instance.traceParent,
        );
        return;
      }
    }
  }

  /** Inserts a new instance and its ExecutionStarted message; call inside a transaction. */
  private createInstance(
    name: string,
    instanceId: string,
    input: string | null,
    parent: { instanceId: string; taskId: number; executionId: string } | null,
    traceParent: string | null,
  ): InstanceRecord {
    const now = new Date(this.clock());
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
    this.store.saveInstance(record);
    this.store.enqueue(
      instanceId,
      record.executionId,
      now.getTime(),
      history.executionStarted(now, name, input, parent?.instanceId),
    );
    return record;
  }

  private notifyParent(
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
    this.store.enqueue(child.parentInstanceId, child.parentExecutionId, now.getTime(), event);
  }

  // ---- Activities -----------------------------------------------------------------------------------

  private async executeActivity(item: WorkItem): Promise<void> {
    let event: HistoryEvent;
    const started = this.clock();
    try {
      if (!this.options.isActivity(item.name)) {
        throw new Error(
          `The function '${item.name}' doesn't exist, is disabled, or is not an activity function.`,
        );
      }
      const input = item.input === null ? undefined : (JSON.parse(item.input) as unknown);
      const result = await this.options.runActivity(item.name, input, {
        instanceId: item.instanceId,
        taskId: item.taskId,
        attempt: item.attempt,
        traceParent: item.traceParent,
      });
      event = history.taskCompleted(new Date(this.clock()), item.taskId, JSON.stringify(result ?? null));
      this.log.debug('activity completed', {
        instanceId: item.instanceId,
        name: item.name,
        ms: this.clock() - started,
      });
    } catch (error) {
      // The stack stays in the log: Details reach the orchestrator's error and so its status output.
      event = history.taskFailed(new Date(this.clock()), item.taskId, {
        reason: `Activity function '${item.name}' failed: ${withoutStack(errorMessage(error))}`,
        details: '',
      });
      this.log.warn('activity failed', {
        instanceId: item.instanceId,
        name: item.name,
        attempt: item.attempt,
        error,
      });
    }
    if (!this.store.isOpen) {
      // Shutdown outlasted this activity: its work item is still queued and runs again on restart.
      this.log.warn('activity finished after the store closed; it will run again', {
        instanceId: item.instanceId,
        name: item.name,
      });
      return;
    }
    this.store.transaction(() => {
      this.store.deleteWorkItem(item.id);
      const instance = this.store.getInstance(item.instanceId);
      if (
        !instance ||
        terminalStatuses.has(instance.runtimeStatus) ||
        instance.executionId !== item.executionId
      )
        return;
      this.store.enqueue(item.instanceId, item.executionId, this.clock(), event);
    });
  }

  /**
   * The store itself failed (disk full, I/O error): nothing of this step was committed, so it is
   * retried from the store on the next pump or restart. Logged, never an unhandled rejection.
   */
  private reportStoreFailure(step: string, instanceId: string, error: unknown): void {
    if (!this.store.isOpen) return;
    this.log.error(`could not commit ${step}; it will be retried`, { instanceId, error });
  }

  private emitStatus(instance: InstanceRecord): void {
    this.emit('statusChanged', {
      instanceId: instance.instanceId,
      runtimeStatus: instance.runtimeStatus,
    } satisfies StatusChange);
  }
}

export class UnknownOrchestrationError extends Error {
  constructor(readonly orchestrationName: string) {
    super(
      `The function '${orchestrationName}' doesn't exist, is disabled, or is not an orchestrator function.`,
    );
  }
}

type Effect =
  | { kind: 'activity'; taskId: number; name: string; input: string | null; attempt: number }
  | { kind: 'timer'; timerId: number; fireAt: Date }
  | { kind: 'cancelTimer'; timerId: number }
  | { kind: 'subOrchestration'; taskId: number; name: string; instanceId: string; input: string | null };

/**
 * Collects what one episode appends to history and what work it creates, mirroring the SDK's
 * task-id allocation: ids for retry bookkeeping caused by the new event first, then one id per new
 * scheduled action in depth-first yield order (external-event waits take none).
 */
class EpisodeBuilder {
  readonly newEvents: HistoryEvent[] = [];
  readonly effects: Effect[] = [];
  /** Set when continue-as-new replaces this execution's history with a fresh execution's. */
  continuesAsNew = false;
  private nextSeq: number;
  private readonly scheduledById = new Map<number, HistoryEvent>();

  constructor(
    private readonly instance: InstanceRecord,
    private readonly pastEvents: HistoryEvent[],
    private readonly now: Date,
  ) {
    this.nextSeq = instance.nextSeq;
    for (const e of pastEvents) this.indexScheduling(e);
  }

  append(e: HistoryEvent): void {
    this.newEvents.push(e);
    this.indexScheduling(e);
  }

  private indexScheduling(e: HistoryEvent): void {
    if (
      e.EventType === EventType.TaskScheduled ||
      e.EventType === EventType.SubOrchestrationInstanceCreated ||
      e.EventType === EventType.TimerCreated
    ) {
      this.scheduledById.set(e.EventId, e);
    }
  }

  /** The host's half of `callActivityWithRetry`: the extension, not the SDK, waits and reschedules. */
  applyRetryBookkeeping(e: HistoryEvent): void {
    if (e.EventType === EventType.TaskFailed || e.EventType === EventType.SubOrchestrationInstanceFailed) {
      const scheduled = this.scheduledById.get(e.TaskScheduledId as number);
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
          const failure = { reason: e.Reason as string, details: (e.Details as string) ?? '' };
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
      const timer = this.scheduledById.get(e.TimerId as number);
      const purpose = timer?.HostPurpose as TimerPurpose | undefined;
      if (!purpose || purpose.kind !== 'retry' || purpose.final) return;
      const failed = this.scheduledById.get(purpose.retryOf);
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

  /** The actions replayed from earlier episodes must be the ones recorded then. */
  checkDeterminism(top: Action[], done: boolean): FailureInfo | undefined {
    const recorded = this.instance.actionSignatures;
    const replayed = top.slice(0, recorded.length).map(signature);
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
    const alreadyScheduled = new Set<Action>();
    for (const action of top.slice(0, this.instance.actionsProcessed))
      collectLeaves(action, alreadyScheduled);
    const fresh = top.slice(this.instance.actionsProcessed);

    const visit = (action: Action, path: string): FailureInfo | undefined => {
      if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
        const children = action.compoundActions ?? [];
        for (let i = 0; i < children.length; i++) {
          const failure = visit(children[i], `${path}.${i}`);
          if (failure) return failure;
        }
        return undefined;
      }
      if (alreadyScheduled.has(action)) return undefined;
      alreadyScheduled.add(action);
      const unsupported = unsupportedActions[action.actionType];
      if (unsupported) {
        return {
          reason: `Orchestrator '${this.instance.name}' used ${unsupported}, which the local host does not support.`,
          details: '',
          errorType: 'NotSupportedError',
        };
      }
      switch (action.actionType) {
        case ActionType.CallActivity:
        case ActionType.CallActivityWithRetry: {
          const id = this.nextSeq++;
          const input = activityInputJson(action.input);
          const retry = action.retryOptions
            ? { options: action.retryOptions, attempt: 1, firstAttemptAt: this.now.getTime() }
            : undefined;
          this.append(history.taskScheduled(this.now, id, action.functionName!, input, retry));
          this.effects.push({ kind: 'activity', taskId: id, name: action.functionName!, input, attempt: 1 });
          return undefined;
        }
        case ActionType.CallSubOrchestrator:
        case ActionType.CallSubOrchestratorWithRetry: {
          const id = this.nextSeq++;
          const childId = action.instanceId || `${this.instance.instanceId}:${id}`;
          const input = action.input === undefined ? null : JSON.stringify(action.input);
          const retry = action.retryOptions
            ? { options: action.retryOptions, attempt: 1, firstAttemptAt: this.now.getTime() }
            : undefined;
          this.append(
            history.subOrchestrationCreated(this.now, id, action.functionName!, childId, input, retry),
          );
          this.effects.push({
            kind: 'subOrchestration',
            taskId: id,
            name: action.functionName!,
            instanceId: childId,
            input,
          });
          return undefined;
        }
        case ActionType.CreateTimer: {
          const id = this.nextSeq++;
          const fireAt = new Date(action.fireAt as string);
          this.append(history.timerCreated(this.now, id, fireAt, { kind: 'user', path }));
          if (!action.isCanceled) this.effects.push({ kind: 'timer', timerId: id, fireAt });
          return undefined;
        }
        case ActionType.WaitForExternalEvent:
        case ActionType.ContinueAsNew:
          return undefined;
        default:
          return {
            reason: `Orchestrator '${this.instance.name}' returned an unknown action type ${action.actionType}.`,
            details: '',
          };
      }
    };

    for (let i = 0; i < fresh.length; i++) {
      const failure = visit(fresh[i], String(this.instance.actionsProcessed + i));
      if (failure) return failure;
    }
    this.signatures = top.map(signature);
    this.cancelAbandonedTimers(top);
    return undefined;
  }

  /**
   * Timers the orchestrator cancelled since they were scheduled (`timer.cancel()` after a
   * Task.any) are taken off the queue, so they never wake the instance for nothing.
   */
  private cancelAbandonedTimers(top: Action[]): void {
    const fired = new Set<number>();
    for (const e of [...this.pastEvents, ...this.newEvents]) {
      if (e.EventType === EventType.TimerFired) fired.add(e.TimerId as number);
    }
    for (const [id, scheduled] of this.scheduledById) {
      const purpose = scheduled.HostPurpose as TimerPurpose | undefined;
      if (scheduled.EventType !== EventType.TimerCreated || purpose?.kind !== 'user' || fired.has(id))
        continue;
      if (actionAt(top, purpose.path)?.isCanceled) this.effects.push({ kind: 'cancelTimer', timerId: id });
    }
  }

  /**
   * Tasks scheduled and not yet answered once this episode commits: activities, sub-orchestrations
   * and timers (a timer the orchestrator cancelled no longer counts).
   */
  pendingActions(top: Action[]): number {
    const answered = new Set<number>();
    for (const e of [...this.pastEvents, ...this.newEvents]) {
      if (typeof e.TaskScheduledId === 'number') answered.add(e.TaskScheduledId);
      if (e.EventType === EventType.TimerFired) answered.add(e.TimerId as number);
    }
    let pending = 0;
    for (const [id, scheduled] of this.scheduledById) {
      if (answered.has(id)) continue;
      const purpose = scheduled.HostPurpose as TimerPurpose | undefined;
      if (purpose?.kind === 'user' && actionAt(top, purpose.path)?.isCanceled) continue;
      pending++;
    }
    return pending;
  }

  private signatures: string[] | undefined;

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
    this.append(history.orchestratorCompleted(this.now));
    return this.updated({ runtimeStatus: 'Running', customStatus });
  }

  complete(output: unknown, customStatus: string | null): InstanceRecord {
    const result = JSON.stringify(output ?? null);
    this.append(history.orchestratorCompleted(this.now));
    this.append(history.executionCompleted(this.now, 'Completed', result));
    return this.updated({ runtimeStatus: 'Completed', output: result, customStatus });
  }

  fail(failure: FailureInfo, customStatus: string | null): InstanceRecord {
    this.effects.length = 0;
    this.append(history.orchestratorCompleted(this.now));
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

function limitFailure(reason: string): FailureInfo {
  return { reason, details: '', errorType: 'LimitExceededError' };
}

/**
 * A failure message without stack frames: the SDK appends a task's Details to its error message,
 * and code may put a stack into its own message. Status outputs are readable by any caller.
 */
function withoutStack(message: string): string {
  return message
    .split('\n')
    .filter((line) => !/^\s*at\s/.test(line))
    .join('\n')
    .trim();
}

function atLeastOne(setting: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${setting} must be a whole number of at least 1, not ${value}.`);
  return value;
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

/** The action at a path such as "4.1" (top-level index, then compound children). */
function actionAt(top: Action[], path: string): Action | undefined {
  const [first, ...rest] = path.split('.').map(Number);
  let action: Action | undefined = top[first];
  for (const index of rest) action = action?.compoundActions?.[index];
  return action;
}

function collectLeaves(action: Action, into: Set<Action>): void {
  if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
    for (const child of action.compoundActions ?? []) collectLeaves(child, into);
  } else {
    into.add(action);
  }
}

function signature(action: Action): string {
  if (action.compoundActions)
    return `${action.actionType}[${action.compoundActions.map(signature).join(',')}]`;
  return `${action.actionType}:${action.functionName ?? action.externalEventName ?? ''}`;
}

/** Activity inputs arrive JSON-encoded when they are strings (the SDK's processInput), raw otherwise. */
function activityInputJson(input: unknown): string | null {
  if (input === undefined) return null;
  if (typeof input === 'string') return input;
  return JSON.stringify(input);
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
