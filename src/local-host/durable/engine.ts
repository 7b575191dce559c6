/**
 * The durable engine: the host's Durable Task runtime. This module is its front: the client
 * operations the management API and DurableClient use (start, raise, terminate, suspend, resume,
 * purge, query, wait) and the wiring of the parts, each in its own module:
 *
 * - scheduler.ts — what runs next and how much at once (the pump, durable timers' wake-ups);
 * - episode-runner.ts — orchestration episodes: replay through the SDK, commit, then work;
 * - episode-builder.ts — history building: task ids, retries, actions into events and work;
 * - replay-state.ts — what the host derives from a committed history, kept incrementally;
 * - activity-runner.ts — activity execution and the batched commit of results;
 * - entity-runner.ts — durable entities: one batch of operations at a time per entity, and
 *   critical sections (entity-ids.ts: the SDK's entity ids);
 * - instance-lifecycle.ts — creating and ending instances, telling parents, releasing locks;
 * - actions.ts, history.ts — the SDK's wire shapes; limits.ts — the work one caller can cause;
 *   failure-text.ts — failure messages without stacks;
 * - store.ts — SQLite, with hot instances and histories cached write-through.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../telemetry/logger';
import type { OrchestrationBinding } from './actions';
import { ActivityRunner, type ActivityInvocation } from './activity-runner';
import { entityIdOf } from './entity-ids';
import { EntityRunner, type EntityBinding, type EntityInvocation } from './entity-runner';
import { EpisodeRunner, type OrchestrationInvocation } from './episode-runner';
import { history, type HistoryEvent } from './history';
import { emitOrchestrationSpan } from './host-spans';
import { createInstance, notifyParent, releaseLocks } from './instance-lifecycle';
import {
  atLeastOne,
  defaultInstanceLimits,
  LimitExceededError,
  raiseHint,
  type InstanceLimits,
} from './limits';
import { rewind, type RewindOutcome } from './rewind';
import { Scheduler } from './scheduler';
import {
  DurableStore,
  terminalStatuses,
  type EntityQuery,
  type EntityRecord,
  type InboxMessage,
  type InstanceQuery,
  type InstanceRecord,
  type RuntimeStatus,
} from './store';

export type { OrchestrationBinding } from './actions';
export type { ActivityInvocation } from './activity-runner';
export type { OrchestrationInvocation } from './episode-runner';
export type { EntityBinding, EntityInvocation } from './entity-runner';
export { defaultInstanceLimits, LimitExceededError, type InstanceLimits } from './limits';
export type { RewindOutcome } from './rewind';

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
  /** The registered entity function for an entity name (compared without case), if any. */
  entityFunction?(name: string): string | undefined;
  runEntity?(functionName: string, binding: EntityBinding, invocation: EntityInvocation): Promise<unknown>;
  maxConcurrentActivities?: number;
  maxConcurrentOrchestrations?: number;
  limits?: Partial<InstanceLimits>;
  /** Milliseconds since the epoch; tests may pin it. */
  clock?: () => number;
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

export class DurableEngine extends EventEmitter {
  private readonly store: DurableStore;
  private readonly log: Logger;
  private readonly clock: () => number;
  private readonly limits: InstanceLimits;
  private readonly scheduler: Scheduler;

  constructor(private readonly options: DurableEngineOptions) {
    super();
    // Every waitForStatus caller listens while it waits; hundreds at once are normal, not a leak.
    this.setMaxListeners(0);
    this.store = options.store;
    this.log = options.logger;
    this.clock = options.clock ?? Date.now;
    this.limits = { ...defaultInstanceLimits, ...options.limits };
    for (const [name, value] of Object.entries(this.limits) as [string, number][]) atLeastOne(name, value);
    const episodes = new EpisodeRunner({
      store: this.store,
      logger: this.log,
      clock: this.clock,
      limits: this.limits,
      isOrchestration: (name) => options.isOrchestration(name),
      runOrchestrator: (name, binding, invocation) => options.runOrchestrator(name, binding, invocation),
      statusChanged: (instance) => this.emitStatus(instance),
    });
    const activities = new ActivityRunner({
      store: this.store,
      logger: this.log,
      clock: this.clock,
      isActivity: (name) => options.isActivity(name),
      runActivity: (name, input, invocation) => options.runActivity(name, input, invocation),
      handOff: (item, event, acknowledge) =>
        this.scheduler.handOff(item.instanceId, {
          accepts: () => episodes.takesResultDirectly(item),
          run: () => episodes.runWithResult(item, event, acknowledge),
        }),
    });
    const entities = new EntityRunner({
      store: this.store,
      logger: this.log,
      clock: this.clock,
      entityFunction: (name) => options.entityFunction?.(name),
      runEntity: (functionName, binding, invocation) => {
        if (!options.runEntity) throw new Error('This host runs no entity functions.');
        return options.runEntity(functionName, binding, invocation);
      },
    });
    this.scheduler = new Scheduler({
      store: this.store,
      logger: this.log,
      clock: this.clock,
      episodes,
      activities,
      entities,
      maxConcurrentActivities: atLeastOne('maxConcurrentActivities', options.maxConcurrentActivities ?? 10),
      maxConcurrentOrchestrations: atLeastOne(
        'maxConcurrentOrchestrations',
        options.maxConcurrentOrchestrations ?? 10,
      ),
    });
  }

  /** Starts processing; resumes every unfinished instance from the store. */
  start(): void {
    const unfinished = this.store.countUnfinished();
    if (unfinished > 0) this.log.info('resuming unfinished orchestration instances', { count: unfinished });
    this.scheduler.start();
  }

  /** Stops taking new work and waits (bounded) for running episodes and activities to finish. */
  async stop(timeoutMs = 10_000): Promise<void> {
    await this.scheduler.stop(timeoutMs);
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
          `The host already holds maxActiveInstances (${this.limits.maxActiveInstances}) unfinished instances; retry when some have finished, or ${raiseHint('maxActiveInstances')}.`,
        );
      }
      if (existing) this.store.deleteInstance(instanceId);
      return createInstance(
        this.store,
        new Date(this.clock()),
        name,
        instanceId,
        options.input,
        null,
        options.traceParent ?? null,
      );
    });
    this.emitStatus(record);
    this.scheduler.schedulePump();
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
          `Instance '${instanceId}' already has maxQueuedEvents (${this.limits.maxQueuedEvents}) events waiting; retry later, or ${raiseHint('maxQueuedEvents')}.`,
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
    if (outcome === 'accepted') this.scheduler.schedulePump();
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
      emitOrchestrationSpan(updated, this.store.history(instanceId));
      notifyParent(
        this.store,
        updated,
        { kind: 'failed', failure: { reason: `Terminated: ${reason}`, details: '' } },
        now,
      );
      releaseLocks(this.store, instanceId, updated.traceParent);
      return updated;
    });
    if (typeof result === 'string') return result;
    this.log.info('orchestration terminated', { instanceId, reason });
    this.emitStatus(result);
    this.scheduler.schedulePump();
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
      const now = new Date(this.clock());
      // The change is history, as in Azure (ExecutionSuspended/ExecutionResumed with the reason);
      // asking again for the state it is already in changes nothing and writes nothing.
      if (runtimeStatus !== instance.runtimeStatus) {
        this.store.appendHistory(instanceId, [
          suspend ? history.executionSuspended(now, reason) : history.executionResumed(now, reason),
        ]);
      }
      const updated = { ...instance, runtimeStatus, lastUpdatedTime: now.toISOString() };
      this.store.saveInstance(updated);
      return updated;
    });
    if (typeof result === 'string') return result;
    // A resumed instance's waiting events become deliverable again.
    if (!suspend) this.store.settleReady(instanceId);
    this.log.info(suspend ? 'orchestration suspended' : 'orchestration resumed', { instanceId, reason });
    this.emitStatus(result);
    this.scheduler.schedulePump();
    return 'accepted';
  }

  /**
   * Rewinds a failed instance as Durable does: back to before the failure that ended it, the
   * failed activities run again, failed sub-orchestrations rewound in turn (see rewind.ts).
   */
  rewind(instanceId: string, reason: string): RewindOutcome {
    const outcome = this.store.transaction(() =>
      rewind(this.store, instanceId, reason, new Date(this.clock())),
    );
    if (outcome.kind !== 'accepted') return outcome;
    this.log.info('orchestration rewound', { instanceId, reason });
    const instance = this.store.getInstance(instanceId);
    if (instance) this.emitStatus(instance);
    this.scheduler.schedulePump();
    return outcome;
  }

  /**
   * Restarts an instance as Durable's RestartAsync does: a new instance of the same orchestration
   * with the same input, under a new id or (newInstanceId false) the same one, which must then
   * have finished. Undefined when there is no such instance.
   */
  restart(instanceId: string, newInstanceId: boolean): InstanceRecord | undefined {
    const instance = this.store.getInstance(instanceId);
    if (!instance) return undefined;
    return this.startInstance(instance.name, {
      ...(newInstanceId ? {} : { instanceId }),
      input: instance.input,
    });
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

  /** The instance's committed history (shared with the store's cache: do not change it). */
  history(instanceId: string): readonly HistoryEvent[] {
    return this.store.history(instanceId);
  }

  /** Events waiting to be delivered to an instance: completions, raised events, pending timers. */
  queuedEvents(instanceId: string): InboxMessage[] {
    return this.store.queuedEvents(instanceId);
  }

  queryInstances(query: InstanceQuery): ReturnType<DurableStore['queryInstances']> {
    return this.store.queryInstances(query);
  }

  // ---- Entities (DurableClient and the management API) -------------------------------------------

  /**
   * Queues an operation for an entity (signalEntity: no answer). Throws UnknownEntityError when no
   * entity function has that name, LimitExceededError past maxQueuedEvents waiting operations.
   */
  signalEntity(name: string, key: string, operation: string, input: string | null): void {
    if (!this.options.entityFunction?.(name)) throw new UnknownEntityError(name);
    const entityId = entityIdOf(name, key);
    this.store.transaction(() => {
      if (this.store.countEntityOperations(entityId) >= this.limits.maxQueuedEvents) {
        throw new LimitExceededError(
          'too_many_events',
          `Entity '${entityId}' already has maxQueuedEvents (${this.limits.maxQueuedEvents}) operations waiting; retry later, or ${raiseHint('maxQueuedEvents')}.`,
        );
      }
      this.store.enqueueEntityOperation({
        kind: 'operation',
        entityId,
        requestId: randomUUID(),
        operation,
        input,
        signal: true,
        parentInstanceId: null,
        parentExecutionId: null,
        traceParent: null,
      });
    });
    this.scheduler.schedulePump();
  }

  /** An entity's committed state, or undefined when it does not exist. */
  readEntity(name: string, key: string): EntityRecord | undefined {
    return this.store.getEntity(entityIdOf(name, key));
  }

  queryEntities(query: EntityQuery): ReturnType<DurableStore['queryEntities']> {
    return this.store.queryEntities({ ...query, name: query.name.toLowerCase() });
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

  private emitStatus(instance: InstanceRecord): void {
    this.emit('statusChanged', {
      instanceId: instance.instanceId,
      runtimeStatus: instance.runtimeStatus,
    } satisfies StatusChange);
  }
}

export class UnknownEntityError extends Error {
  constructor(readonly entityName: string) {
    super(`No entity function named '${entityName}' exists (or it is disabled).`);
  }
}

export class UnknownOrchestrationError extends Error {
  constructor(readonly orchestrationName: string) {
    super(
      `The function '${orchestrationName}' doesn't exist, is disabled, or is not an orchestrator function.`,
    );
  }
}
