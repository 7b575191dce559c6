import { describe, expect, it } from 'vitest';
import { WaypointError } from '../../../src/domain/errors';
import { latestUserText, OfflineModel, toolExchanges, type OfflinePolicy } from '../../../src/models/offline';
import { modelCostUsd } from '../../../src/models/pricing';
import { countRequestTokens, countResponseTokens } from '../../../src/models/tokens';
import type { ModelRequest } from '../../../src/models/types';

// A tiny generic example policy: look the word up, then answer with what the tool said.
const lookupPolicy: OfflinePolicy = (request) => {
  const done = toolExchanges(request);
  if (done.length === 0) {
    const word = (latestUserText(request) ?? '').split(/\s+/).at(-1) ?? '';
    return {
      toolCalls: [
        { name: 'dictionary.lookup', arguments: { word } },
        { name: 'dictionary.lookup', arguments: { word: word.toUpperCase() } },
      ],
    };
  }
  return { output: { word: done[0].arguments.word, definition: done[0].content } };
};

const tools: ModelRequest['tools'] = [
  {
    name: 'dictionary.lookup',
    description: 'Looks a word up.',
    parameters: { type: 'object', properties: { word: { type: 'string' } }, required: ['word'] },
  },
];
const outputSchema = {
  name: 'definition',
  schema: { type: 'object', properties: { word: { type: 'string' }, definition: { type: 'string' } } },
};

function firstTurn(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    agent: 'lexicographer',
    instructions: 'Define the word.',
    messages: [{ role: 'user', content: 'Define serendipity' }],
    tools,
    output: outputSchema,
    ...overrides,
  };
}

describe('OfflineModel', () => {
  const model = new OfflineModel({ lexicographer: lookupPolicy });

  it('names itself waypoint.offline / waypoint-offline-1', () => {
    expect(model.provider).toBe('waypoint.offline');
    expect(model.model).toBe('waypoint-offline-1');
  });

  it('turns tool-call decisions into tool calls with request-derived ids and real token usage', async () => {
    const request = firstTurn();
    const response = await model.complete(request);
    expect(response.kind).toBe('tool_calls');
    if (response.kind !== 'tool_calls') return;
    expect(response.finishReason).toBe('tool_calls');
    expect(response.provider).toBe('waypoint.offline');
    expect(response.toolCalls.map((c) => [c.name, c.arguments])).toEqual([
      ['dictionary.lookup', { word: 'serendipity' }],
      ['dictionary.lookup', { word: 'SERENDIPITY' }],
    ]);
    const ids = response.toolCalls.map((c) => c.id);
    expect(ids[0]).toMatch(/^call_[0-9a-f]{24}$/);
    expect(new Set(ids).size).toBe(2);
    expect(response.usage).toEqual({
      inputTokens: countRequestTokens(request),
      outputTokens: countResponseTokens({ toolCalls: response.toolCalls }),
    });
  });

  it('answers the same request identically, and another conversation with other ids', async () => {
    const a = await model.complete(firstTurn());
    const b = await model.complete(firstTurn());
    expect(b).toEqual(a);
    const other = await model.complete(
      firstTurn({ messages: [{ role: 'user', content: 'Define petrichor' }] }),
    );
    if (a.kind !== 'tool_calls' || other.kind !== 'tool_calls') throw new Error('expected tool calls');
    expect(other.toolCalls[0].id).not.toBe(a.toolCalls[0].id);
    expect(other.responseId).not.toBe(a.responseId);
  });

  it('turns an output decision into a final structured answer, written as JSON', async () => {
    const first = await model.complete(firstTurn());
    if (first.kind !== 'tool_calls') throw new Error('expected tool calls');
    const [call] = first.toolCalls;
    const second = await model.complete(
      firstTurn({
        messages: [
          { role: 'user', content: 'Define serendipity' },
          { role: 'assistant', content: null, toolCalls: first.toolCalls },
          { role: 'tool', toolCallId: call.id, name: call.name, content: 'happy chance' },
          { role: 'tool', toolCallId: first.toolCalls[1].id, name: call.name, content: 'HAPPY CHANCE' },
        ],
      }),
    );
    expect(second).toMatchObject({
      kind: 'final',
      finishReason: 'stop',
      output: { word: 'serendipity', definition: 'happy chance' },
      text: '{"word":"serendipity","definition":"happy chance"}',
    });
    expect(second.usage.outputTokens).toBe(countResponseTokens({ text: (second as { text: string }).text }));
    // Usage feeds the money budget through the nominal offline price.
    expect(modelCostUsd(second.model, second.usage)).toBeGreaterThan(0);
  });

  it('cuts a final answer at maxOutputTokens with finish reason length and unparseable output', async () => {
    const verbose = new OfflineModel({ lexicographer: () => ({ output: { definition: 'a '.repeat(200) } }) });
    const response = await verbose.complete(firstTurn({ maxOutputTokens: 10 }));
    expect(response).toMatchObject({ kind: 'final', finishReason: 'length', output: undefined });
    expect(response.usage.outputTokens).toBe(10);
  });

  it('passes plain text through, parsed only when structured output was requested', async () => {
    const texty = new OfflineModel({ lexicographer: () => ({ text: '{"word":"x"}' }) });
    expect(await texty.complete(firstTurn())).toMatchObject({ kind: 'final', output: { word: 'x' } });
    const plain = await texty.complete(firstTurn({ output: undefined }));
    expect(plain).toMatchObject({ kind: 'final', text: '{"word":"x"}' });
    expect('output' in plain).toBe(false);
  });

  it('fails permanently for an agent without a policy, naming it and the known agents', async () => {
    const error = await model.complete(firstTurn({ agent: 'poet' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaypointError);
    expect(error).toMatchObject({ code: 'model_error', retryable: false });
    expect((error as Error).message).toContain('"poet"');
    expect((error as Error).message).toContain('lexicographer');
  });

  it('refuses a decision that calls a tool the request does not offer', async () => {
    const rogue = new OfflineModel({
      lexicographer: () => ({ toolCalls: [{ name: 'bookings.book_flight', arguments: {} }] }),
    });
    await expect(rogue.complete(firstTurn())).rejects.toMatchObject({
      code: 'model_error',
      retryable: false,
    });
    const empty = new OfflineModel({ lexicographer: () => ({ toolCalls: [] }) });
    await expect(empty.complete(firstTurn())).rejects.toMatchObject({ code: 'model_error' });
  });

  it('turns a policy bug into a permanent model_error and passes WaypointErrors through', async () => {
    const buggy = new OfflineModel({
      lexicographer: () => {
        throw new TypeError('undefined is not a function');
      },
    });
    const error = await buggy.complete(firstTurn()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'model_error', retryable: false });
    expect((error as Error).message).toContain('undefined is not a function');

    const deliberate = new WaypointError('policy_refused', 'no', { retryable: false });
    const refusing = new OfflineModel({
      lexicographer: () => {
        throw deliberate;
      },
    });
    await expect(refusing.complete(firstTurn())).rejects.toBe(deliberate);
  });

  it('does not answer an already aborted call', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(model.complete(firstTurn(), { signal: controller.signal })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });
});

describe('policy helpers', () => {
  it('toolExchanges pairs tool answers with their calls and skips unanswered calls', () => {
    const request = firstTurn({
      messages: [
        { role: 'user', content: 'Define a' },
        {
          role: 'assistant',
          content: null,
          toolCalls: [
            { id: 'c1', name: 'dictionary.lookup', arguments: { word: 'a' } },
            { id: 'c2', name: 'dictionary.lookup', arguments: { word: 'b' } },
          ],
        },
        { role: 'tool', toolCallId: 'c1', name: 'dictionary.lookup', content: 'first letter' },
        { role: 'user', content: 'and b?' },
      ],
    });
    expect(toolExchanges(request)).toEqual([
      { toolCallId: 'c1', name: 'dictionary.lookup', arguments: { word: 'a' }, content: 'first letter' },
    ]);
    expect(latestUserText(request)).toBe('and b?');
    expect(latestUserText(firstTurn({ messages: [] }))).toBeUndefined();
  });
});
