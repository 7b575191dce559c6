import type { ChatCompletion } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import {
  fromChatCompletion,
  toChatCompletionRequest,
  toFinishReason,
} from '../../../src/models/openai-mapping';
import type { ModelRequest } from '../../../src/models/types';

const request: ModelRequest = {
  agent: 'flights',
  instructions: 'Find flights.',
  messages: [
    { role: 'user', content: 'EZE to FTE' },
    {
      role: 'assistant',
      content: 'Searching.',
      toolCalls: [
        { id: 'call_1', name: 'flights.search_flights', arguments: {}, invalidArguments: '{"origin": EZE' },
      ],
    },
    {
      role: 'tool',
      toolCallId: 'call_1',
      name: 'flights.search_flights',
      content: 'error: arguments are not JSON',
    },
  ],
  tools: [
    {
      name: 'flights.search_flights',
      description: 'Search.',
      parameters: { type: 'object', properties: {} },
    },
  ],
  output: { name: 'flights answer!', schema: { type: 'object' } },
};

function completion(
  message: Record<string, unknown>,
  finish = 'stop',
  extra: Record<string, unknown> = {},
): ChatCompletion {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 0,
    model: 'gpt-4.1-mini-2025-04-14',
    choices: [
      {
        index: 0,
        message: { role: 'assistant', refusal: null, ...message },
        finish_reason: finish,
        logprobs: null,
      },
    ],
    usage: { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
    ...extra,
  } as ChatCompletion;
}

describe('toChatCompletionRequest', () => {
  it('resends invalid tool-call arguments exactly as the model wrote them, so it sees its mistake', () => {
    const { body } = toChatCompletionRequest(request, {
      model: 'gpt-4.1-mini',
      maxTokensParameter: 'max_completion_tokens',
    });
    expect(body.messages[2]).toEqual({
      role: 'assistant',
      content: 'Searching.',
      tool_calls: [
        {
          id: 'call_1',
          type: 'function',
          function: { name: 'flights_search_flights', arguments: '{"origin": EZE' },
        },
      ],
    });
  });

  it('sanitizes the structured output name and leaves out what the request does not set', () => {
    const { body } = toChatCompletionRequest(request, { model: 'm', maxTokensParameter: 'max_tokens' });
    expect(body.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'flights_answer_', schema: { type: 'object' }, strict: false },
    });
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('temperature');
    expect(body).not.toHaveProperty('tool_choice');
  });

  it('sends no tools member when the agent has no tools', () => {
    const { body } = toChatCompletionRequest(
      { ...request, tools: [], messages: [] },
      { model: 'm', maxTokensParameter: 'max_tokens' },
    );
    expect(body).not.toHaveProperty('tools');
  });
});

describe('fromChatCompletion', () => {
  const names = toChatCompletionRequest(request, { model: 'm', maxTokensParameter: 'max_tokens' }).names;
  const context = { request, names, provider: 'openai', model: 'gpt-4.1-mini' };

  it('reads an empty-string argument list as no arguments', () => {
    const response = fromChatCompletion(
      completion(
        {
          content: null,
          tool_calls: [
            { id: 'c', type: 'function', function: { name: 'flights_search_flights', arguments: '' } },
          ],
        },
        'tool_calls',
      ),
      context,
    );
    expect(response).toMatchObject({
      kind: 'tool_calls',
      toolCalls: [{ id: 'c', name: 'flights.search_flights', arguments: {} }],
    });
    expect((response as { toolCalls: object[] }).toolCalls[0]).not.toHaveProperty('invalidArguments');
  });

  it('flags arguments that are JSON but not an object', () => {
    const response = fromChatCompletion(
      completion(
        {
          content: null,
          tool_calls: [
            { id: 'c', type: 'function', function: { name: 'flights_search_flights', arguments: '[1]' } },
          ],
        },
        'tool_calls',
      ),
      context,
    );
    expect(response).toMatchObject({ toolCalls: [{ arguments: {}, invalidArguments: '[1]' }] });
  });

  it('reports the configured model when the server leaves it out', () => {
    const response = fromChatCompletion(completion({ content: '{}' }, 'stop', { model: '' }), context);
    expect(response.model).toBe('gpt-4.1-mini');
  });

  it('fails retryably, in plain words, on a completion without choices', () => {
    expect(() => fromChatCompletion(completion({}, 'stop', { choices: [] }), context)).toThrow(
      expect.objectContaining({
        code: 'model_bad_response',
        retryable: true,
        message: 'The AI model service sent an answer we could not read.',
      }),
    );
  });
});

describe('toFinishReason', () => {
  it.each([
    ['stop', 'stop'],
    ['length', 'length'],
    ['tool_calls', 'tool_calls'],
    ['function_call', 'tool_calls'],
    ['content_filter', 'content_filter'],
    ['eos', 'other'],
    [null, 'other'],
  ])('%s → %s', (reason, expected) => {
    expect(toFinishReason(reason)).toBe(expected);
  });
});
