import { describe, expect, it } from 'vitest';
import { checkPlan, planSchema, planWaves, type Plan } from '../../../src/agents/plan';

const agents = ['flights', 'hotels', 'weather'];
const plan = (steps: { id: string; agent?: string; dependsOn?: string[] }[]): Plan =>
  planSchema.parse({
    goal: 'test',
    steps: steps.map((s) => ({ agent: 'flights', task: `do ${s.id}`, ...s })),
  });

describe('checkPlan', () => {
  it('accepts a sound plan', () => {
    expect(checkPlan(plan([{ id: 'a' }, { id: 'b', agent: 'hotels', dependsOn: ['a'] }]), agents)).toEqual(
      [],
    );
  });

  it('names an unknown agent and lists the known ones', () => {
    expect(checkPlan(plan([{ id: 'a', agent: 'cars' }]), agents)).toEqual([
      { path: 'steps.0.agent', issue: 'unknown agent "cars"; use one of flights, hotels, weather' },
    ]);
  });

  it('finds a duplicate step id', () => {
    expect(checkPlan(plan([{ id: 'a' }, { id: 'a', agent: 'hotels' }]), agents)).toEqual([
      { path: 'steps.1.id', issue: 'duplicate step id "a"' },
    ]);
  });

  it('finds a dependency on a step that does not exist', () => {
    expect(checkPlan(plan([{ id: 'a', dependsOn: ['zzz'] }]), agents)).toEqual([
      { path: 'steps.0.dependsOn.0', issue: 'no step "zzz"' },
    ]);
  });

  it('finds a step that depends on itself', () => {
    expect(checkPlan(plan([{ id: 'a' }, { id: 'b', dependsOn: ['a', 'b'] }]), agents)).toEqual([
      { path: 'steps.1.dependsOn.1', issue: 'a step cannot depend on itself' },
    ]);
  });

  it('finds a cycle through several steps', () => {
    const cyclic = plan([
      { id: 'a', dependsOn: ['c'] },
      { id: 'b', dependsOn: ['a'] },
      { id: 'c', dependsOn: ['b'] },
    ]);
    expect(checkPlan(cyclic, agents)).toEqual([{ path: 'steps', issue: 'the dependencies form a cycle' }]);
    expect(planWaves(cyclic)).toBeUndefined();
  });

  it('reports several problems at once', () => {
    const issues = checkPlan(
      plan([
        { id: 'a', agent: 'x' },
        { id: 'a', dependsOn: ['q'] },
      ]),
      agents,
    );
    expect(issues.map((i) => i.path)).toEqual(['steps.0.agent', 'steps.1.id', 'steps.1.dependsOn.0']);
  });

  it('refuses malformed plans at the schema (bad ids, no steps, too many steps)', () => {
    expect(planSchema.safeParse({ goal: 'g', steps: [] }).success).toBe(false);
    expect(planSchema.safeParse({ goal: 'g', steps: [{ id: 'a b', agent: 'x', task: 't' }] }).success).toBe(
      false,
    );
    const many = Array.from({ length: 21 }, (_, i) => ({ id: `s${i}`, agent: 'x', task: 't' }));
    expect(planSchema.safeParse({ goal: 'g', steps: many }).success).toBe(false);
  });
});

describe('planWaves', () => {
  it('puts independent steps in one wave, in plan order', () => {
    const waves = planWaves(plan([{ id: 'w' }, { id: 'f' }, { id: 'h' }]));
    expect(waves?.map((wave) => wave.map((s) => s.id))).toEqual([['w', 'f', 'h']]);
  });

  it('orders a diamond: a, then b and c in parallel, then d', () => {
    const waves = planWaves(
      plan([
        { id: 'd', dependsOn: ['b', 'c'] },
        { id: 'b', dependsOn: ['a'] },
        { id: 'a' },
        { id: 'c', dependsOn: ['a'] },
      ]),
    );
    expect(waves?.map((wave) => wave.map((s) => s.id))).toEqual([['a'], ['b', 'c'], ['d']]);
  });
});
