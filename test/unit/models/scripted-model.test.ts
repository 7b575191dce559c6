import { describe, expect, it } from 'vitest';
import { TransientError, WaypointError } from '../../../src/domain/errors';
import { ScriptedModel, turn } from '../../../src/models/scripted-model';
import { countRequestTokens } from '../../../src/models/tokens';
import type { ModelRequest } from '../../../src/models/types';

const tools: ModelRequest['tools'] = [
  { name: 'weather.get_forecast', description: 'Forecast.', parameters: { type: 'object', properties: {} } },
];

function request(agent: string, content = 'Weather in Oslo?', output = true): ModelRequest {
  return {
    agent,
    instructions: 'Be brief.',
    messages: [{ role: 'user', content }],
    tools,
    ...(output ? { output: { name: 'answer', schema: { type: 'object' } } } : {}),
  };
}

describe('ScriptedModel', () => {
  it('replays each agent its own turns, in order, and counts calls per agent', async () => {
    const model = new ScriptedModel({
      weather: [
        turn.toolCall('weather.get_forecast', { place: 'Oslo' }, 'call_fixed'),
        turn.output({ sunny: true }),
      ],
      router: [turn.output({ intent: 'weather' })],
    });
    const routed = await model.complete(request('router'));
    const first = await model.complete(request('weather'));
    const second = await model.complete(request('weather'));

    expect(routed).toMatchObject({
      kind: 'final',
      output: { intent: 'weather' },
      provider: 'waypoint.scripted',
    });
    expect(first).toMatchObject({
      kind: 'tool_calls',
      finishReason: 'tool_calls',
      toolCalls: [{ id: 'call_fixed', name: 'weather.get_forecast', arguments: { place: 'Oslo' } }],
    });
    expect(second).toMatchObject({ kind: 'final', finishReason: 'stop', output: { sunny: true } });
    expect(model.callCount()).toBe(3);
    expect(model.callCount('weather')).toBe(2);
    expect(model.callCount('router')).toBe(1);
    expect(model.remainingTurns()).toEqual({});
    expect(() => model.assertScriptConsumed()).not.toThrow();
  });

  it('records a deep copy of every request, with the response or the error', async () => {
    const model = new ScriptedModel({ weather: [turn.output({ ok: 1 }), turn.permanent('bad request')] });
    const sent = request('weather');
    await model.complete(sent);
    (sent.messages[0] as { content: string }).content = 'mutated later';
    await expect(model.complete(request('weather'))).rejects.toThrow('bad request');

    expect(model.requestsFor('weather')[0].messages[0]).toEqual({
      role: 'user',
      content: 'Weather in Oslo?',
    });
    expect(model.calls[0].response).toMatchObject({ kind: 'final' });
    expect(model.calls[1].error).toMatchObject({ code: 'model_error', retryable: false });
  });

  it('fails N times with a retryable error, then moves on', async () => {
    const model = new ScriptedModel({ weather: [turn.transient(2, 1500), turn.output({ ok: true })] });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await model.complete(request('weather')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransientError);
      expect(error).toMatchObject({ retryable: true, retryAfterMs: 1500 });
    }
    await expect(model.complete(request('weather'))).resolves.toMatchObject({ output: { ok: true } });
    expect(model.callCount('weather')).toBe(3);
  });

  it('answers malformed JSON as a final answer with output undefined (a repair case, not an error)', async () => {
    const model = new ScriptedModel({ weather: [turn.malformed()] });
    const response = await model.complete(request('weather'));
    expect(response).toMatchObject({ kind: 'final', text: '{"answer": "cut off mid', output: undefined });
  });

  it('delays a turn, and an abort stops the wait with a cancelled error', async () => {
    const model = new ScriptedModel({
      weather: [turn.delayed(150, turn.output(1)), turn.delayed(10_000, turn.output(2))],
    });
    const started = performance.now();
    await expect(model.complete(request('weather'))).resolves.toMatchObject({ output: 1 });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);

    const controller = new AbortController();
    const pending = model.complete(request('weather'), { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    const abortedAt = performance.now();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled', retryable: false });
    expect(performance.now() - abortedAt).toBeLessThan(5000);
  });

  it('decides turns with a responder function, given the request and the call number', async () => {
    const model = new ScriptedModel({
      weather: (req, call) =>
        call === 0
          ? turn.transient()
          : turn.output({ echoed: (req.messages[0] as { content: string }).content, call }),
    });
    await expect(model.complete(request('weather'))).rejects.toBeInstanceOf(TransientError);
    await expect(model.complete(request('weather', 'Lima?'))).resolves.toMatchObject({
      output: { echoed: 'Lima?', call: 1 },
    });
  });

  it('counts usage with the real tokenizer unless the turn pins it, and reports a chosen model name', async () => {
    const model = new ScriptedModel(
      {
        weather: [
          turn.output({ a: 1 }),
          { ...turn.output({ a: 2 }), usage: { inputTokens: 5000, outputTokens: 700 } },
        ],
      },
      { model: 'gpt-4o' },
    );
    const counted = await model.complete(request('weather'));
    expect(counted.usage.inputTokens).toBe(countRequestTokens(request('weather')));
    expect(counted.model).toBe('gpt-4o');
    expect((await model.complete(request('weather'))).usage).toEqual({
      inputTokens: 5000,
      outputTokens: 700,
    });
  });

  it('fails permanently, and clearly, when the script runs out or has no turns for the agent', async () => {
    const model = new ScriptedModel({ weather: [turn.output(1)] });
    await model.complete(request('weather'));
    await expect(model.complete(request('weather'))).rejects.toThrow(/exhausted after 1 turn/);
    const unknown = await model.complete(request('flights')).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(WaypointError);
    expect(unknown).toMatchObject({ code: 'model_error', retryable: false });
  });

  it('reports unplayed turns', async () => {
    const model = new ScriptedModel({ weather: [turn.output(1), turn.output(2)], router: [turn.output(3)] });
    await model.complete(request('weather'));
    expect(model.remainingTurns()).toEqual({ weather: 1, router: 1 });
    expect(() => model.assertScriptConsumed()).toThrow(/turns left/);
  });

  it('replays a call to a tool the request does not offer (a model making a tool up), as scripted', async () => {
    const model = new ScriptedModel({
      weather: [turn.toolCall('flights.search_flights', { origin: 'OSL' })],
    });
    await expect(model.complete(request('weather'))).resolves.toMatchObject({
      kind: 'tool_calls',
      toolCalls: [{ name: 'flights.search_flights', arguments: { origin: 'OSL' } }],
    });
  });

  it('refuses a tool-call turn without calls (no model answers that way)', async () => {
    const model = new ScriptedModel({ weather: [turn.toolCalls()] });
    await expect(model.complete(request('weather'))).rejects.toMatchObject({ code: 'model_error' });
  });
});
