/**
 * Activity execution. Activities run from the persisted work queue; `invokeActivity` is the one
 * place an activity function is called. Results are committed in batches: every activity that
 * finishes within one turn of the event loop is acknowledged in a single transaction (its work
 * item deleted, its completion queued for the orchestration), and only then does it release its
 * slot, so the scheduler can never pick the same work item twice. A crash before that commit
 * runs the activity again (at-least-once, as in Azure). A result its instance can take at once
 * (nothing else queued or running for it, see `handOff`) skips the inbox and commits with the
 * episode it resumes instead.
 */
import type { Logger } from '../../telemetry/logger';
import { activityFailure } from './failure-details';
import { history, type HistoryEvent } from './history';
import { context } from '@opentelemetry/api';
import { executionContext, inActivitySpan, runIdOf } from './host-spans';
import { ReplayState } from './replay-state';
import { terminalStatuses, type DurableStore, type WorkItem } from './store';

export interface ActivityInvocation {
  instanceId: string;
  taskId: number;
  attempt: number;
  traceParent: string | null;
}

export interface ActivityRunnerOptions {
  store: DurableStore;
  logger: Logger;
  clock: () => number;
  isActivity(name: string): boolean;
  runActivity(name: string, input: unknown, invocation: ActivityInvocation): Promise<unknown>;
  /**
   * Offers a finished activity's outcome straight to its instance's next episode, which then
   * commits it (calling `acknowledge` inside that transaction). Resolves false when the outcome
   * must be queued for the orchestration as usual.
   */
  handOff?(item: WorkItem, event: HistoryEvent, acknowledge: () => void): Promise<boolean>;
}

interface Finished {
  item: WorkItem;
  event: HistoryEvent;
  committed: () => void;
}

export class ActivityRunner {
  private readonly store: DurableStore;
  private readonly log: Logger;
  private finished: Finished[] = [];
  private flushScheduled = false;

  constructor(private readonly options: ActivityRunnerOptions) {
    this.store = options.store;
    this.log = options.logger;
  }

  /** Runs one work item; resolves once its outcome is committed (or left for a restart). */
  async execute(item: WorkItem): Promise<void> {
    const event = await this.invokeActivity(item);
    if (!this.store.isOpen) {
      // Shutdown outlasted this activity: its work item is still queued and runs again on restart.
      this.log.warn('activity finished after the store closed; it will run again', {
        instanceId: item.instanceId,
        name: item.name,
      });
      return;
    }
    // A sequential step: the result and the episode it resumes commit together (the work item
    // stays held by this call until then, so the scheduler cannot run it twice meanwhile).
    const handedOff = await this.options.handOff?.(item, event, () => this.store.deleteWorkItem(item.id));
    if (handedOff) return;
    await new Promise<void>((committed) => {
      this.finished.push({ item, event, committed });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Calls the app's activity function: the one place an activity runs. Returns the completion or
   * failure event the orchestration receives.
   */
  private async invokeActivity(item: WorkItem): Promise<HistoryEvent> {
    const runId = runIdOf(item.instanceId, (id) => this.store.getInstance(id));
    return context.with(executionContext(item, runId), () => this.runAttempt(item));
  }

  private async runAttempt(item: WorkItem): Promise<HistoryEvent> {
    const started = this.options.clock();
    try {
      if (!this.options.isActivity(item.name)) {
        throw new Error(
          `The function '${item.name}' doesn't exist, is disabled, or is not an activity function.`,
        );
      }
      const input = item.input === null ? undefined : (JSON.parse(item.input) as unknown);
      // The activity sees its attempt's span as its trace context, as with the extension's tracing V2.
      const scheduled = ReplayState.of(this.store.history(item.instanceId)).scheduledById.get(item.taskId);
      const attempt = { ...item, scheduledAt: scheduled && new Date(scheduled.Timestamp) };
      const result = await inActivitySpan(attempt, (traceParent) =>
        this.options.runActivity(item.name, input, {
          instanceId: item.instanceId,
          taskId: item.taskId,
          attempt: item.attempt,
          traceParent,
        }),
      );
      this.log.debug('activity completed', {
        instanceId: item.instanceId,
        name: item.name,
        ms: this.options.clock() - started,
      });
      return history.taskCompleted(
        new Date(this.options.clock()),
        item.taskId,
        JSON.stringify(result ?? null),
      );
    } catch (error) {
      // The stack stays in the log: Details reach the orchestrator's error and so its status output.
      this.log.warn('activity failed', {
        instanceId: item.instanceId,
        name: item.name,
        attempt: item.attempt,
        error,
      });
      return history.taskFailed(
        new Date(this.options.clock()),
        item.taskId,
        activityFailure(item.name, error),
      );
    }
  }

  /** Commits every finished activity in one transaction, then releases their slots. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.finished;
    this.finished = [];
    try {
      if (this.store.isOpen) {
        this.store.transaction(() => {
          for (const { item, event } of batch) {
            this.store.deleteWorkItem(item.id);
            const instance = this.store.getInstance(item.instanceId);
            // A result for a finished or replaced execution is dropped, as the extension does.
            if (
              !instance ||
              terminalStatuses.has(instance.runtimeStatus) ||
              instance.executionId !== item.executionId
            )
              continue;
            this.store.enqueue(item.instanceId, item.executionId, this.options.clock(), event);
          }
        });
      }
    } catch (error) {
      // Nothing of the batch was committed: the work items stay queued and run again.
      if (this.store.isOpen)
        this.log.error('could not commit activity results; they will be retried', { error });
    } finally {
      for (const { committed } of batch) committed();
    }
  }
}
