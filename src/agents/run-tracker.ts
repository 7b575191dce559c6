/**
 * The deterministic book-keeping of one orchestration run: budget usage, progress steps and
 * decisions. It lives in orchestrator memory and is rebuilt identically on every replay, because
 * it only ever changes from activity results and `context.df.currentUtcDateTime`.
 */
import {
  addUsage,
  emptyUsage,
  findBreach,
  withWallTime,
  type BudgetBreach,
  type BudgetLimits,
  type BudgetUsage,
  type UsageDelta,
} from './budgets';
import { WaypointError } from '../domain/errors';
import { MAX_STEPS_SHOWN, type ProgressStep, type StepKind } from './progress';

/** Thrown inside orchestrator code when a budget would be exceeded; the run ends `budget_exceeded`. */
export class BudgetExceededError extends WaypointError {
  constructor(
    readonly breach: BudgetBreach,
    readonly usage: BudgetUsage,
  ) {
    super('budget_exceeded', `The ${breach.budget} budget is used up (${breach.used} of ${breach.limit}).`, {
      details: { budget: breach.budget, limit: breach.limit, used: breach.used },
    });
  }
}

export interface Decision {
  at: string;
  name: string;
  attributes: Record<string, string | number | boolean>;
}

export class RunTracker {
  usage: BudgetUsage;
  readonly steps: ProgressStep[] = [];
  readonly decisions: Decision[] = [];
  private stepCount = 0;
  /** Called for every decision (the orchestrator traces them, once, when not replaying). */
  onDecision: ((decision: Decision) => void) | undefined;

  constructor(
    readonly runId: string,
    readonly limits: BudgetLimits,
    readonly startedAtMs: number,
    usage: BudgetUsage = emptyUsage(),
  ) {
    this.usage = usage;
  }

  /** Stamps wall time as of `now` and throws BudgetExceededError if `next` would not fit. */
  check(now: Date, next: UsageDelta = {}): void {
    this.usage = withWallTime(this.usage, this.startedAtMs, now.getTime());
    const breach = findBreach(this.limits, this.usage, next);
    if (breach) throw new BudgetExceededError(breach, this.usage);
  }

  charge(delta: UsageDelta, now?: Date): void {
    this.usage = addUsage(this.usage, delta);
    if (now) this.usage = withWallTime(this.usage, this.startedAtMs, now.getTime());
  }

  /** Adds a child's whole usage (steps, tokens, tool calls, money) to this run's. */
  absorb(child: BudgetUsage): void {
    this.charge({
      steps: child.steps,
      tokens: child.tokens,
      toolCalls: child.toolCalls,
      modelCost: child.modelCost,
      externalCost: child.externalCost,
    });
  }

  begin(kind: StepKind, name: string, now: Date, detail?: string): ProgressStep {
    const step: ProgressStep = {
      id: `s${++this.stepCount}`,
      kind,
      name,
      status: 'running',
      startedAt: now.toISOString(),
      ...(detail === undefined ? {} : { detail }),
    };
    this.steps.push(step);
    if (this.steps.length > MAX_STEPS_SHOWN) this.steps.shift();
    return step;
  }

  end(step: ProgressStep, status: ProgressStep['status'], now: Date, detail?: string): void {
    step.status = status;
    step.endedAt = now.toISOString();
    if (detail !== undefined) step.detail = detail;
  }

  /** Appends steps a child orchestration reported, renumbered into this run's sequence. */
  adopt(steps: readonly ProgressStep[]): void {
    for (const step of steps) {
      this.steps.push({ ...step, id: `s${++this.stepCount}` });
      if (this.steps.length > MAX_STEPS_SHOWN) this.steps.shift();
    }
  }

  decide(name: string, now: Date, attributes: Decision['attributes'] = {}): Decision {
    const decision = { at: now.toISOString(), name, attributes };
    this.decisions.push(decision);
    this.onDecision?.(decision);
    return decision;
  }

  /** Steps taken so far (including those no longer shown). */
  get totalSteps(): number {
    return this.stepCount;
  }
}
