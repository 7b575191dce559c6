/**
 * Budgets: the five limits that stop a runaway run. Pure and deterministic, so the
 * orchestrator checks them before every step and a replay reaches the same verdict.
 *
 * Money is in one currency (USD): the model's token cost from the price table plus whatever
 * external cost the application adds (for the trip planner, the quoted trip) is held against one
 * limit, so a traveller's budget covers both the trip and the AI spend.
 */
import { z } from 'zod';

export const BUDGET_NAMES = ['steps', 'tokens', 'wallTimeMs', 'toolCalls', 'money'] as const;
export type BudgetName = (typeof BUDGET_NAMES)[number];

export const budgetLimitsSchema = z.object({
  /** Model turns and tool calls together: every unit of agent work is a step. */
  steps: z.number().int().positive(),
  /** Input plus output tokens over every model turn. */
  tokens: z.number().int().positive(),
  /** From the run's start to now, in orchestration time (waiting for the traveller included). */
  wallTimeMs: z.number().int().positive(),
  toolCalls: z.number().int().positive(),
  /** USD: model cost plus external cost. */
  money: z.number().positive(),
});
export type BudgetLimits = z.infer<typeof budgetLimitsSchema>;

export const budgetUsageSchema = z.object({
  steps: z.number().int().nonnegative(),
  tokens: z.number().int().nonnegative(),
  wallTimeMs: z.number().int().nonnegative(),
  toolCalls: z.number().int().nonnegative(),
  money: z.number().nonnegative(),
  /** The parts of `money`, so a breach can say where the money went. */
  modelCost: z.number().nonnegative(),
  externalCost: z.number().nonnegative(),
});
export type BudgetUsage = z.infer<typeof budgetUsageSchema>;

/** Per-request overrides: each may only lower what the server allows. */
export const budgetOverridesSchema = budgetLimitsSchema.partial();
export type BudgetOverrides = z.infer<typeof budgetOverridesSchema>;

export function emptyUsage(): BudgetUsage {
  return { steps: 0, tokens: 0, wallTimeMs: 0, toolCalls: 0, money: 0, modelCost: 0, externalCost: 0 };
}

/**
 * The limits a run gets: the defaults, replaced by any override, each capped by the server's
 * maximum, so a request can ask for less (or, up to the cap, more) but never beyond it.
 */
export function resolveLimits(
  defaults: BudgetLimits,
  maxima: BudgetLimits,
  overrides: BudgetOverrides = {},
): BudgetLimits {
  const limits = { ...defaults };
  for (const name of BUDGET_NAMES) {
    const wanted = overrides[name] ?? defaults[name];
    limits[name] = Math.min(wanted, maxima[name]);
  }
  return limits;
}

/** What a step adds to the usage. */
export interface UsageDelta {
  steps?: number;
  tokens?: number;
  toolCalls?: number;
  modelCost?: number;
  externalCost?: number;
}

/** A new usage with `delta` added (money is the sum of its two parts, rounded to micro-dollars). */
export function addUsage(usage: BudgetUsage, delta: UsageDelta): BudgetUsage {
  const modelCost = roundMicros(usage.modelCost + (delta.modelCost ?? 0));
  const externalCost = roundMicros(usage.externalCost + (delta.externalCost ?? 0));
  return {
    steps: usage.steps + (delta.steps ?? 0),
    tokens: usage.tokens + (delta.tokens ?? 0),
    wallTimeMs: usage.wallTimeMs,
    toolCalls: usage.toolCalls + (delta.toolCalls ?? 0),
    modelCost,
    externalCost,
    money: roundMicros(modelCost + externalCost),
  };
}

/** Sums usages (parallel specialists' usages into the run's). */
export function sumUsage(base: BudgetUsage, ...others: BudgetUsage[]): BudgetUsage {
  return others.reduce(
    (total, u) =>
      addUsage(total, {
        steps: u.steps,
        tokens: u.tokens,
        toolCalls: u.toolCalls,
        modelCost: u.modelCost,
        externalCost: u.externalCost,
      }),
    base,
  );
}

/** The usage as of `nowMs`, for a run that started at `startedAtMs`. */
export function withWallTime(usage: BudgetUsage, startedAtMs: number, nowMs: number): BudgetUsage {
  return { ...usage, wallTimeMs: Math.max(0, nowMs - startedAtMs) };
}

export interface BudgetBreach {
  budget: BudgetName;
  limit: number;
  used: number;
}

/**
 * The first budget that `usage` has used up, or undefined. A budget is breached when it is
 * *exceeded*; `next` is what the coming step will at least cost, so a run stops *before* a step
 * that cannot fit (one more step when steps are all used, one more tool call …).
 */
export function findBreach(
  limits: BudgetLimits,
  usage: BudgetUsage,
  next: UsageDelta = {},
): BudgetBreach | undefined {
  const projected = addUsage(usage, next);
  for (const budget of BUDGET_NAMES) {
    const used = budget === 'wallTimeMs' ? usage.wallTimeMs : projected[budget];
    if (used > limits[budget]) return { budget, limit: limits[budget], used };
  }
  return undefined;
}

/**
 * What is left of each budget, for handing a share to a sub-orchestration. Never negative; the
 * child gets absolute limits measured from its own start (wall time: what is left of the run's).
 */
export function remaining(limits: BudgetLimits, usage: BudgetUsage): BudgetLimits {
  return {
    steps: Math.max(0, limits.steps - usage.steps),
    tokens: Math.max(0, limits.tokens - usage.tokens),
    wallTimeMs: Math.max(0, limits.wallTimeMs - usage.wallTimeMs),
    toolCalls: Math.max(0, limits.toolCalls - usage.toolCalls),
    money: Math.max(0, roundMicros(limits.money - usage.money)),
  };
}

function roundMicros(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
