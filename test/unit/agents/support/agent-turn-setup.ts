/**
 * The `agentTurn` activity's dependencies for unit tests: one `writer` agent (answers
 * `{ text }`), a scripted model, and the transcript journal on the embedded SQLite idempotency
 * store in memory. Priced at $1 per million tokens.
 */
import { z } from 'zod';
import type { AgentTurnDependencies } from '../../../../src/agents/activities/agent-turn';
import type { ToolCatalog } from '../../../../src/agents/activities/tool-catalog';
import { TranscriptJournal } from '../../../../src/agents/activities/transcript-journal';
import { AgentRegistry, defineAgent } from '../../../../src/agents/definitions';
import { ScriptedModel, type ScriptedTurn } from '../../../../src/models/scripted-model';
import { SqliteIdempotencyStore } from '../../../../src/stores';
import { openSqliteDatabase } from '../../../../src/stores/sqlite/database';
import { createLogger } from '../../../../src/telemetry/logger';

export const writer = defineAgent({
  name: 'writer',
  description: 'w',
  instructions: 'w',
  tools: [],
  output: z.object({ text: z.string() }),
});

/** The writer's model answers `answers` in turn; `extra` overrides any dependency. */
export function agentTurnSetup(answers: ScriptedTurn[], extra: Partial<AgentTurnDependencies> = {}) {
  const store = new SqliteIdempotencyStore(openSqliteDatabase(':memory:'), { ownsDatabase: true });
  const model = new ScriptedModel({ writer: answers });
  const deps: AgentTurnDependencies = {
    agents: new AgentRegistry([writer]),
    model: () => model,
    journal: () => Promise.resolve(new TranscriptJournal(store)),
    catalog: () => ({}) as ToolCatalog,
    price: (_model, usage) => (usage.inputTokens + usage.outputTokens) / 1e6,
    logger: createLogger('agent-turn-test'),
    ...extra,
  };
  return { deps, model, store };
}
