/**
 * Durable entities. Operations for one entity run strictly one batch at a time, in arrival order:
 * the host hands the entity function its committed state and the waiting operations, then commits
 * the new state, the answers to callers (an EventRaised named by each call's request id) and the
 * signals the entity sent, and deletes the operations, all in one transaction. A crash before that
 * commit runs the batch again from the old state, so each operation is applied exactly once.
 * Critical sections (`context.df.lock`): a lock request queued to each entity of the section
 * takes it in its turn; while an orchestration holds an entity, only its messages are delivered
 * and everyone else's wait, until its release (or its end). `invokeEntity` is the one place an
 * entity function is called.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../telemetry/logger';
import { errorMessage, withoutStack } from './failure-text';
import { entityIdOf, parseEntityId } from './entity-ids';
import { history, type EntityResponseMessage } from './history';
import { terminalStatuses, type DurableStore, type EntityOperation } from './store';

/** The binding the extension hands an entity function (DurableEntityBindingInfo). */
export interface EntityBinding {
  self: { name: string; key: string };
  exists: boolean;
  state: string | undefined;
  batch: { id: string; name: string; signal: boolean; input: string | undefined }[];
}

/** What the SDK's entity handler returns (EntityState). */
interface EntityState {
  entityExists: boolean;
  entityState?: string;
  results: { isError: boolean; result?: string }[];
  signals: { target: { name: string; key: string }; name: string; input: string }[];
}

export interface EntityInvocation {
  entityId: string;
  traceParent: string | null;
}

export interface EntityRunnerOptions {
  store: DurableStore;
  logger: Logger;
  clock: () => number;
  /** The registered entity function for an entity name (names compare without case), if any. */
  entityFunction(name: string): string | undefined;
  runEntity(functionName: string, binding: EntityBinding, invocation: EntityInvocation): Promise<unknown>;
}

/** The most operations one batch delivers. */
const maxBatch = 100;

export class EntityRunner {
  private readonly store: DurableStore;
  private readonly log: Logger;

  constructor(private readonly options: EntityRunnerOptions) {
    this.store = options.store;
    this.log = options.logger;
  }

  /** Runs one batch of the entity's waiting operations; false when there were none. */
  async runNext(entityId: string): Promise<boolean> {
    if (!this.store.isOpen) return false;
    // While a critical section holds the entity, only its owner's messages are delivered.
    const lock = this.store.entityLock(entityId);
    const waiting = this.store.entityOperations(entityId, maxBatch, lock?.ownerInstanceId);
    if (waiting.length === 0) return false;
    if (waiting[0].kind !== 'operation') {
      this.store.transaction(() => this.applyLockMessage(entityId, waiting[0]));
      return true;
    }
    // A batch stops before the next lock or release, which must take effect in its turn.
    const end = waiting.findIndex((op) => op.kind !== 'operation');
    const ops = end < 0 ? waiting : waiting.slice(0, end);
    const id = parseEntityId(entityId);
    const functionName = id && this.options.entityFunction(id.name);
    if (!id || !functionName) {
      this.commit(entityId, ops, undefined, {
        error: `No entity function named '${id?.name ?? entityId}' exists (or it is disabled).`,
      });
      return true;
    }
    const entity = this.store.getEntity(entityId);
    const binding: EntityBinding = {
      self: id,
      exists: entity !== undefined,
      state: entity?.state,
      batch: ops.map((op) => ({
        id: op.requestId,
        name: op.operation,
        signal: op.signal,
        input: op.input ?? undefined,
      })),
    };
    let outcome: EntityState | { error: string };
    try {
      outcome = await this.invokeEntity(functionName, binding, { entityId, traceParent: ops[0].traceParent });
    } catch (error) {
      if (!this.store.isOpen) return false;
      this.log.warn('entity function failed', { entityId, error });
      outcome = { error: `Entity function '${functionName}' failed: ${withoutStack(errorMessage(error))}` };
    }
    if (!this.store.isOpen) {
      // Shutdown outlasted the batch: nothing was committed, it runs again on the next start.
      return false;
    }
    this.commit(entityId, ops, id, outcome);
    return true;
  }

  /**
   * A lock request takes the entity for its orchestration (if that execution still runs) and,
   * once every entity of the section is taken, tells the orchestration; a release frees it.
   */
  private applyLockMessage(entityId: string, message: EntityOperation): void {
    this.store.deleteEntityOperations([message]);
    const owner = message.parentInstanceId;
    if (!owner) return;
    if (message.kind === 'release') {
      this.store.unlockEntity(entityId, owner);
      return;
    }
    const instance = this.store.getInstance(owner);
    if (
      !instance ||
      terminalStatuses.has(instance.runtimeStatus) ||
      instance.executionId !== message.parentExecutionId
    ) {
      return;
    }
    const lockSet = JSON.parse(message.input ?? '[]') as string[];
    const held = this.store.lockEntity(entityId, owner, instance.executionId, message.requestId);
    if (held === lockSet.length) {
      const now = new Date(this.options.clock());
      this.store.enqueue(
        owner,
        instance.executionId,
        now.getTime(),
        history.eventRaised(now, message.requestId, null),
      );
    }
  }

  /** Calls the app's entity function with one batch: the one place an entity runs. */
  private async invokeEntity(
    functionName: string,
    binding: EntityBinding,
    invocation: EntityInvocation,
  ): Promise<EntityState> {
    const state = (await this.options.runEntity(functionName, binding, invocation)) as
      | EntityState
      | undefined;
    if (!state || !Array.isArray(state.results) || !Array.isArray(state.signals)) {
      throw new Error(
        'the entity function did not return an entity state (is it registered with df.app.entity?)',
      );
    }
    return state;
  }

  private commit(
    entityId: string,
    ops: EntityOperation[],
    id: { name: string; key: string } | undefined,
    outcome: EntityState | { error: string },
  ): void {
    const now = new Date(this.options.clock());
    this.store.transaction(() => {
      this.store.deleteEntityOperations(ops);
      if (id && !('error' in outcome)) {
        const state = outcome.entityExists ? (outcome.entityState ?? 'null') : null;
        this.store.saveEntity(entityId, id.name, id.key, state, now.toISOString());
        for (const signal of outcome.signals) {
          this.store.enqueueEntityOperation({
            kind: 'operation',
            entityId: entityIdOf(signal.target.name, signal.target.key),
            requestId: randomUUID(),
            operation: signal.name,
            input: signal.input === '' ? null : signal.input,
            signal: true,
            parentInstanceId: null,
            parentExecutionId: null,
            traceParent: ops[0].traceParent,
          });
        }
      }
      ops.forEach((op, i) => {
        if (op.signal || !op.parentInstanceId) return;
        const result = 'error' in outcome ? undefined : outcome.results[i];
        // An operation that returned nothing has no result: the caller's task gets undefined.
        const response: EntityResponseMessage =
          'error' in outcome
            ? { result: JSON.stringify(outcome.error), exceptionType: 'EntityFunctionError' }
            : {
                ...(result?.result !== undefined ? { result: result.result } : {}),
                ...(result?.isError ? { exceptionType: 'Error' } : {}),
              };
        // Tagged with the calling execution: after continue-as-new it is dropped, as the extension does.
        this.store.enqueue(
          op.parentInstanceId,
          op.parentExecutionId,
          now.getTime(),
          history.entityResponse(now, op.requestId, response),
        );
      });
    });
    if ('error' in outcome) {
      this.log.warn('entity operations failed', { entityId, operations: ops.length, reason: outcome.error });
    }
  }
}
