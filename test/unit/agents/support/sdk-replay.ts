/**
 * Drives an orchestrator function with the durable-functions SDK's own executor, no host: each
 * episode hands the SDK the history so far (as the Durable extension would) and returns the
 * actions it emits. Tests complete the scheduled activities by name (`completeActivity`), then
 * run the next episode — a replay from the start each time, exactly as in production — so a test
 * reads as the run's story and does not depend on how many tasks a phase schedules.
 */
import * as df from 'durable-functions';
import type { OrchestrationContext } from 'durable-functions';

// The SDK's own wrapper (what df.app.orchestration registers); not re-exported from its index.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createOrchestrator } = require('durable-functions/lib/src/util/testingUtils') as {
  createOrchestrator: (
    fn: (context: OrchestrationContext) => Generator<unknown, unknown, unknown>,
  ) => (binding: unknown, context: unknown) => Promise<OrchestratorState>;
};

export interface Action {
  actionType: number;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  retryOptions?: { maxNumberOfAttempts: number; firstRetryIntervalInMilliseconds: number };
  compoundActions?: Action[];
}

export interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

/** Action types the tests read (see the SDK's ActionType). */
export const ACTION = { callActivityWithRetry: 1, callSubOrchestrator: 2, whenAll: 12 } as const;

type HistoryEvent = Record<string, unknown> & { EventType: number };

/** How far the clock moves between two episodes. */
export const EPISODE_MS = 1_000;

/** Activities, as opposed to sub-orchestrations (see the SDK's ActionType). */
const isActivity = (action: Action) => action.actionType === 0 || action.actionType === 1;
const isSubOrchestration = (action: Action) => action.actionType === 2 || action.actionType === 3;

export class SdkReplay {
  private readonly history: HistoryEvent[] = [];
  private clock: number;
  /** Leaf actions already scheduled, by task id. */
  private readonly scheduledActions: Action[] = [];
  /** Task ids completed so far. */
  private readonly completed = new Set<number>();
  /** The last episode's state, and whether its new actions are scheduled yet. */
  private last?: { state: OrchestratorState; scheduled: boolean };
  /** Task ids pending when the current episode's completions began, in scheduling order. */
  private pendingAtStart: number[] = [];

  constructor(
    private readonly fn: (context: OrchestrationContext) => Generator<unknown, unknown, unknown>,
    private readonly instanceId: string,
    private readonly input: unknown,
    start = Date.parse('2027-01-01T00:00:00Z'),
  ) {
    this.clock = start;
    this.history.push(this.event(12), { ...this.event(0), Name: 'test', Input: JSON.stringify(input) });
  }

  /** Runs one episode over the history so far. */
  async run(): Promise<OrchestratorState> {
    const handler = createOrchestrator(this.fn);
    const binding = {
      history: this.history.map((e) => ({ ...e })),
      input: this.input,
      instanceId: this.instanceId,
      isReplaying: false,
      parentInstanceId: null,
      upperSchemaVersion: 1,
      upperSchemaVersionNew: 3,
      longRunningTimerIntervalDuration: '3.00:00:00',
      maximumShortTimerDuration: '36500.00:00:00',
      defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
    };
    const state = await handler(
      binding,
      new df.DummyOrchestrationContext('test', 'invocation', () => undefined),
    );
    this.last = { state, scheduled: false };
    return state;
  }

  /** The leaf actions (depth-first through compound ones) emitted after the ones already scheduled. */
  newActions(state: OrchestratorState): Action[] {
    const leaves: Action[] = [];
    const walk = (action: Action) => {
      if (action.compoundActions) action.compoundActions.forEach(walk);
      else leaves.push(action);
    };
    (state.actions[0] ?? []).forEach(walk);
    return leaves.slice(this.scheduledActions.length);
  }

  /**
   * Completes the pending activity `name` with `result`, for the next episode. The first
   * completion after a `run()` ends that episode (its new actions are scheduled, time moves on by
   * `EPISODE_MS`); further ones join the same next episode. When several `name` activities are
   * pending (parallel calls), `index` says which: its place among the ones pending when this
   * episode's completions began, in the order they were scheduled. Throws when none or (without
   * an index) more than one is pending, so a test never completes a task it did not mean to.
   */
  completeActivity(name: string, result: unknown, index?: number): void {
    this.endEpisode();
    const named = this.pendingAtStart.filter((id) => this.scheduledActions[id].functionName === name);
    const open = named.filter((id) => !this.completed.has(id));
    if (index === undefined && open.length !== 1) {
      throw new Error(
        `${open.length} "${name}" activities are pending (complete exactly one, or give an index); ` +
          `pending: ${this.describePending()}`,
      );
    }
    const id = index === undefined ? open[0] : named[index];
    if (id === undefined || this.completed.has(id)) {
      throw new Error(`No pending "${name}" activity at index ${index}; pending: ${this.describePending()}`);
    }
    this.completed.add(id);
    // TaskCompleted.
    this.history.push({ ...this.event(5), TaskScheduledId: id, Result: JSON.stringify(result) });
  }

  /** Schedules the last episode's new actions and opens the next episode (once per episode). */
  private endEpisode(): void {
    if (!this.last) throw new Error('run() the orchestrator before completing its tasks');
    if (this.last.scheduled) return;
    for (const action of this.newActions(this.last.state)) {
      const sub = isSubOrchestration(action);
      this.history.push({
        // TaskScheduled, or SubOrchestrationInstanceCreated.
        ...this.event(sub ? 7 : 4, this.scheduledActions.length),
        Name: action.functionName,
        Input: JSON.stringify(action.input),
        ...(sub ? { InstanceId: action.instanceId } : {}),
      });
      this.scheduledActions.push(action);
    }
    this.last.scheduled = true;
    this.history.push(this.event(13));
    this.clock += EPISODE_MS;
    this.history.push(this.event(12));
    this.pendingAtStart = this.scheduledActions
      .map((action, id) => ({ action, id }))
      .filter(({ action, id }) => isActivity(action) && !this.completed.has(id))
      .map(({ id }) => id);
  }

  private describePending(): string {
    const names = this.pendingAtStart
      .filter((id) => !this.completed.has(id))
      .map((id) => this.scheduledActions[id].functionName);
    return names.length > 0 ? names.join(', ') : 'none';
  }

  get eventCount(): number {
    return this.history.length;
  }

  private event(type: number, eventId = -1): HistoryEvent {
    return {
      EventType: type,
      EventId: eventId,
      IsPlayed: false,
      Timestamp: new Date(this.clock).toISOString(),
    };
  }
}
