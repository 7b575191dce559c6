/**
 * The `agentTurn` activity's bounds on what a model sends back: a usage that cannot be true and an
 * answer over the size cap become typed failures, and nothing of that turn reaches the transcript
 * journal. Runs the activity with the embedded SQLite idempotency store and a scripted model.
 */
import { describe, expect, it } from 'vitest';
import { agentTurn } from '../../../src/agents/activities/agent-turn';
import { agentTurnKey } from '../../../src/domain/idempotency-keys';
import { turn } from '../../../src/models/scripted-model';
import { agentTurnSetup } from './support/agent-turn-setup';

const input = { runId: 'run-1', conversationId: 'run-1:writer:0', agent: 'writer', turn: 0, task: 'hi' };

describe('agentTurn bounds', () => {
  it('fails a turn whose reported usage is negative, charging nothing and recording nothing', async () => {
    const { deps, store } = agentTurnSetup([
      { ...turn.output({ text: 'hello' }), usage: { inputTokens: -750_000 } },
    ]);
    try {
      const answer = await agentTurn(input, deps);
      expect(answer).toMatchObject({
        kind: 'failed',
        error: { code: 'model_usage_invalid' },
        usage: { inputTokens: 0, outputTokens: 0 },
        costUsd: 0,
      });
      expect(await store.get(agentTurnKey(input.conversationId, 0))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('fails a turn whose answer is over the size cap, recording nothing', async () => {
    const big = turn.output({ text: 'x'.repeat(5_000) });
    const { deps, store } = agentTurnSetup([big], { maxAnswerBytes: 4_096 });
    try {
      const answer = await agentTurn(input, deps);
      expect(answer).toMatchObject({ kind: 'failed', error: { code: 'model_answer_too_large' } });
      expect(answer.kind === 'failed' && answer.error.message).not.toMatch(/4096|bytes/);
      expect(await store.get(agentTurnKey(input.conversationId, 0))).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('keeps an answer within the cap', async () => {
    const { deps, store } = agentTurnSetup([turn.output({ text: 'x'.repeat(1_000) })], {
      maxAnswerBytes: 4_096,
    });
    try {
      await expect(agentTurn(input, deps)).resolves.toMatchObject({ kind: 'final', valid: true });
      expect(await store.get(agentTurnKey(input.conversationId, 0))).toMatchObject({ status: 'done' });
    } finally {
      await store.close();
    }
  });
});
