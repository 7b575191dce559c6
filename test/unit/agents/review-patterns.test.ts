/**
 * Review of the agent patterns, driven by the durable-functions SDK over synthetic
 * histories (no host). The tests are
 * regression tests: each states the behaviour a flaw the review found had broken, and failed
 * before its fix.
 */
import type { OrchestrationContext } from 'durable-functions';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import type { AgentTurnOutput } from '../../../src/agents/contracts';
import { defineAgent } from '../../../src/agents/definitions';
import type { AgentLoopInput } from '../../../src/agents/orchestration/agent-loop';
import { planAndExecute } from '../../../src/agents/orchestration/plan-execute-solve';
import type { RunOptions } from '../../../src/agents/orchestration/run-options';
import { runSpecialists } from '../../../src/agents/orchestration/specialists';
import { planSchema, type Plan } from '../../../src/agents/plan';
import { DEFAULT_RETRY_POLICIES } from '../../../src/agents/retry';
import { RunTracker } from '../../../src/agents/run-tracker';
import type { BudgetLimits } from '../../../src/agents/budgets';
import { ACTION, SdkReplay } from './support/sdk-replay';

const START = Date.parse('2027-01-01T00:00:00Z');
const worker = (name: string) =>
  defineAgent({ name, description: name, instructions: name, tools: [], output: z.string() });
const agents = { a: worker('a'), b: worker('b'), c: worker('c'), d: worker('d') };
const planner = defineAgent({
  name: 'planner',
  description: 'p',
  instructions: 'p',
  tools: [],
  output: planSchema,
});

function runOptions(context: OrchestrationContext, limits: BudgetLimits): RunOptions {
  return {
    runId: context.df.instanceId,
    tracker: new RunTracker(context.df.instanceId, limits, START),
    retry: DEFAULT_RETRY_POLICIES,
    writeTools: [],
  };
}

const finalTurn = (output: unknown): AgentTurnOutput => ({
  kind: 'final',
  output,
  valid: true,
  usage: { inputTokens: 10, outputTokens: 5 },
  costUsd: 0,
  provider: 'p',
  model: 'm',
  replayed: false,
});

describe('review: budget shares of parallel specialists', () => {
  // Regression (was a bug, now fixed; budgets, high): runSpecialists calls `splitEvenly(left, n, wall)` without the job's
  // index, so every child gets the index-0 share — the even share PLUS one of the remainder.
  // With 6 steps and 2 tool calls left over 4 agents each child may take 2 steps and 1 tool call:
  // 8 steps and 4 tool calls together, more than the run has. The children can then spend past
  // the run's limits before the parent checks again (it only absorbs their usage afterwards).
  // Fix: `jobs.map((job, index) => … limits: splitEvenly(left, jobs.length, wall, index) …)`.
  it('hands parallel children shares that sum to no more than what is left', async () => {
    const limits = { steps: 6, tokens: 1_001, wallTimeMs: 600_000, toolCalls: 2, money: 1 };
    function* orchestrator(context: OrchestrationContext) {
      const run = runOptions(context, limits);
      return yield* runSpecialists(
        context,
        run,
        Object.values(agents).map((agent) => ({ agent, task: 'go' })),
      );
    }
    const replay = new SdkReplay(orchestrator, 'run-share', null);
    const children = replay.newActions(await replay.run());
    expect(children.map((c) => c.actionType)).toEqual(Array(4).fill(ACTION.callSubOrchestrator));
    const shares = children.map((c) => (c.input as AgentLoopInput).limits);
    const sum = (key: 'steps' | 'tokens' | 'toolCalls') => shares.reduce((s, l) => s + l[key], 0);
    expect(sum('steps')).toBeLessThanOrEqual(limits.steps);
    expect(sum('toolCalls')).toBeLessThanOrEqual(limits.toolCalls);
    expect(sum('tokens')).toBeLessThanOrEqual(limits.tokens);
  });
});

describe('review: plan-execute with a plan that names one agent twice', () => {
  // Regression (was a bug, now fixed; validation/idempotency, high): checkPlan accepts two steps for the same agent, and the
  // executor starts every step as `agentInstanceId(runId, agent, 0)`. Two steps of one agent in a
  // wave become two sub-orchestrations with ONE instance id (in a later wave: a start of an id
  // that already ran). Durable refuses or merges them: the run fails with an untyped error, or
  // the second step silently gets the first one's history, transcript (same conversation id)
  // and tool-call keys (same `t0/c0` keys → the first step's stored tool results).
  // Fix: give each plan step its own child id (e.g. `${runId}:${agent}:${round}:${step.id}` —
  // step ids are unique and checked), or have checkPlan reject a second step for one agent.
  it('gives every plan step its own child instance id', async () => {
    function* orchestrator(context: OrchestrationContext) {
      const run = runOptions(context, {
        steps: 50,
        tokens: 100_000,
        wallTimeMs: 600_000,
        toolCalls: 10,
        money: 5,
      });
      return yield* planAndExecute(context, run, { planner, agents, plannerTask: 'plan' });
    }
    const replay = new SdkReplay(orchestrator, 'run-plan', null);
    const state = await replay.run();
    expect(replay.newActions(state).map((a) => a.functionName)).toEqual(['agentTurn']);
    const plan: Plan = {
      goal: 'two looks at one thing',
      steps: [
        { id: 'first', agent: 'a', task: 'look east', dependsOn: [] },
        { id: 'second', agent: 'a', task: 'look west', dependsOn: [] },
      ],
    };
    replay.complete(state, { 0: finalTurn(plan) });
    const children = replay.newActions(await replay.run());
    expect(children.map((c) => (c.input as AgentLoopInput).task)).toEqual(['look east', 'look west']);
    const ids = children.map((c) => c.instanceId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
