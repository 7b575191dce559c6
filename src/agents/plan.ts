/**
 * Plans for plan-execute-solve: a planner agent emits steps, each naming the agent that runs it,
 * its task, and the steps it depends on. Checked here before anything runs (pure): known agents,
 * unique ids, existing dependencies, no cycles, a bounded size. Then ordered into waves of steps
 * that can run in parallel.
 */
import { z } from 'zod';
import type { Issue } from './contracts';

export const planStepSchema = z.object({
  id: z
    .string()
    .min(1)
    .max(40)
    .regex(/^[A-Za-z0-9_:-]+$/, 'letters, digits, _, : and - only'),
  agent: z.string().min(1).max(60),
  /** What the step's agent is asked to do (its task message). */
  task: z.string().min(1).max(4000),
  dependsOn: z.array(z.string()).max(20).default([]),
});
export type PlanStep = z.infer<typeof planStepSchema>;

export const planSchema = z.object({
  goal: z.string().min(1).max(500),
  steps: z.array(planStepSchema).min(1).max(20),
});
export type Plan = z.infer<typeof planSchema>;

/** The problems with a plan, as issues a repair turn can show the planner; empty when it is sound. */
export function checkPlan(plan: Plan, agents: readonly string[]): Issue[] {
  const issues: Issue[] = [];
  const ids = new Set<string>();
  plan.steps.forEach((step, index) => {
    if (ids.has(step.id)) issues.push({ path: `steps.${index}.id`, issue: `duplicate step id "${step.id}"` });
    ids.add(step.id);
    if (!agents.includes(step.agent)) {
      issues.push({
        path: `steps.${index}.agent`,
        issue: `unknown agent "${step.agent}"; use one of ${agents.join(', ')}`,
      });
    }
  });
  plan.steps.forEach((step, index) => {
    step.dependsOn.forEach((dependency, d) => {
      if (!ids.has(dependency)) {
        issues.push({ path: `steps.${index}.dependsOn.${d}`, issue: `no step "${dependency}"` });
      } else if (dependency === step.id) {
        issues.push({ path: `steps.${index}.dependsOn.${d}`, issue: 'a step cannot depend on itself' });
      }
    });
  });
  if (issues.length === 0 && planWaves(plan) === undefined) {
    issues.push({ path: 'steps', issue: 'the dependencies form a cycle' });
  }
  return issues;
}

/**
 * The steps in waves: every step of a wave depends only on earlier waves, so a wave runs in
 * parallel. Undefined when the dependencies form a cycle. Order within a wave follows the plan.
 */
export function planWaves(plan: Plan): PlanStep[][] | undefined {
  const done = new Set<string>();
  const left = [...plan.steps];
  const waves: PlanStep[][] = [];
  while (left.length > 0) {
    const wave = left.filter((step) => step.dependsOn.every((d) => done.has(d)));
    if (wave.length === 0) return undefined;
    wave.forEach((step) => done.add(step.id));
    waves.push(wave);
    for (const step of wave) left.splice(left.indexOf(step), 1);
  }
  return waves;
}
