import { describe, expect, it } from 'vitest';
import {
  countRequestTokens,
  countResponseTokens,
  countTokens,
  MAX_RUN_CHARACTERS,
  tokenizerSegments,
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

  it('counts text in many scripts, emoji and control characters exactly as o200k_base does', () => {
    // Reference counts from OpenAI's tiktoken (o200k_base).
    expect(countTokens('Reykjavík Zürich Köln')).toBe(6);
    expect(countTokens('東京から京都へ、新幹線で。')).toBe(10);
    expect(countTokens('{"origin":"AMS","destination":"PRG","passengers":2}')).toBe(15);
  });

  // Byte-pair merging is quadratic in the length of one pre-tokenized piece, and a run of letters
  // (or CJK, or punctuation) without spaces is one piece: 20,000 such characters took 30 s.
  it('answers a text counted before (kept or since evicted) with its exact count', () => {
    const text = 'Plan a 4-day hiking trip to Patagonia for two, budget $3,000. '.repeat(20);
    const first = countTokens(text);
    expect(countTokens(text)).toBe(first);
    expect(countTokens(`${text} `)).toBeGreaterThanOrEqual(first);
    // More than the cache holds (4 Mi characters) of other long texts: the first one is evicted.
    for (let i = 0; i < 40; i++) countTokens(`${i} ${'lorem ipsum dolor sit amet '.repeat(4_000)}`);
    expect(countTokens(text)).toBe(first);
  });

  it('counts long runs without spaces in linear time', () => {
    const cases = [
      'a'.repeat(200_000),
      '旅行計画東京京都大阪'.repeat(20_000),
      '!@#$%^&*()'.repeat(20_000),
      'x'.repeat(100_000) + ' ' + 'y'.repeat(100_000),
    ];
    const started = performance.now();
    for (const text of cases) {
      const count = countTokens(text);
      // Not 1 and not one per character: the long run is still merged into multi-character tokens.
      expect(count).toBeGreaterThan(text.length / 100);
      expect(count).toBeLessThan(text.length);
    }
    // Generous for a loaded 2-core machine; the quadratic tokenizer needs minutes here.
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('counts a long run within a token per cut of the exact count, and ordinary text exactly', () => {
    const text = 'ab'.repeat(2_000);
    const exact = 2_000 / 2; // "abab" is one o200k token; 4,000 characters are 1,000 of them
    expect(Math.abs(countTokens(text) - exact)).toBeLessThanOrEqual(text.length / MAX_RUN_CHARACTERS + 1);
    const prose = 'Plan a 4-day hiking trip to Patagonia for two, $3,000. '.repeat(400);
    // Ordinary text, however long, is one segment: counted exactly as the tokenizer counts it.
    expect(tokenizerSegments(prose)).toEqual([prose]);
    expect(tokenizerSegments(JSON.stringify({ tools: Array(200).fill({ type: 'object' }) }))).toHaveLength(1);
    // A cut never splits a surrogate pair.
    for (const segment of tokenizerSegments('😀'.repeat(1_000))) {
      expect(segment.charCodeAt(0) >= 0xdc00 && segment.charCodeAt(0) <= 0xdfff).toBe(false);
    }
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
