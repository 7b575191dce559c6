/**
 * Plan-execute-solve: a planner agent emits a plan, checked before anything runs (a plan that
 * fails the check gets the planner's repair turns); an executor runs its steps wave by wave,
 * each wave's agents in parallel; a solver agent composes the answer from the step results.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { runFailure, type Failure } from '../../domain/error-codes';
import { checkPlan, planWaves, type Plan, type PlanStep } from '../plan';
import type { AgentDefinition } from '../definitions';
import type { AgentLoopResult } from './agent-loop';
import { runAgent } from './run-agent';
import type { RunOptions } from './run-options';
import { runSpecialists } from './specialists';

export interface StepResult {
  step: PlanStep;
  result: AgentLoopResult;
}

export type PlanOutcome =
  | { ok: true; plan: Plan; results: StepResult[] }
  | {
      ok: false;
      stage: 'plan' | 'execute';
      error: Failure;
      plan?: Plan;
      results: StepResult[];
    };

export interface PlanExecuteOptions {
  planner: AgentDefinition<Plan>;
  /** The agents a plan may use, by name. */
  agents: Readonly<Record<string, AgentDefinition<unknown>>>;
  plannerTask: string;
  /** The task a step's agent receives: its planned task plus what its dependencies found. */
  stepTask?: (step: PlanStep, dependencies: StepResult[]) => string;
  /** Stop at the first failed step (default) or run the rest and report every result. */
  stopOnFailure?: boolean;
  /** Plans the checks rejected, retried with the issues as feedback. Default 1. */
  maxReplans?: number;
}

/** Plan and execute; the caller solves (its solver sees every step result, failed ones too). */
export function* planAndExecute(
  context: OrchestrationContext,
  run: RunOptions,
  options: PlanExecuteOptions,
): Generator<Task, PlanOutcome, unknown> {
  const agentNames = Object.keys(options.agents);
  let plannerTask = options.plannerTask;
  let plan: Plan | undefined;
  for (let attempt = 0; attempt <= (options.maxReplans ?? 1); attempt++) {
    const planned = yield* runAgent(context, run, options.planner, plannerTask, attempt);
    if (!planned.ok) {
      return { ok: false, stage: 'plan', error: planned.result.error ?? unknownError(), results: [] };
    }
    const issues = checkPlan(planned.output, agentNames);
    run.tracker.decide('plan.checked', context.df.currentUtcDateTime, {
      steps: planned.output.steps.length,
      issues: issues.length,
    });
    if (issues.length === 0) {
      plan = planned.output;
      break;
    }
    plannerTask = `${options.plannerTask}\n\nYour previous plan was rejected: ${JSON.stringify(issues)}. Emit a corrected plan.`;
  }
  if (!plan) {
    return {
      ok: false,
      stage: 'plan',
      error: runFailure('invalid_plan', 'The planner gave no plan that passed its checks.'),
      results: [],
    };
  }

  const results: StepResult[] = [];
  for (const wave of planWaves(plan) ?? []) {
    const jobs = wave.map((step) => {
      const dependencies = results.filter((r) => step.dependsOn.includes(r.step.id));
      return {
        agent: options.agents[step.agent],
        task: options.stepTask ? options.stepTask(step, dependencies) : step.task,
        round: 0,
        // Step ids are unique in a checked plan: two steps for one agent are two children.
        key: step.id,
      };
    });
    const waveResults = yield* runSpecialists(context, run, jobs);
    wave.forEach((step, index) => results.push({ step, result: waveResults[index] }));
    const failed = waveResults.find((r) => r.status !== 'completed');
    if (failed && options.stopOnFailure !== false) {
      return {
        ok: false,
        stage: 'execute',
        error: failed.error ?? unknownError(),
        plan,
        results,
      };
    }
  }
  return { ok: true, plan, results };
}

function unknownError(): Failure {
  return runFailure('agent_failed', 'The agent failed without saying why.');
}
