/**
 * Plan-and-execute starts every plan step as a child agent loop of its own, even when the plan
 * names one agent twice: driven by the durable-functions SDK over a synthetic history (no host),
 * the planner's turn is answered with such a plan and the test reads the children it starts.
 * Two steps under one instance id would share a history, a transcript and tool-call keys.
 */
import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../../src/agents/definitions';
import type { AgentLoopInput } from '../../../src/agents/orchestration/agent-loop';
import { planAndExecute } from '../../../src/agents/orchestration/plan-execute-solve';
import { planSchema, type Plan } from '../../../src/agents/plan';
import { runOptions, workers } from './support/runs';
import { SdkReplay } from './support/sdk-replay';
import { finalTurn } from './support/turns';

const planner = defineAgent({
  name: 'planner',
  description: 'p',
  instructions: 'p',
  tools: [],
  output: planSchema,
});

describe('plan-execute with a plan that names one agent twice', () => {
  // Regression: every step was started as `agentInstanceId(runId, agent, 0)`, so two steps of one
  // agent became two sub-orchestrations with one instance id (the second got the first's
  // history, transcript and stored tool results, or the run failed untyped).
  it('gives every plan step its own child instance id', async () => {
    function* orchestrator(context: OrchestrationContext) {
      const run = runOptions(context, {
        steps: 50,
        tokens: 100_000,
        wallTimeMs: 600_000,
        toolCalls: 10,
        money: 5,
      });
      return yield* planAndExecute(context, run, { planner, agents: workers, plannerTask: 'plan' });
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
    replay.completeActivity('agentTurn', finalTurn(plan));
    const children = replay.newActions(await replay.run());
    expect(children.map((c) => (c.input as AgentLoopInput).task)).toEqual(['look east', 'look west']);
    const ids = children.map((c) => c.instanceId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
