/**
 * Parallel specialists share what is left of the run's budgets: runSpecialists, driven by the
 * durable-functions SDK over a synthetic history (no host), hands each child agent loop a share,
 * and the shares together never exceed what the run has left (the parent only absorbs the
 * children's usage once they end, so an over-generous share lets them overspend).
 */
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import type { AgentLoopInput } from '../../../src/agents/orchestration/agent-loop';
import { runSpecialists } from '../../../src/agents/orchestration/specialists';
import { runOptions, workers } from './support/runs';
import { ACTION, SdkReplay } from './support/sdk-replay';

describe('budget shares of parallel specialists', () => {
  // Regression: every child once got the first child's share — the even share plus one of the
  // remainder — so 6 steps and 2 tool calls over 4 agents became 8 steps and 4 tool calls.
  it('hands parallel children shares that sum to no more than what is left', async () => {
    const limits = { steps: 6, tokens: 1_001, wallTimeMs: 600_000, toolCalls: 2, money: 1 };
    function* orchestrator(context: OrchestrationContext) {
      const run = runOptions(context, limits);
      return yield* runSpecialists(
        context,
        run,
        Object.values(workers).map((agent) => ({ agent, task: 'go' })),
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
