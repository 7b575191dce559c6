import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/identity';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TransientError, WaypointError } from '../../../src/domain/errors';
import { createModelProvider, loadModelSettings } from '../../../src/models';
import {
  OpenAICompatibleProvider,
  type OpenAICompatibleOptions,
} from '../../../src/models/openai-compatible';
import type { ModelRequest } from '../../../src/models/types';
import { apiError, completion, FakeOpenAIServer, htmlPage, ok } from '../../fakes/openai-server';
import { waitUntil } from '../../support/wait-until';

/** A TokenCredential that hands out a fixed token and records the scopes it was asked for. */
class FakeCredential implements TokenCredential {
  readonly scopes: string[][] = [];
  async getToken(scopes: string | string[], _options?: GetTokenOptions): Promise<AccessToken> {
    this.scopes.push(Array.isArray(scopes) ? scopes : [scopes]);
    return { token: 'fake-entra-token', expiresOnTimestamp: Date.now() + 3_600_000 };
  }
}

const strictSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  properties: { city: { type: 'string' }, days: { type: 'integer', minimum: 1 } },
  required: ['city', 'days'],
  additionalProperties: false,
};

const searchTool = {
  name: 'flights.search_flights',
  description: 'Search flights.',
  parameters: {
    type: 'object',
    properties: { origin: { type: 'string' }, destination: { type: 'string' } },
    required: ['origin', 'destination'],
    additionalProperties: false,
  },
};
const forecastTool = {
  name: 'weather.get_forecast',
  description: 'Forecast for a place and dates.',
  // Optional `endDate` (not in required): outside strict mode's subset.
  parameters: {
    type: 'object',
    properties: { place: { type: 'string' }, endDate: { type: 'string' } },
    required: ['place'],
  },
};

function request(overrides: Partial<ModelRequest> = {}): ModelRequest {
  return {
    agent: 'planner',
    instructions: 'You plan trips.',
    messages: [{ role: 'user', content: 'Four days in Patagonia' }],
    tools: [],
    ...overrides,
  };
}

let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await FakeOpenAIServer.start();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.reset();
});

function openai(overrides: Partial<OpenAICompatibleOptions> = {}): OpenAICompatibleProvider {
  return new OpenAICompatibleProvider({
    target: 'openai',
    model: 'gpt-4o',
    apiKey: 'sk-test-key',
    baseUrl: `${server.origin}/v1`,
    timeoutMs: 5000,
    maxRetries: 2,
    ...overrides,
  } as OpenAICompatibleOptions);
}

describe('OpenAICompatibleProvider against a chat.completions server', () => {
  it('sends instructions, messages and a strict json_schema response_format, and reads the structured answer', async () => {
    server.reply(
      ok({
        content: '{"city":"El Chaltén","days":4}',
        usage: { prompt_tokens: 321, completion_tokens: 12 },
        id: 'chatcmpl-abc',
        model: 'gpt-4o-2024-08-06',
      }),
    );
    const response = await openai().complete(
      request({
        output: { name: 'trip.plan', schema: strictSchema },
        maxOutputTokens: 400,
        temperature: 0.2,
      }),
    );

    expect(response).toEqual({
      provider: 'openai',
      model: 'gpt-4o-2024-08-06',
      responseId: 'chatcmpl-abc',
      usage: { inputTokens: 321, outputTokens: 12 },
      finishReason: 'stop',
      kind: 'final',
      text: '{"city":"El Chaltén","days":4}',
      output: { city: 'El Chaltén', days: 4 },
    });
    expect(server.requests).toHaveLength(1);
    const [sent] = server.requests;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe('Bearer sk-test-key');
    const { $schema: _dialect, ...schemaSent } = strictSchema;
    expect(sent.body).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You plan trips.' },
        { role: 'user', content: 'Four days in Patagonia' },
      ],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'trip_plan', schema: schemaSent, strict: true },
      },
      max_completion_tokens: 400,
      temperature: 0.2,
    });
  });

  it('offers tools under API-safe names, maps the transcript, and maps tool calls back to qualified names', async () => {
    server.reply(
      ok({
        toolCalls: [
          { id: 'call_2', name: 'weather_get_forecast', arguments: '{"place":"El Calafate"}' },
          { id: 'call_3', name: 'flights_search_flights', arguments: '{"origin":"EZE","destination":"FTE"}' },
        ],
        content: 'Checking weather and flights.',
      }),
    );
    const response = await openai().complete(
      request({
        tools: [searchTool, forecastTool],
        messages: [
          { role: 'user', content: 'Four days in Patagonia' },
          {
            role: 'assistant',
            content: null,
            toolCalls: [
              {
                id: 'call_1',
                name: 'flights.search_flights',
                arguments: { origin: 'EZE', destination: 'USH' },
              },
            ],
          },
          { role: 'tool', toolCallId: 'call_1', name: 'flights.search_flights', content: '{"offers":[]}' },
        ],
      }),
    );

    expect(response).toMatchObject({
      kind: 'tool_calls',
      finishReason: 'tool_calls',
      text: 'Checking weather and flights.',
      toolCalls: [
        { id: 'call_2', name: 'weather.get_forecast', arguments: { place: 'El Calafate' } },
        { id: 'call_3', name: 'flights.search_flights', arguments: { origin: 'EZE', destination: 'FTE' } },
      ],
    });
    const body = server.requests[0].body;
    expect(body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'flights_search_flights',
          description: 'Search flights.',
          parameters: searchTool.parameters,
          strict: true,
        },
      },
      {
        type: 'function',
        function: {
          name: 'weather_get_forecast',
          description: 'Forecast for a place and dates.',
          parameters: forecastTool.parameters,
          strict: false,
        },
      },
    ]);
    expect(body.messages.slice(1)).toEqual([
      { role: 'user', content: 'Four days in Patagonia' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_1',
            type: 'function',
            function: { name: 'flights_search_flights', arguments: '{"origin":"EZE","destination":"USH"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_1', content: '{"offers":[]}' },
    ]);
    expect(body.response_format).toBeUndefined();
  });

  it('retries a 429 after the retry-after seconds it names, then succeeds', async () => {
    server.reply(apiError(429, { 'retry-after': '1' }), ok({ content: 'fine' }));
    const response = await openai().complete(request());
    expect(response).toMatchObject({ kind: 'final', text: 'fine' });
    expect(server.requests).toHaveLength(2);
    const waited = server.requests[1].at - server.requests[0].at;
    expect(waited).toBeGreaterThanOrEqual(950);
    expect(waited).toBeLessThan(6000);
  });

  it('honours a retry-after given as an HTTP date', async () => {
    const at = new Date(Date.now() + 2000).toUTCString(); // whole seconds: 1–2 s from now
    server.reply(apiError(503, { 'retry-after': at }), ok({ content: 'fine' }));
    await expect(openai().complete(request())).resolves.toMatchObject({ text: 'fine' });
    const waited = server.requests[1].at - server.requests[0].at;
    expect(waited).toBeGreaterThanOrEqual(900);
    expect(waited).toBeLessThan(6000);
  });

  it('honours retry-after-ms over retry-after', async () => {
    server.reply(apiError(429, { 'retry-after-ms': '250', 'retry-after': '30' }), ok({ content: 'fine' }));
    await openai().complete(request());
    const waited = server.requests[1].at - server.requests[0].at;
    expect(waited).toBeGreaterThanOrEqual(230);
    expect(waited).toBeLessThan(5000);
  });

  it('after MODEL_MAX_RETRIES retries of a 429 throws a TransientError with the server wait', async () => {
    const limited = apiError(429, { 'retry-after-ms': '50' });
    server.reply(limited, limited, limited);
    const error = await openai({ maxRetries: 2 })
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ code: 'transient', retryable: true, retryAfterMs: 50 });
    expect(server.requests).toHaveLength(3);
  });

  it('does not sit through a wait longer than maxRetryWaitMs: fails at once, clearly, for good', async () => {
    server.reply(apiError(429, { 'retry-after': '40' }), ok());
    const started = performance.now();
    const error = await openai({ maxRetryWaitMs: 5000 })
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'model_busy',
      retryable: false,
      message:
        'The AI model service is busy and asked us to wait 40 s, longer than we wait (5 s). Please try again later.',
      details: { retryAfterMs: 40_000, maxRetryWaitMs: 5000, status: 429 },
    });
    expect(server.requests).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it('retries a 200 with an HTML page, and one without choices, as transient, then succeeds', async () => {
    const noChoices = { status: 200, body: { ...completion(), choices: [] } };
    server.reply(htmlPage(), noChoices, ok({ content: 'fine' }));
    await expect(openai().complete(request())).resolves.toMatchObject({ kind: 'final', text: 'fine' });
    expect(server.requests).toHaveLength(3);
  });

  it('retries truncated JSON, and after the retries fails retryable, in plain words with the details apart', async () => {
    const truncated = { status: 200, raw: '{"id":"chatcmpl-1","choices":[{"index":0,"mess' };
    server.reply(truncated, htmlPage(), truncated);
    const error = await openai({ maxRetries: 2 })
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'model_bad_response',
      retryable: true,
      message: 'The AI model service sent an answer we could not read.',
      details: { status: 200, problem: 'a body that is not JSON' },
    });
    expect(server.requests).toHaveLength(3);
  });

  it('refuses an answer over the size cap without reading it whole, and without retrying', async () => {
    server.reply(ok({ content: 'x'.repeat(20_000) }));
    const error = await openai({ maxAnswerBytes: 8_192 })
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'model_answer_too_large', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  it('gives the whole call a deadline: a hung server fails it as model_timeout, retryable, on time', async () => {
    server.reply({ ...ok(), delayMs: 4000 }, { ...ok(), delayMs: 4000 }, { ...ok(), delayMs: 4000 });
    const started = performance.now();
    const error = await openai({ timeoutMs: 5000, callTimeoutMs: 800 })
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'model_timeout', retryable: true });
    expect((error as Error).message).toBe('The AI model did not answer within 1 s.');
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('retries a 500 and succeeds', async () => {
    server.reply(apiError(500, { 'retry-after-ms': '20' }), ok({ content: 'recovered' }));
    await expect(openai().complete(request())).resolves.toMatchObject({ text: 'recovered' });
    expect(server.requests).toHaveLength(2);
  });

  it('gives up on 5xx with a TransientError after the retries', async () => {
    server.reply(apiError(503, { 'retry-after-ms': '10' }), apiError(502, { 'retry-after-ms': '10' }));
    const error = await openai({ maxRetries: 1 })
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(error).toMatchObject({ details: { status: 502 } });
    expect(server.requests).toHaveLength(2);
  });

  it('turns a 400 into a permanent model_error without retrying', async () => {
    server.reply(apiError(400, {}, 'invalid_value'));
    const error = await openai()
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaypointError);
    expect(error).not.toBeInstanceOf(TransientError);
    expect(error).toMatchObject({
      code: 'model_error',
      retryable: false,
      details: { status: 400, code: 'invalid_value' },
    });
    expect(server.requests).toHaveLength(1);
  });

  it('answers malformed structured output as a final answer with output undefined', async () => {
    server.reply(ok({ content: '{"city": "El Chal', finishReason: 'length' }));
    const response = await openai().complete(request({ output: { name: 'plan', schema: strictSchema } }));
    expect(response).toMatchObject({
      kind: 'final',
      text: '{"city": "El Chal',
      output: undefined,
      finishReason: 'length',
    });
  });

  it('surfaces tool-call arguments that are not JSON as {} with invalidArguments, for a repair turn', async () => {
    server.reply(
      ok({ toolCalls: [{ id: 'call_9', name: 'flights_search_flights', arguments: '{"origin": EZE' }] }),
    );
    const response = await openai().complete(request({ tools: [searchTool] }));
    expect(response).toMatchObject({
      kind: 'tool_calls',
      toolCalls: [
        { id: 'call_9', name: 'flights.search_flights', arguments: {}, invalidArguments: '{"origin": EZE' },
      ],
    });
  });

  it('passes a refusal on as the final text, with no structured output', async () => {
    server.reply(ok({ content: null, refusal: 'I cannot help with that.' }));
    const response = await openai().complete(request({ output: { name: 'plan', schema: strictSchema } }));
    expect(response).toMatchObject({ kind: 'final', text: 'I cannot help with that.', output: undefined });
  });

  it('counts usage itself when a compatible server sends none', async () => {
    server.reply(ok({ content: 'hello world', usage: null }));
    const response = await openai().complete(request());
    expect(response.usage.outputTokens).toBe(2);
    expect(response.usage.inputTokens).toBeGreaterThan(5);
  });

  it('refuses a negative or impossible token usage with a permanent model_usage_invalid, without retrying', async () => {
    server.reply(ok({ content: 'fine', usage: { prompt_tokens: -750_000, completion_tokens: 10 } }));
    const error = await openai()
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'model_usage_invalid',
      retryable: false,
      details: { reported: { inputTokens: -750_000, outputTokens: 10 } },
    });
    expect(server.requests).toHaveLength(1);

    server.reset();
    server.reply(ok({ content: 'fine', usage: { prompt_tokens: 10, completion_tokens: 5_000 } }));
    await expect(openai().complete(request({ maxOutputTokens: 100 }))).rejects.toMatchObject({
      code: 'model_usage_invalid',
    });
  });

  it('turns a lost connection into a TransientError after its retries', async () => {
    server.reply({ drop: true }, { drop: true });
    const error = await openai({ maxRetries: 1 })
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(server.requests).toHaveLength(2);
  });

  it('turns a timeout into a TransientError', async () => {
    server.reply({ ...ok(), delayMs: 3000 });
    const started = performance.now();
    const error = await openai({ maxRetries: 0, timeoutMs: 300 })
      .complete(request())
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    expect(performance.now() - started).toBeLessThan(2500);
  });

  it('stops when the caller aborts, with a non-retryable cancelled error', async () => {
    server.reply({ ...ok(), delayMs: 3000 });
    const controller = new AbortController();
    const call = openai()
      .complete(request(), { signal: controller.signal })
      .catch((e: unknown) => e);
    // Abort once the server has the request: a request still on its way when the test ended
    // would arrive during the next test and take that test's queued reply (seen on a busy machine).
    await waitUntil('the server has the request', () => server.requests.length > 0, { timeoutMs: 30_000 });
    controller.abort();
    const error = await call;
    expect(error).toMatchObject({ code: 'cancelled', retryable: false });
  });

  it('talks to a keyless OpenAI-compatible server (Ollama, vLLM) without an Authorization header, with max_tokens', async () => {
    server.reply(ok({ content: 'hi', model: 'llama3.1:8b' }));
    const local = new OpenAICompatibleProvider({
      target: 'openai-compatible',
      model: 'llama3.1:8b',
      baseUrl: `${server.origin}/v1`,
    });
    const response = await local.complete(request({ maxOutputTokens: 64 }));
    expect(response).toMatchObject({ provider: 'openai.compatible', model: 'llama3.1:8b', text: 'hi' });
    const [sent] = server.requests;
    expect(sent.headers.authorization).toBeUndefined();
    expect(sent.body.max_tokens).toBe(64);
    expect(sent.body.max_completion_tokens).toBeUndefined();
  });
});

describe('Azure OpenAI with Microsoft Entra ID', () => {
  it('calls /openai/deployments/{d}/chat/completions?api-version=… with the credential’s bearer token and no key', async () => {
    server.reply(ok({ content: '{"city":"Ushuaia","days":3}', model: 'gpt-4o-2024-11-20' }));
    const credential = new FakeCredential();
    const azure = new OpenAICompatibleProvider({
      target: 'azure-openai',
      endpoint: `${server.origin}/`,
      deployment: 'trip-chat',
      apiVersion: '2024-10-21',
      credential,
    });
    const response = await azure.complete(request({ output: { name: 'plan', schema: strictSchema } }));

    expect(response).toMatchObject({
      provider: 'azure.ai.openai',
      model: 'gpt-4o-2024-11-20',
      output: { city: 'Ushuaia', days: 3 },
    });
    expect(azure.model).toBe('trip-chat');
    const [sent] = server.requests;
    expect(sent.path).toBe('/openai/deployments/trip-chat/chat/completions');
    expect(sent.query).toEqual({ 'api-version': '2024-10-21' });
    expect(sent.headers.authorization).toBe('Bearer fake-entra-token');
    expect(sent.headers['api-key']).toBeUndefined();
    expect(credential.scopes).toEqual([['https://cognitiveservices.azure.com/.default']]);
  });

  it('is what createModelProvider builds from azure-openai settings and an injected credential', async () => {
    server.reply(ok({ content: 'ok' }), ok({ content: 'ok again' }));
    const credential = new FakeCredential();
    const settings = loadModelSettings({
      MODEL_PROVIDER: 'azure-openai',
      AZURE_OPENAI_ENDPOINT: server.origin,
      AZURE_OPENAI_DEPLOYMENT: 'gpt-4o',
      AZURE_OPENAI_API_VERSION: '2025-04-01-preview',
    });
    const provider = createModelProvider(settings, { offlinePolicies: {}, credential });
    await provider.complete(request());
    await provider.complete(request());
    expect(
      server.requests.map((r) => [r.deployment, r.query['api-version'], r.headers.authorization]),
    ).toEqual([
      ['gpt-4o', '2025-04-01-preview', 'Bearer fake-entra-token'],
      ['gpt-4o', '2025-04-01-preview', 'Bearer fake-entra-token'],
    ]);
    // The bearer token provider caches the token until it nears expiry.
    expect(credential.scopes).toHaveLength(1);
  });
});

describe('createModelProvider', () => {
  it('builds an openai-compatible provider from settings, with the configured retries', async () => {
    server.reply(apiError(500, { 'retry-after-ms': '10' }), apiError(500, { 'retry-after-ms': '10' }));
    const settings = loadModelSettings({
      MODEL_PROVIDER: 'openai-compatible',
      OPENAI_BASE_URL: `${server.origin}/v1`,
      MODEL_NAME: 'qwen2.5',
      OPENAI_API_KEY: 'local-key',
      MODEL_MAX_RETRIES: '1',
      MODEL_PRICES_JSON: '{"qwen2.5": {"input": 0, "output": 0}}',
    });
    const provider = createModelProvider(settings, { offlinePolicies: {} });
    await expect(provider.complete(request())).rejects.toBeInstanceOf(TransientError);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].headers.authorization).toBe('Bearer local-key');
    expect(server.requests[0].body.model).toBe('qwen2.5');
  });

  it('builds the offline model by default, with the given policies', async () => {
    const provider = createModelProvider(loadModelSettings({}), {
      offlinePolicies: { planner: () => ({ text: 'offline answer' }) },
    });
    expect(provider.provider).toBe('waypoint.offline');
    await expect(provider.complete(request())).resolves.toMatchObject({ text: 'offline answer' });
    expect(server.requests).toHaveLength(0);
  });
});
