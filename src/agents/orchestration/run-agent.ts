/**
 * One agent, inline in the calling orchestration (the router, a planner, a reviewer, a solver):
 * its turns and tool calls join the caller's history, its usage and steps the caller's tracker.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { remaining } from '../budgets';
import { DEFAULT_MAX_REPAIRS, DEFAULT_MAX_TURNS, type AgentDefinition } from '../definitions';
import { agentLoop, type AgentLoopResult } from './agent-loop';
import { agentInstanceId } from './agent-instance-id';
import type { RunOptions } from './run-options';
import { agentVersion } from './run-telemetry';
import { runLevelBreach } from './specialists';

export type AgentOutcome<Output> =
  | { ok: true; output: Output; result: AgentLoopResult }
  | { ok: false; result: AgentLoopResult };

/**
 * Runs `agent` on `task` to its validated answer. Throws BudgetExceededError when a budget ran
 * out (the caller ends the run `budget_exceeded`); any other failure is `{ ok: false }`.
 */
export function* runAgent<Output>(
  context: OrchestrationContext,
  run: RunOptions,
  agent: AgentDefinition<Output>,
  task: string,
  round = 0,
): Generator<Task, AgentOutcome<Output>, unknown> {
  const result = yield* agentLoop(
    context,
    {
      runId: run.runId,
      agent: agent.name,
      ...(round > 0 ? { label: `${agent.name}, round ${round + 1}` } : {}),
      description: agent.description,
      version: agentVersion(agent),
      task,
      maxTurns: agent.maxTurns ?? DEFAULT_MAX_TURNS,
      maxRepairs: agent.maxRepairs ?? run.maxRepairs ?? DEFAULT_MAX_REPAIRS,
      limits: {
        ...remaining(run.tracker.limits, run.tracker.usage),
        wallTimeMs: run.tracker.limits.wallTimeMs,
      },
      startedAtMs: run.tracker.startedAtMs,
      retry: run.retry,
      writeTools: [...run.writeTools],
      ...(run.trace ? { trace: run.trace } : {}),
    },
    agentInstanceId(run.runId, agent.name, round),
    run.publishProgress,
  );
  run.tracker.absorb(result.usage);
  run.tracker.adopt(result.steps);
  run.tracker.charge({}, context.df.currentUtcDateTime);
  if (result.status === 'budget_exceeded' && result.breach) {
    throw runLevelBreach(run, result);
  }
  if (result.status !== 'completed') return { ok: false, result };
  // The activity validated the answer against this schema; parsing again here types it.
  return { ok: true, output: agent.output.parse(result.output), result };
}
