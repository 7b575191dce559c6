/**
 * The frame every agent application's orchestration runs in: the run's tracker (budgets, steps,
 * decisions), the status it publishes while it runs and returns when it ends, the replay-safe
 * telemetry of its decisions and its end, and the budget stop. An application writes only its
 * phases; start-up, publishing and `budget_exceeded` are the same for every application.
 * Deterministic: time from `context.df.currentUtcDateTime`, everything else from the input.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { runFailure } from '../domain/error-codes';
import { waypointMetrics } from '../telemetry/metrics';
import type { BudgetLimits } from './budgets';
import type { TraceCarrier } from './contracts';
import { recordRunFinished, traceDecisions } from './orchestration/run-telemetry';
import type { RunOptions } from './orchestration/run-options';
import type { RetryPolicies } from './retry';
import type { RunError, RunStatusName } from './run-status';
import { BudgetExceededError, RunTracker } from './run-tracker';
import type { ProgressStep } from './progress';
import type { BudgetUsage } from './budgets';

/** The part of an orchestration's input the frame needs. */
export interface RunFrameInput {
  createdAt: string;
  limits: BudgetLimits;
  retry: RetryPolicies;
  writeTools: readonly string[];
  trace?: TraceCarrier | undefined;
  /** Repair turns an agent gets when its answer fails its schema (an agent's own setting wins). */
  maxRepairs?: number | undefined;
}

/** The generic status every run publishes; the application adds request, quote and result. */
export interface FramedStatus<Result> {
  status: RunStatusName;
  progress: { step: number; steps: ProgressStep[] };
  budgets: { limits: BudgetLimits; usage: BudgetUsage };
  decisions?: { at: string; name: string; attributes: Record<string, string | number | boolean> }[];
  result?: Result;
  error?: RunError;
  traceId?: string;
  updatedAt: string;
}

/** How many decisions a status carries (the latest). */
const DECISIONS_SHOWN = 50;

export class RunFrame<Status extends FramedStatus<Result>, Result = NonNullable<Status['result']>> {
  readonly tracker: RunTracker;
  readonly run: RunOptions;
  readonly status: Status;

  constructor(
    private readonly context: OrchestrationContext,
    input: RunFrameInput,
    /** The application's name on run metrics (`waypoint.app`). */
    app: string,
  ) {
    this.tracker = new RunTracker(context.df.instanceId, { ...input.limits }, Date.parse(input.createdAt));
    this.run = {
      runId: context.df.instanceId,
      tracker: this.tracker,
      retry: input.retry,
      writeTools: input.writeTools,
      trace: input.trace,
      ...(input.maxRepairs === undefined ? {} : { maxRepairs: input.maxRepairs }),
      publishProgress: (inFlight) => this.publish(undefined, inFlight),
    };
    this.status = {
      status: 'running',
      progress: { step: 0, steps: [] },
      budgets: { limits: this.tracker.limits, usage: this.tracker.usage },
      updatedAt: this.now().toISOString(),
      ...(input.trace ? { traceId: input.trace.traceparent.split('-')[1] } : {}),
    } as unknown as Status;
    traceDecisions(context, this.tracker, input.trace);
    if (!context.df.isReplaying) waypointMetrics().runStarted({ 'waypoint.app': app });
    this.publish('running');
  }

  /** Orchestration time (replay-safe). */
  now(): Date {
    return this.context.df.currentUtcDateTime;
  }

  /**
   * Publishes the status (as the orchestration's custom status), optionally under a new name,
   * with `inFlight` steps (under way, not yet the run's own) after the run's steps.
   */
  publish(name: RunStatusName = this.status.status, inFlight: readonly ProgressStep[] = []): void {
    const { tracker, status } = this;
    status.status = name;
    const pending = inFlight.map((step, index) => ({ ...step, id: `s${tracker.totalSteps + index + 1}` }));
    status.progress = { step: tracker.totalSteps, steps: [...tracker.steps, ...pending] };
    status.budgets = { limits: tracker.limits, usage: tracker.usage };
    status.decisions = tracker.decisions.slice(-DECISIONS_SHOWN);
    status.updatedAt = this.now().toISOString();
    this.context.df.setCustomStatus(status);
  }

  /** Ends the run: records the final status once (metrics, a decision) and returns it as the output. */
  finish(name: RunStatusName, extra: { result?: Result; error?: RunError } = {}): Status {
    if (extra.result !== undefined) this.status.result = extra.result;
    if (extra.error !== undefined) this.status.error = extra.error;
    delete (this.status as { needsInput?: unknown }).needsInput;
    this.tracker.decide('run.finished', this.now(), { status: name });
    recordRunFinished(this.context, this.tracker, name);
    this.publish(name);
    return this.status;
  }

  /**
   * Runs the application's phases; a budget breach anywhere in them ends the run
   * `budget_exceeded`, with which budget, its limit, the usage and what was found so far.
   */
  *guard(
    body: () => Generator<Task, Status, unknown>,
    partial: () => Result | undefined,
  ): Generator<Task, Status, unknown> {
    try {
      return yield* body();
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      const { breach, usage } = error;
      this.tracker.usage = usage;
      this.tracker.decide('budget.exceeded', this.now(), {
        budget: breach.budget,
        used: breach.used,
        limit: breach.limit,
      });
      const found = partial();
      return this.finish('budget_exceeded', {
        error: runFailure('budget_exceeded', error.message, {
          budget: breach.budget,
          limit: breach.limit,
          used: breach.used,
          usage,
        }),
        ...(found === undefined ? {} : { result: found }),
      });
    }
  }
}
