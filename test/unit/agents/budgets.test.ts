import { describe, expect, it } from 'vitest';
import {
  addUsage,
  BUDGET_NAMES,
  emptyUsage,
  findBreach,
  remaining,
  resolveLimits,
  sumUsage,
  withWallTime,
  type BudgetLimits,
} from '../../../src/agents/budgets';
import { splitEvenly } from '../../../src/agents/orchestration/specialists';
import { BudgetExceededError, RunTracker } from '../../../src/agents/run-tracker';

const defaults: BudgetLimits = { steps: 40, tokens: 60_000, wallTimeMs: 600_000, toolCalls: 20, money: 5 };
const maxima: BudgetLimits = { steps: 100, tokens: 200_000, wallTimeMs: 3_600_000, toolCalls: 50, money: 20 };

describe('resolveLimits', () => {
  it('gives the defaults when nothing is overridden', () => {
    expect(resolveLimits(defaults, maxima)).toEqual(defaults);
  });

  it('lets a request lower a limit, or raise it up to the maximum but never beyond', () => {
    const limits = resolveLimits(defaults, maxima, {
      steps: 10,
      tokens: 150_000,
      toolCalls: 999,
      money: 1e6,
    });
    expect(limits).toEqual({ steps: 10, tokens: 150_000, wallTimeMs: 600_000, toolCalls: 50, money: 20 });
  });

  it('caps defaults that exceed the maxima too', () => {
    expect(resolveLimits({ ...defaults, steps: 500 }, maxima).steps).toBe(100);
  });

  it('does not change its arguments', () => {
    const before = structuredClone(defaults);
    resolveLimits(defaults, maxima, { steps: 1 });
    expect(defaults).toEqual(before);
  });
});

describe('addUsage and sumUsage', () => {
  it('adds each counter and keeps money the sum of model and external cost', () => {
    const usage = addUsage(emptyUsage(), { steps: 2, tokens: 1500, toolCalls: 1, modelCost: 0.0123 });
    const more = addUsage(usage, { steps: 1, externalCost: 1234.5, modelCost: 0.0001 });
    expect(more).toEqual({
      steps: 3,
      tokens: 1500,
      wallTimeMs: 0,
      toolCalls: 1,
      modelCost: 0.0124,
      externalCost: 1234.5,
      money: 1234.5124,
    });
  });

  it('rounds money to micro-dollars, so many tiny turns do not drift', () => {
    let usage = emptyUsage();
    for (let i = 0; i < 1000; i++) usage = addUsage(usage, { modelCost: 0.000_1 });
    expect(usage.modelCost).toBe(0.1);
    expect(usage.money).toBe(0.1);
  });

  it('keeps wall time as it was (it is stamped, not added)', () => {
    const usage = withWallTime(emptyUsage(), 1_000, 4_500);
    expect(addUsage(usage, { steps: 1 }).wallTimeMs).toBe(3_500);
    expect(withWallTime(emptyUsage(), 5_000, 1_000).wallTimeMs).toBe(0);
  });

  it('sums parallel children into the run, without adding their wall time', () => {
    const a = {
      ...addUsage(emptyUsage(), { steps: 3, tokens: 100, toolCalls: 1, modelCost: 0.5 }),
      wallTimeMs: 9,
    };
    const b = addUsage(emptyUsage(), { steps: 2, tokens: 50, externalCost: 10 });
    const total = sumUsage(withWallTime(emptyUsage(), 0, 42), a, b);
    expect(total).toMatchObject({ steps: 5, tokens: 150, toolCalls: 1, money: 10.5, wallTimeMs: 42 });
  });
});

describe('findBreach', () => {
  const limits: BudgetLimits = { steps: 10, tokens: 1000, wallTimeMs: 60_000, toolCalls: 4, money: 2 };
  const at = (delta: Parameters<typeof addUsage>[1], wallTimeMs = 0) => ({
    ...addUsage(emptyUsage(), delta),
    wallTimeMs,
  });

  it('finds nothing while every budget is within its limit, at the limit included', () => {
    expect(findBreach(limits, emptyUsage())).toBeUndefined();
    expect(
      findBreach(limits, at({ steps: 10, tokens: 1000, toolCalls: 4, modelCost: 2 }, 60_000)),
    ).toBeUndefined();
  });

  it.each([
    ['steps', at({ steps: 11 }), 11],
    ['tokens', at({ tokens: 1001 }), 1001],
    ['wallTimeMs', at({}, 60_001), 60_001],
    ['toolCalls', at({ toolCalls: 5 }), 5],
    ['money', at({ modelCost: 1.5, externalCost: 0.51 }), 2.01],
  ] as const)('reports the %s budget when it is exceeded', (budget, usage, used) => {
    expect(findBreach(limits, usage)).toEqual({ budget, limit: limits[budget], used });
  });

  it('stops before a step that would not fit', () => {
    const full = at({ steps: 10, toolCalls: 3 });
    expect(findBreach(limits, full)).toBeUndefined();
    expect(findBreach(limits, full, { steps: 1 })).toEqual({ budget: 'steps', limit: 10, used: 11 });
    const threeCalls = at({ steps: 5, toolCalls: 3 });
    expect(findBreach(limits, threeCalls, { steps: 1, toolCalls: 1 })).toBeUndefined();
    expect(findBreach(limits, threeCalls, { steps: 2, toolCalls: 2 })).toEqual({
      budget: 'toolCalls',
      limit: 4,
      used: 5,
    });
    expect(findBreach(limits, at({ modelCost: 1.9 }), { externalCost: 0.2 })?.budget).toBe('money');
  });

  it('reports the first budget in a fixed order when several are exceeded', () => {
    const usage = at({ steps: 99, tokens: 9999, toolCalls: 99, modelCost: 99 }, 999_999);
    expect(findBreach(limits, usage)?.budget).toBe(BUDGET_NAMES[0]);
    expect(findBreach(limits, { ...usage, steps: 0 })?.budget).toBe('tokens');
  });
});

describe('remaining', () => {
  it('is what is left of each budget, never negative', () => {
    const limits: BudgetLimits = { steps: 10, tokens: 1000, wallTimeMs: 60_000, toolCalls: 4, money: 2 };
    const usage = {
      ...addUsage(emptyUsage(), { steps: 3, tokens: 1200, toolCalls: 4, modelCost: 0.3 }),
      wallTimeMs: 10_000,
    };
    expect(remaining(limits, usage)).toEqual({
      steps: 7,
      tokens: 0,
      wallTimeMs: 50_000,
      toolCalls: 0,
      money: 1.7,
    });
  });
});

describe('splitEvenly', () => {
  const left: BudgetLimits = { steps: 10, tokens: 1001, wallTimeMs: 5_000, toolCalls: 7, money: 1 };
  const shares = (n: number, of = left) =>
    Array.from({ length: n }, (_, i) => splitEvenly(of, n, 600_000, i));

  it('splits whole steps, tokens and calls, the remainder to the first agents, and shares wall time', () => {
    expect(shares(3)).toEqual([
      { steps: 4, tokens: 334, toolCalls: 3, money: 0.333333, wallTimeMs: 600_000 },
      { steps: 3, tokens: 334, toolCalls: 2, money: 0.333333, wallTimeMs: 600_000 },
      { steps: 3, tokens: 333, toolCalls: 2, money: 0.333333, wallTimeMs: 600_000 },
    ]);
  });

  it('hands out exactly what is left, never more (money rounded down)', () => {
    for (const n of [1, 2, 3, 4, 7, 11]) {
      const all = shares(n);
      for (const name of ['steps', 'tokens', 'toolCalls'] as const)
        expect(all.reduce((sum, share) => sum + share[name], 0)).toBe(left[name]);
      expect(all.reduce((sum, share) => sum + share.money, 0)).toBeLessThanOrEqual(left.money);
    }
  });

  it('gives later agents zero when fewer units are left than agents (they stop at their first check)', () => {
    const few = shares(4, { steps: 2, tokens: 2, wallTimeMs: 1, toolCalls: 0, money: 0 });
    expect(few.map((s) => s.steps)).toEqual([1, 1, 0, 0]);
    expect(few.map((s) => s.toolCalls)).toEqual([0, 0, 0, 0]);
    expect(few.every((s) => s.money === 0)).toBe(true);
  });
});

describe('RunTracker', () => {
  it('stamps wall time on check and throws BudgetExceededError with the breach and the usage', () => {
    const tracker = new RunTracker(
      'run-1',
      { ...defaults, wallTimeMs: 1_000 },
      Date.parse('2027-01-01T00:00:00Z'),
    );
    tracker.charge({ steps: 1 });
    expect(() => tracker.check(new Date('2027-01-01T00:00:00.900Z'))).not.toThrow();
    expect(tracker.usage.wallTimeMs).toBe(900);
    let thrown: unknown;
    try {
      tracker.check(new Date('2027-01-01T00:00:01.500Z'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BudgetExceededError);
    expect((thrown as BudgetExceededError).breach).toEqual({
      budget: 'wallTimeMs',
      limit: 1_000,
      used: 1_500,
    });
    expect((thrown as BudgetExceededError).usage.steps).toBe(1);
  });

  it('numbers adopted child steps into its own sequence', () => {
    const tracker = new RunTracker('run-1', defaults, 0);
    const now = new Date(0);
    tracker.end(tracker.begin('route', 'router', now), 'completed', now, 'full_trip');
    tracker.adopt([
      { id: 's1', kind: 'agent', name: 'child', status: 'completed', startedAt: now.toISOString() },
    ]);
    expect(tracker.steps.map((s) => s.id)).toEqual(['s1', 's2']);
    expect(tracker.steps[0].detail).toBe('full_trip');
    expect(tracker.totalSteps).toBe(2);
  });
});
