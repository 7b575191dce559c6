/**
 * Content capture in the GenAI conventions' message schema (their input and output messages JSON
 * schemas, restated here with zod): the whole transcript a model is sent, tool calls and tool
 * results as parts, the answer with its finish reason.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  genAiInputMessages,
  genAiOutputMessages,
  genAiSystemInstructions,
} from '../../../src/telemetry/genai-messages';

const part = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), content: z.string() }),
  z.strictObject({
    type: z.literal('tool_call'),
    id: z.string().nullable(),
    name: z.string(),
    arguments: z.unknown(),
  }),
  z.strictObject({ type: z.literal('tool_call_response'), id: z.string().nullable(), response: z.unknown() }),
]);
const role = z.enum(['system', 'user', 'assistant', 'tool']);
const inputMessages = z.array(z.strictObject({ role, parts: z.array(part), name: z.string().optional() }));
const outputMessages = z.array(
  z.strictObject({ role, parts: z.array(part), name: z.string().optional(), finish_reason: z.string() }),
);

describe('GenAI message schema', () => {
  it('records the whole transcript: the task, earlier turns with their tool calls, tool results', () => {
    const messages = genAiInputMessages([
      { role: 'user', content: '{"origin":"SEA"}' },
      {
        role: 'assistant',
        content: null,
        toolCalls: [{ id: 'call_1', name: 'flights.search_flights', arguments: { origin: 'SEA' } }],
      },
      { role: 'tool', toolCallId: 'call_1', name: 'flights.search_flights', content: '{"offers":[]}' },
      { role: 'tool', toolCallId: 'call_2', name: 'weather.get_forecast', content: 'not JSON' },
    ]);
    expect(inputMessages.parse(JSON.parse(JSON.stringify(messages)))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: '{"origin":"SEA"}' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'tool_call', id: 'call_1', name: 'flights.search_flights', arguments: { origin: 'SEA' } },
        ],
      },
      {
        role: 'tool',
        name: 'flights.search_flights',
        parts: [{ type: 'tool_call_response', id: 'call_1', response: { offers: [] } }],
      },
      {
        role: 'tool',
        name: 'weather.get_forecast',
        parts: [{ type: 'tool_call_response', id: 'call_2', response: 'not JSON' }],
      },
    ]);
  });

  it('records the answer with its finish reason, and the instructions as parts', () => {
    const answer = genAiOutputMessages({
      text: 'Looking',
      toolCalls: [{ id: 'call_3', name: 'hotels.search_hotels', arguments: { city: 'Lima' } }],
      finishReason: 'tool_calls',
    });
    expect(outputMessages.parse(answer)[0]).toEqual({
      role: 'assistant',
      parts: [
        { type: 'text', content: 'Looking' },
        { type: 'tool_call', id: 'call_3', name: 'hotels.search_hotels', arguments: { city: 'Lima' } },
      ],
      finish_reason: 'tool_calls',
    });
    expect(z.array(part).parse(genAiSystemInstructions('Be brief.'))).toEqual([
      { type: 'text', content: 'Be brief.' },
    ]);
  });
});
