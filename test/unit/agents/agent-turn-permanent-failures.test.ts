/**
 * The `agentTurn` activity answers a permanent failure with a typed `kind: 'failed'` result and
 * never throws it: Durable retries every throw (see src/agents/retry.ts), so a turn that can never
 * succeed would be retried with the model's full backoff and then reported as the wrong error.
 * Runs the activity with the embedded SQLite idempotency store (in memory) and a scripted model.
 */
import { describe, expect, it } from 'vitest';
import { agentTurn } from '../../../src/agents/activities/agent-turn';
import { turn } from '../../../src/models/scripted-model';
import { agentTurnSetup } from './support/agent-turn-setup';

const dependencies = () => agentTurnSetup([turn.output({ text: 'hello' })]);

describe('agentTurn permanent failures', () => {
  // Regression: the journal's permanent failures (`transcript_lost`: an earlier turn's record
  // expired or was purged; `transcript_conflict`: a turn recorded for other input) were once
  // thrown, retried for minutes, and reported as `model_unavailable`.
  it('answers a turn whose earlier transcript is gone with a typed failure, not a throw', async () => {
    const { deps, model, store } = dependencies();
    try {
      const answer = await agentTurn(
        { runId: 'run-1', conversationId: 'run-1:writer:0', agent: 'writer', turn: 1, repair: [] },
        deps,
      );
      expect(answer).toMatchObject({ kind: 'failed', error: { code: 'transcript_lost' } });
      expect(model.calls).toHaveLength(0);
    } finally {
      await store.close();
    }
  });

  // Control: the first turn of a conversation works with the same dependencies.
  it('answers turn 0 from the model and records it', async () => {
    const { deps, store } = dependencies();
    try {
      const answer = await agentTurn(
        { runId: 'run-1', conversationId: 'run-1:writer:0', agent: 'writer', turn: 0, task: 'hi' },
        deps,
      );
      expect(answer).toMatchObject({ kind: 'final', valid: true, output: { text: 'hello' } });
    } finally {
      await store.close();
    }
  });
});
