/**
 * Review of the `agentTurn` activity: permanent failures must come back as typed
 * `kind: 'failed'` answers, because Durable retries every throw (see the retry policy in src/agents/retry.ts). Runs
 * the activity with the embedded SQLite idempotency store (in memory) and a scripted model.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { agentTurn, type AgentTurnDependencies } from '../../../src/agents/activities/agent-turn';
import type { ToolCatalog } from '../../../src/agents/activities/tool-catalog';
import { TranscriptJournal } from '../../../src/agents/activities/transcript-journal';
import { AgentRegistry, defineAgent } from '../../../src/agents/definitions';
import { ScriptedModel, turn } from '../../../src/models/scripted-model';
import { SqliteIdempotencyStore } from '../../../src/stores';
import { openSqliteDatabase } from '../../../src/stores/sqlite/database';
import { createLogger } from '../../../src/telemetry/logger';

const writer = defineAgent({
  name: 'writer',
  description: 'w',
  instructions: 'w',
  tools: [],
  output: z.object({ text: z.string() }),
});

function dependencies() {
  const store = new SqliteIdempotencyStore(openSqliteDatabase(':memory:'), { ownsDatabase: true });
  const model = new ScriptedModel({ writer: [turn.output({ text: 'hello' })] });
  const deps: AgentTurnDependencies = {
    agents: new AgentRegistry([writer]),
    model: () => model,
    journal: () => Promise.resolve(new TranscriptJournal(store)),
    catalog: () => ({}) as ToolCatalog,
    price: () => 0,
    logger: createLogger('review-agent-turn'),
  };
  return { deps, model, store };
}

describe('review: agentTurn permanent failures', () => {
  // Regression (was a bug, now fixed; error typing / retries, medium): the journal's permanent failures — `transcript_lost`
  // (an earlier turn's record expired or was purged) and `transcript_conflict` (a turn recorded
  // for other input) — are WaypointErrors with retryable: false, but agentTurn lets them THROW.
  // Durable retries every throw, so a turn that can never succeed is retried with the model
  // retry policy's full backoff, and the loop then reports `model_unavailable: Gave up after
  // retries…` — the wrong code, after a needless wait. Activities throw only
  // retryable errors; permanent ones come back as typed failures.
  // Fix: in agentTurn wrap `journal.recorded` / `journal.history` (and `record`) and return
  // `{ kind: 'failed', error: { code: error.code, message } }` for a non-retryable WaypointError.
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
