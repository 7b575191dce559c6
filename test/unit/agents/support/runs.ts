/**
 * What the pattern tests run their orchestrators with: the run's options (a tracker over `limits`,
 * the default retry policies, no write tools) and worker agents that answer a string.
 */
import type { OrchestrationContext } from 'durable-functions';
import { z } from 'zod';
import type { BudgetLimits } from '../../../../src/agents/budgets';
import { defineAgent } from '../../../../src/agents/definitions';
import type { RunOptions } from '../../../../src/agents/orchestration/run-options';
import { DEFAULT_RETRY_POLICIES } from '../../../../src/agents/retry';
import { RunTracker } from '../../../../src/agents/run-tracker';

const START = Date.parse('2027-01-01T00:00:00Z');

export function runOptions(context: OrchestrationContext, limits: BudgetLimits): RunOptions {
  return {
    runId: context.df.instanceId,
    tracker: new RunTracker(context.df.instanceId, limits, START),
    retry: DEFAULT_RETRY_POLICIES,
    writeTools: [],
  };
}

/** Agents `a`, `b`, `c` and `d`, no tools, a string for an answer. */
export const workers = Object.fromEntries(
  ['a', 'b', 'c', 'd'].map((name) => [
    name,
    defineAgent({ name, description: name, instructions: name, tools: [], output: z.string() }),
  ]),
);
