/**
 * The supervise pattern under the durable-functions SDK (synthetic histories, no host): a review
 * that asks for revisions starts them as child agent loops, one per revision.
 */
import type { OrchestrationContext } from 'durable-functions';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { defineAgent } from '../../../src/agents/definitions';
import { reviewSchema, supervise, type Review } from '../../../src/agents/orchestration/supervise';
import { DEFAULT_RETRY_POLICIES } from '../../../src/agents/retry';
import { RunTracker } from '../../../src/agents/run-tracker';
import { ACTION, SdkReplay } from './support/sdk-replay';
import { finalTurn } from './support/turns';

const reviewer = defineAgent({
  name: 'reviewer',
  description: 'r',
  instructions: 'r',
  tools: [],
  output: reviewSchema,
});
const writer = defineAgent({
  name: 'writer',
  description: 'w',
  instructions: 'w',
  tools: [],
  output: z.string(),
});
const editor = defineAgent({
  name: 'editor',
  description: 'e',
  instructions: 'e',
  tools: [],
  output: z.string(),
});
const agents = { writer, editor };

function* orchestrator(context: OrchestrationContext) {
  const tracker = new RunTracker(
    context.df.instanceId,
    { steps: 50, tokens: 100_000, wallTimeMs: 600_000, toolCalls: 10, money: 5 },
    Date.parse('2027-01-01T00:00:00Z'),
  );
  const run = { runId: context.df.instanceId, tracker, retry: DEFAULT_RETRY_POLICIES, writeTools: [] };
  return yield* supervise(
    context,
    run,
    { draft: 'v0' },
    {
      reviewer,
      maxRounds: 1,
      reviewTask: (results) => JSON.stringify(results),
      revise: (agent, feedback) =>
        agent in agents ? { agent: agents[agent as keyof typeof agents], task: feedback } : undefined,
      merge: (results) => results,
    },
  );
}

async function revisionsFor(review: Review) {
  const replay = new SdkReplay(orchestrator, 'run-9', null);
  const state = await replay.run();
  expect(replay.newActions(state).map((a) => a.functionName)).toEqual(['agentTurn']);
  replay.completeActivity('agentTurn', finalTurn(review));
  return replay.newActions(await replay.run());
}

describe('supervise under the SDK', () => {
  it('starts one child agent loop per revision, with round-1 instance ids and the feedback as task', async () => {
    const children = await revisionsFor({
      approved: false,
      findings: ['too long', 'typo'],
      revisions: [
        { agent: 'writer', feedback: 'Shorter, please.' },
        { agent: 'editor', feedback: 'Fix the typo.' },
      ],
    });
    expect(children.map((c) => [c.actionType, c.functionName, c.instanceId])).toEqual([
      [ACTION.callSubOrchestrator, 'agentLoop', 'run-9:writer:1'],
      [ACTION.callSubOrchestrator, 'agentLoop', 'run-9:editor:1'],
    ]);
    expect(children.map((c) => (c.input as { task: string }).task)).toEqual([
      'Shorter, please.',
      'Fix the typo.',
    ]);
  });

  it('skips revisions for agents the application cannot revise', async () => {
    const children = await revisionsFor({
      approved: false,
      findings: [],
      revisions: [{ agent: 'unknown', feedback: 'x' }],
    });
    expect(children).toEqual([]);
  });

  // Regression: two revisions for one agent (a reviewer model may well list two points for one
  // agent) once became two children with the same instance id `run:agent:round`.
  it('gives each child of a round its own instance id, even for two revisions of one agent', async () => {
    const children = await revisionsFor({
      approved: false,
      findings: ['too long', 'typo'],
      revisions: [
        { agent: 'writer', feedback: 'Shorter, please.' },
        { agent: 'writer', feedback: 'Fix the typo.' },
      ],
    });
    const ids = children.map((c) => c.instanceId);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
