/**
 * Drives an orchestrator function with the durable-functions SDK's own executor, no host: each
 * episode hands the SDK the history so far (as the Durable extension would) and returns the
 * actions it emits. Tests append completions by task id, then run the next episode — a replay
 * from the start each time, exactly as in production.
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

export class SdkReplay {
  private readonly history: HistoryEvent[] = [];
  private clock: number;
  /** Leaf actions already scheduled, by task id. */
  private readonly scheduledActions: Action[] = [];
  private get scheduled(): number {
    return this.scheduledActions.length;
  }

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
    return handler(binding, new df.DummyOrchestrationContext('test', 'invocation', () => undefined));
  }

  /** The leaf actions (depth-first through compound ones) emitted after the ones already scheduled. */
  newActions(state: OrchestratorState): Action[] {
    const leaves: Action[] = [];
    const walk = (action: Action) => {
      if (action.compoundActions) action.compoundActions.forEach(walk);
      else leaves.push(action);
    };
    (state.actions[0] ?? []).forEach(walk);
    return leaves.slice(this.scheduled);
  }

  /**
   * Ends the episode (the new actions are scheduled, ids in order) and opens the next one with
   * `results` as completions: task id → result. Time moves on by `elapsedMs`.
   */
  complete(state: OrchestratorState, results: Record<number, unknown>, elapsedMs = 1_000): void {
    for (const action of this.newActions(state)) {
      const sub = action.actionType === 2 || action.actionType === 3;
      this.history.push({
        // TaskScheduled, or SubOrchestrationInstanceCreated.
        ...this.event(sub ? 7 : 4, this.scheduled),
        Name: action.functionName,
        Input: JSON.stringify(action.input),
        ...(sub ? { InstanceId: action.instanceId } : {}),
      });
      this.scheduledActions.push(action);
    }
    this.history.push(this.event(13));
    this.clock += elapsedMs;
    this.history.push(this.event(12));
    for (const [id, result] of Object.entries(results)) {
      const action = this.scheduledActions[Number(id)];
      const sub = action.actionType === 2 || action.actionType === 3;
      // TaskCompleted, or SubOrchestrationInstanceCompleted.
      this.history.push({
        ...this.event(sub ? 8 : 5),
        TaskScheduledId: Number(id),
        Result: JSON.stringify(result),
      });
    }
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
