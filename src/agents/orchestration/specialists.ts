/**
 * Specialists in parallel: each a durable agent loop in its own sub-orchestration, fanned out with
 * `Task.all`. Parallel agents split what is left of the run's budgets equally, so together they
 * can never exceed them; their usage and steps come back into the run's tracker.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { remaining, type BudgetLimits, type BudgetName } from '../budgets';
import { AGENT_ORCHESTRATION } from '../contracts';
import { DEFAULT_MAX_REPAIRS, DEFAULT_MAX_TURNS, type AgentDefinition } from '../definitions';
import { BudgetExceededError } from '../run-tracker';
import type { AgentLoopInput, AgentLoopResult } from './agent-loop';
import { agentInstanceId } from './agent-instance-id';
import type { RunOptions } from './run-options';
import { agentVersion } from './run-telemetry';

export interface SpecialistJob {
  agent: AgentDefinition<unknown>;
  /** The task message (text, usually JSON the agent's instructions describe). */
  task: string;
  /** Distinguishes repeated runs of one agent in one run (revision rounds): part of the child's id. */
  round?: number;
  /** Distinguishes runs of one agent within one round (two plan steps for one agent): part of the id. */
  key?: string;
}

/**
 * Runs the jobs in parallel and returns their results in job order. Throws BudgetExceededError
 * (after absorbing every child's usage) if any child stopped on a budget, so the run ends
 * `budget_exceeded`; other child failures are results for the caller to judge.
 */
export function* runSpecialists(
  context: OrchestrationContext,
  run: RunOptions,
  jobs: readonly SpecialistJob[],
): Generator<Task, AgentLoopResult[], unknown> {
  if (jobs.length === 0) return [];
  const now = context.df.currentUtcDateTime;
  run.tracker.check(now, { steps: jobs.length });
  const left = remaining(run.tracker.limits, run.tracker.usage);
  const tasks = jobs.map((job, index) => {
    // Each child its own share: the remainder goes to the first ones, so the shares sum to `left`.
    const share = splitEvenly(left, jobs.length, run.tracker.limits.wallTimeMs, index);
    const input: AgentLoopInput = {
      runId: run.runId,
      agent: job.agent.name,
      ...(job.round ? { label: `${job.agent.name}, revision ${job.round}` } : {}),
      description: job.agent.description,
      version: agentVersion(job.agent),
      task: job.task,
      maxTurns: job.agent.maxTurns ?? DEFAULT_MAX_TURNS,
      maxRepairs: job.agent.maxRepairs ?? run.maxRepairs ?? DEFAULT_MAX_REPAIRS,
      limits: share,
      startedAtMs: run.tracker.startedAtMs,
      retry: run.retry,
      writeTools: [...run.writeTools],
      ...(run.trace ? { trace: run.trace } : {}),
    };
    return context.df.callSubOrchestrator(
      AGENT_ORCHESTRATION,
      input,
      agentInstanceId(run.runId, job.agent.name, job.round, job.key),
    );
  });
  // While they run, each shows as one running step; their own steps come in when they finish.
  run.publishProgress?.(
    jobs.map((job) => ({
      id: job.agent.name,
      kind: 'agent' as const,
      name: job.round ? `${job.agent.name}, revision ${job.round}` : job.agent.name,
      status: 'running' as const,
      startedAt: now.toISOString(),
    })),
  );
  const results = (yield context.df.Task.all(tasks)) as AgentLoopResult[];
  for (const child of results) {
    run.tracker.absorb(child.usage);
    run.tracker.adopt(child.steps);
  }
  run.tracker.charge({}, context.df.currentUtcDateTime);
  const breached = results.find((child) => child.status === 'budget_exceeded' && child.breach);
  if (breached?.breach) {
    throw runLevelBreach(run, breached);
  }
  return results;
}

/**
 * A child's breach, restated for the run: the run's limit, and the run's usage (every child's
 * absorbed) plus what the child was about to spend when it stopped.
 */
export function runLevelBreach(run: RunOptions, child: AgentLoopResult): BudgetExceededError {
  const budget = child.breach!.budget as BudgetName;
  const attempted = Math.max(0, child.breach!.used - child.usage[budget]);
  const used = run.tracker.usage[budget] + attempted;
  return new BudgetExceededError({ budget, limit: run.tracker.limits[budget], used }, run.tracker.usage);
}

/**
 * The `index`-th of `n` parallel agents' share of what is left: whole steps, tokens and calls
 * split evenly, the remainder to the first agents (2 calls over 4 agents: 1, 1, 0, 0). Wall time
 * is shared, not split: every child measures it from the run's start against the run's limit.
 */
export function splitEvenly(left: BudgetLimits, n: number, runWallTimeMs: number, index = 0): BudgetLimits {
  const share = (total: number) => Math.floor(total / n) + (index < total % n ? 1 : 0);
  return {
    steps: share(left.steps),
    tokens: share(left.tokens),
    toolCalls: share(left.toolCalls),
    money: Math.floor((left.money / n) * 1e6) / 1e6,
    wallTimeMs: runWallTimeMs,
  };
}
