import { describe, expect, it } from 'vitest';
import {
  countRequestTokens,
  countResponseTokens,
  countTokens,
  truncateToTokens,
} from '../../../src/models/tokens';
import type { ModelRequest } from '../../../src/models/types';

const baseRequest: ModelRequest = {
  agent: 'router',
  instructions: 'You route travel requests.',
  messages: [{ role: 'user', content: 'Plan a 4-day hiking trip to Patagonia for two, $3,000' }],
  tools: [],
};

describe('countTokens', () => {
  it('counts with o200k_base (known counts)', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('Plan a 4-day hiking trip to Patagonia for two, $3,000')).toBe(16);
  });

  it('counts special-token markers as plain text instead of throwing', () => {
    expect(countTokens('<|endoftext|>')).toBeGreaterThan(1);
  });
});

describe('truncateToTokens', () => {
  it('keeps text within the limit and cuts longer text to exactly that many tokens', () => {
    const text = 'one two three four five six';
    expect(truncateToTokens(text, 100)).toBe(text);
    const cut = truncateToTokens(text, 3);
    expect(countTokens(cut)).toBe(3);
    expect(text.startsWith(cut)).toBe(true);
  });
});

describe('countRequestTokens', () => {
  it('counts instructions and messages with per-message framing', () => {
    const count = countRequestTokens(baseRequest);
    const content =
      countTokens(baseRequest.instructions) +
      countTokens('Plan a 4-day hiking trip to Patagonia for two, $3,000');
    // Two messages (system + user), each with framing and a role, plus the reply primer.
    expect(count).toBe(content + 2 * 3 + countTokens('system') + countTokens('user') + 3);
  });

  it('grows with tools, the output schema and tool-call transcript entries', () => {
    const plain = countRequestTokens(baseRequest);
    const tools: ModelRequest['tools'] = [
      {
        name: 'flights.search_flights',
        description: 'Search flights',
        parameters: { type: 'object', properties: { origin: { type: 'string' } } },
      },
    ];
    const withTools = countRequestTokens({ ...baseRequest, tools });
    expect(withTools - plain).toBeGreaterThanOrEqual(countTokens(JSON.stringify(tools)));

    const schema = { type: 'object', properties: { intent: { type: 'string' } }, required: ['intent'] };
    const withOutput = countRequestTokens({ ...baseRequest, output: { name: 'route', schema } });
    expect(withOutput - plain).toBe(countTokens('route') + countTokens(JSON.stringify(schema)));

    const withTranscript = countRequestTokens({
      ...baseRequest,
      messages: [
        ...baseRequest.messages,
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 'call_1', name: 'flights.search_flights', arguments: { origin: 'EZE' } }],
        },
        { role: 'tool', toolCallId: 'call_1', name: 'flights.search_flights', content: '{"offers":[]}' },
      ],
    });
    expect(withTranscript).toBeGreaterThan(plain + countTokens('{"offers":[]}'));
  });
});

describe('countResponseTokens', () => {
  it('counts text and tool calls', () => {
    expect(countResponseTokens({ text: 'hello world' })).toBe(2);
    expect(countResponseTokens({ text: null })).toBe(0);
    const call = { name: 'weather.get_forecast', arguments: { place: 'Punta Arenas' } };
    expect(countResponseTokens({ toolCalls: [call] })).toBe(
      3 + countTokens(call.name) + countTokens(JSON.stringify(call.arguments)),
    );
  });
});
