/**
 * The `chat` span of an agent's turn: under the agent's `invoke_agent` span (the context the
 * orchestration put in the input), linked to the Durable activity attempt that ran it, with an id
 * derived from that attempt (a rerun records the same span), the call's cost, and — with content
 * capture on — the whole transcript and the answer in the GenAI message schema.
 */
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { agentTurn, type AgentTurnDependencies } from '../../../src/agents/activities/agent-turn';
import type { ToolCatalog } from '../../../src/agents/activities/tool-catalog';
import { TranscriptJournal } from '../../../src/agents/activities/transcript-journal';
import { AgentRegistry, defineAgent } from '../../../src/agents/definitions';
import { ScriptedModel, turn } from '../../../src/models/scripted-model';
import { SqliteIdempotencyStore } from '../../../src/stores';
import { openSqliteDatabase } from '../../../src/stores/sqlite/database';
import { createLogger } from '../../../src/telemetry/logger';
import { loadTelemetrySettings } from '../../../src/telemetry/settings';
import { initTelemetry, shutdownTelemetry } from '../../../src/telemetry/setup';
import { deriveSpanId } from '../../../src/telemetry/span-ids';

const writer = defineAgent({
  name: 'writer',
  description: 'Writes',
  instructions: 'Write one line.',
  tools: [],
  output: z.object({ text: z.string() }),
});
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const AGENT_SPAN = '00f067aa0ba902b7';
const ACTIVITY_SPAN = 'aaaaaaaaaaaaaaaa';

afterEach(async () => {
  await shutdownTelemetry();
});

async function runTurn(capture: boolean) {
  const exporter = new InMemorySpanExporter();
  initTelemetry({
    settings: loadTelemetrySettings({
      WAYPOINT_TRACE_STORE: 'off',
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: String(capture),
    }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  const store = new SqliteIdempotencyStore(openSqliteDatabase(':memory:'), { ownsDatabase: true });
  const deps: AgentTurnDependencies = {
    agents: new AgentRegistry([writer]),
    model: () => new ScriptedModel({ writer: [turn.output({ text: 'hello' })] }),
    journal: () => Promise.resolve(new TranscriptJournal(store)),
    catalog: () => ({}) as ToolCatalog,
    price: () => 0.0042,
    logger: createLogger('agent-turn-trace'),
  };
  try {
    const answer = await agentTurn(
      {
        runId: 'run-1',
        conversationId: 'run-1:writer:0',
        agent: 'writer',
        turn: 0,
        task: 'say hello',
        trace: { traceparent: `00-${TRACE}-${AGENT_SPAN}-01` },
      },
      deps,
      { traceContext: { traceParent: `00-${TRACE}-${ACTIVITY_SPAN}-01`, attributes: {} } },
    );
    expect(answer).toMatchObject({ kind: 'final', valid: true, costUsd: 0.0042 });
  } finally {
    await store.close();
  }
  const [chat] = exporter.getFinishedSpans();
  return chat;
}

describe('the chat span of an agent turn', () => {
  it('hangs under its agent, links its activity attempt, and has an id derived from that attempt', async () => {
    const chat = await runTurn(false);
    expect(chat.parentSpanContext?.spanId).toBe(AGENT_SPAN);
    expect(chat.spanContext().spanId).toBe(deriveSpanId('chat', ACTIVITY_SPAN));
    expect(chat.links.map((l) => l.context.spanId)).toEqual([ACTIVITY_SPAN]);
    expect(chat.attributes).toMatchObject({
      'gen_ai.agent.name': 'writer',
      'gen_ai.output.type': 'json',
      'waypoint.cost.usd': 0.0042,
    });
    expect(chat.attributes).not.toHaveProperty('gen_ai.input.messages');
  });

  it('with content capture on, records the transcript and the answer in the GenAI message schema', async () => {
    const chat = await runTurn(true);
    expect(JSON.parse(String(chat.attributes['gen_ai.system_instructions']))).toEqual([
      { type: 'text', content: 'Write one line.' },
    ]);
    expect(JSON.parse(String(chat.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'say hello' }] },
    ]);
    expect(JSON.parse(String(chat.attributes['gen_ai.output.messages']))).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: '{"text":"hello"}' }], finish_reason: 'stop' },
    ]);
  });
});
