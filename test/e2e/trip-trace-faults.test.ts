/**
 * Failures in the run trace, end to end on the local host: with the weather server's
 * fault injection answering its first two `tools/call` requests 503, a full offline trip still
 * completes, and GET /api/trips/{id}/trace shows each failed attempt as an error `execute_tool`
 * span (`error.type`), each retry as a `waypoint.retry` event on the next attempt, and the MCP
 * server's `tools/call` span of each failed attempt with its own `error.type`. A tool that fails
 * for good (an unknown city, forced by a scripted model) shows as one error `execute_tool` span at
 * that step, not retried.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '../../src/mcp-servers/http/faults';
import { ScriptedModel, turn, type ScriptedTurn } from '../../src/models/scripted-model';
import type { ModelRequest } from '../../src/models/types';
import { TraceTreeSchema, type TraceSpanNode, type TraceTree } from '../../src/telemetry/trace-tree';
import { runResourceSchema, type RunResource } from '../../src/travel/api/run-resource';
import { TRAVEL_OFFLINE_POLICIES } from '../../src/travel/offline/policies';
import { startAppHost, type AppHost } from '../support/app-host';

/** Failed attempts of get_forecast before it answers. */
const WEATHER_FAILURES = 2;
const FAULT_RATE = 0.5;

/**
 * A fault seed whose decisions are: the first `failures` tool calls answered 503, the next
 * `clean` ones served. The injector draws from a seeded generator, so the seed fixes the
 * sequence; searching for it here (with the app's own FaultInjector) keeps the test honest if
 * the generator changes.
 */
function seedFailingFirst(failures: number, clean: number): number {
  for (let seed = 1; seed < 5_000_000; seed++) {
    const injector = new FaultInjector({ transientErrorRate: FAULT_RATE, seed });
    let matches = true;
    for (let call = 0; call < failures + clean && matches; call++) {
      matches = injector.plan().transientError === call < failures;
    }
    if (matches) return seed;
  }
  throw new Error(`no fault seed fails exactly the first ${failures} calls`);
}

let app: AppHost;
beforeAll(async () => {
  // Every later get_forecast in this file (the second test's run included) is served.
  const seed = seedFailingFirst(WEATHER_FAILURES, 12);
  app = await startAppHost({
    MCP_FAULTS_WEATHER: JSON.stringify({ transientErrorRate: FAULT_RATE, seed }),
    // Short waits between attempts: the test is about what the trace shows, not the backoff.
    TRIP_RETRY_TOOL_READ: '{"firstRetryIntervalMs":100,"maxRetryIntervalMs":200}',
  });
});
afterAll(async () => {
  await app.host.stop();
});
afterEach(() => app.useModel(undefined));

async function api(method: string, path: string, body?: unknown) {
  const response = await app.host.fetch(path, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

const FINAL = ['completed', 'failed', 'budget_exceeded', 'cancelled', 'rejected'];

async function runToEnd(request: string): Promise<RunResource> {
  const started = await api('POST', '/api/trips', { request });
  expect(started.status, JSON.stringify(started.body)).toBe(202);
  const id = runResourceSchema.parse(started.body).id;
  const deadline = Date.now() + 60_000;
  for (;;) {
    const run = runResourceSchema.parse((await api('GET', `/api/trips/${id}`)).body);
    if (FINAL.includes(run.status) || run.status === 'needs_input' || run.status === 'awaiting_approval')
      return run;
    if (Date.now() > deadline) throw new Error(`run ${id} is still ${run.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function traceOf(run: RunResource): Promise<TraceTree> {
  const { status, body } = await api('GET', `/api/trips/${run.id}/trace`);
  expect(status, JSON.stringify(body)).toBe(200);
  const tree = TraceTreeSchema.parse(body);
  expect(tree.traceId).toBe(run.traceId);
  return tree;
}

interface Placed {
  span: TraceSpanNode;
  parent: TraceSpanNode | undefined;
}

function flatten(nodes: readonly TraceSpanNode[], parent?: TraceSpanNode): Placed[] {
  return nodes.flatMap((span) => [{ span, parent }, ...flatten(span.children, span)]);
}

/** The spans named `name`, in start order. */
function spansNamed(tree: TraceTree, name: string): Placed[] {
  return flatten(tree.spans)
    .filter(({ span }) => span.name === name)
    .sort((a, b) => a.span.startTime.localeCompare(b.span.startTime));
}

/** The one `tools/call {tool}` server span under an `execute_tool` span. */
function serverSpanOf(client: TraceSpanNode, tool: string): TraceSpanNode {
  const servers = client.children.filter((child) => child.name === `tools/call ${tool}`);
  expect(servers, `${client.name} ${client.spanId} has one server span`).toHaveLength(1);
  return servers[0];
}

const TRIP = 'Plan a 4-day hiking trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000';

describe('the run trace when tools fail', () => {
  it('shows transient failures as error spans and their retries as events, and the run completes', async () => {
    const run = await runToEnd(TRIP);
    expect(run.status, JSON.stringify(run.error ?? {})).toBe('completed');
    expect(run.result?.itinerary?.days.length).toBe(5);
    // The weather step succeeded in the end: the retries are not failures of the run.
    const weatherStep = run.progress.steps.filter(
      (s) => s.kind === 'tool' && s.name === 'weather.get_forecast',
    );
    expect(weatherStep.map((s) => s.status)).toEqual(['completed']);

    const tree = await traceOf(run);
    expect(tree.spans.map((s) => s.name)).toEqual(['invoke_workflow tripPlanner']);
    const [weatherAgent] = spansNamed(tree, 'invoke_agent weather');

    const attempts = spansNamed(tree, 'execute_tool get_forecast');
    expect(attempts).toHaveLength(WEATHER_FAILURES + 1);
    const callId = attempts[0].span.attributes['gen_ai.tool.call.id'];
    const key = attempts[0].span.attributes['waypoint.idempotency_key'];
    expect(typeof callId).toBe('string');
    expect(typeof key).toBe('string');

    const byId = (spanId: string | null | undefined) =>
      flatten(tree.spans).find(({ span }) => span.spanId === spanId);
    // Each attempt is its own run of the callTool activity, with its own Durable spans.
    const activities = attempts.map(({ span }) => byId(span.links[0]?.spanId));
    expect(new Set(activities.map((a) => a?.span.spanId)).size).toBe(attempts.length);
    attempts.forEach(({ span, parent }, index) => {
      const attempt = index + 1;
      const failed = attempt <= WEATHER_FAILURES;
      // Every attempt sits under the weather agent and names the same call; it is tied to the
      // activity attempt that ran it, which sits under the agent's orchestration.
      expect(parent?.spanId).toBe(weatherAgent.span.spanId);
      const activity = activities[index];
      expect(activity?.span).toMatchObject({ name: 'activity:callTool', kind: 'SERVER' });
      expect(activity?.parent).toMatchObject({ name: 'activity:callTool', kind: 'CLIENT' });
      expect(byId(activity?.parent?.parentSpanId)?.span.name).toBe('orchestration:agentLoop');
      // A retryable failure is thrown out of the activity: its Durable spans fail too.
      expect(activity?.span.status.code).toBe(failed ? 'ERROR' : 'UNSET');
      expect(activity?.parent?.status.code).toBe(failed ? 'ERROR' : 'UNSET');
      expect(span.kind).toBe('CLIENT');
      expect(span.attributes).toMatchObject({
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'get_forecast',
        'gen_ai.tool.type': 'function',
        'gen_ai.tool.call.id': callId,
        'mcp.method.name': 'tools/call',
        'server.address': '127.0.0.1',
        'waypoint.agent': 'weather',
        'waypoint.tool.server': 'weather',
        'waypoint.idempotency_key': key,
        'waypoint.run.id': run.id,
      });
      expect(typeof span.attributes['jsonrpc.request.id']).toBe('string');

      // A retry says so: the attempt number, and an event with the previous attempt's error.type.
      const retries = span.events.filter((e) => e.name === 'waypoint.retry');
      if (attempt === 1) {
        expect(span.attributes).not.toHaveProperty('waypoint.retry.attempt');
        expect(retries).toEqual([]);
      } else {
        expect(span.attributes['waypoint.retry.attempt']).toBe(attempt);
        expect(retries).toHaveLength(1);
        expect(retries[0].attributes).toEqual({
          'waypoint.retry.attempt': attempt,
          'error.type': 'transient',
        });
        // It came after the failed attempt ended (Durable waited, then ran the activity again).
        expect(Date.parse(span.startTime)).toBeGreaterThanOrEqual(
          Date.parse(attempts[index - 1].span.endTime),
        );
      }

      const server = serverSpanOf(span, 'get_forecast');
      expect(server.kind).toBe('SERVER');
      expect(server.parentSpanId).toBe(span.spanId);
      expect(server.attributes).toMatchObject({
        'mcp.method.name': 'tools/call',
        'gen_ai.tool.name': 'get_forecast',
        'waypoint.tool.server': 'weather',
        'jsonrpc.request.id': span.attributes['jsonrpc.request.id'],
      });

      if (failed) {
        expect(span.status).toEqual({ code: 'ERROR', message: 'weather.get_forecast failed with HTTP 503.' });
        expect(span.attributes['error.type']).toBe('transient');
        expect(span.attributes).not.toHaveProperty('waypoint.idempotent_replay');
        const exceptions = span.events.filter((e) => e.name === 'exception');
        expect(exceptions).toHaveLength(1);
        expect(exceptions[0].attributes).toMatchObject({
          'exception.type': 'transient',
          'exception.message': 'weather.get_forecast failed with HTTP 503.',
        });
        // The server refused before doing any work: its span carries the HTTP status as error.type.
        expect(server.status.code).toBe('ERROR');
        expect(server.attributes).toMatchObject({ 'error.type': '503', 'rpc.jsonrpc.error_code': -32000 });
      } else {
        expect(span.status.code).toBe('UNSET');
        expect(span.attributes).not.toHaveProperty('error.type');
        expect(span.attributes['waypoint.idempotent_replay']).toBe(false);
        expect(span.events.map((e) => e.name)).toEqual(['waypoint.retry']);
        expect(server.status.code).toBe('UNSET');
        expect(server.attributes).not.toHaveProperty('error.type');
      }
    });

    // The other tools were called once each and succeeded; nothing else failed.
    for (const tool of ['search_flights', 'search_hotels', 'search_restaurants']) {
      const calls = spansNamed(tree, `execute_tool ${tool}`);
      expect(calls, tool).toHaveLength(1);
      expect(calls[0].span.status.code).toBe('UNSET');
      expect(calls[0].span.events).toEqual([]);
      expect(serverSpanOf(calls[0].span, tool).status.code).toBe('UNSET');
    }
    const errors = flatten(tree.spans).filter(({ span }) => span.status.code === 'ERROR');
    expect(errors.map(({ span }) => span.name).sort()).toEqual([
      // The attempt and the orchestration's wait on it (its CLIENT span).
      ...Array.from({ length: 2 * WEATHER_FAILURES }, () => 'activity:callTool'),
      ...Array.from({ length: WEATHER_FAILURES }, () => 'execute_tool get_forecast'),
      ...Array.from({ length: WEATHER_FAILURES }, () => 'tools/call get_forecast'),
    ]);
    // The weather agent's run is one span, completed: the retries happened inside its one tool call.
    const weather = spansNamed(tree, 'invoke_agent weather');
    expect(weather).toHaveLength(1);
    expect(weather[0].span.status.code).toBe('UNSET');
    expect(weather[0].span.attributes).toMatchObject({
      'waypoint.agent.status': 'completed',
      'waypoint.agent.tool_calls': 1,
    });
  });

  it('shows a tool that fails for good as one error execute_tool span at that step, not retried', async () => {
    const unknownCity = 'Qzxwvutopia';
    const offline = (agent: string) => (request: ModelRequest) => TRAVEL_OFFLINE_POLICIES[agent](request);
    const script = Object.fromEntries(
      Object.keys(TRAVEL_OFFLINE_POLICIES).map((agent) => [agent, offline(agent)]),
    ) as Record<string, (request: ModelRequest, call: number) => ScriptedTurn>;
    // The hotels agent's first turn asks for a city no gazetteer knows; after that it plays the offline policy.
    const hotels = script.hotels;
    script.hotels = (request, call) =>
      call === 0
        ? turn.toolCall('hotels.search_hotels', {
            city: unknownCity,
            checkIn: '2027-03-10',
            checkOut: '2027-03-14',
            guests: 2,
          })
        : hotels(request, call);
    app.useModel(new ScriptedModel(script));

    const run = await runToEnd(TRIP);
    // The hotels agent answered "No hotels: <the tool's message>", and a trip without a hotel
    // fails cleanly, saying why.
    expect(run.status).toBe('failed');
    expect(run.error?.code).toBe('no_offers');
    expect(run.error?.message).toContain(`No hotels: city: no airport or city matches "${unknownCity}"`);
    // The step that failed, as the progress tells it: the tool step, failed with the tool's error code.
    const hotelSteps = run.progress.steps.filter(
      (s) => s.kind === 'tool' && s.name === 'hotels.search_hotels',
    );
    expect(hotelSteps[0]).toMatchObject({ status: 'failed', detail: 'tool_error' });

    const tree = await traceOf(run);
    const root = tree.spans[0];
    // The run failed: its root says so.
    expect(root).toMatchObject({
      name: 'invoke_workflow tripPlanner',
      status: { code: 'ERROR' },
      attributes: { 'waypoint.run.status': 'failed', 'error.type': 'no_offers' },
    });
    const calls = spansNamed(tree, 'execute_tool search_hotels');
    const failed = calls.filter(({ span }) => span.status.code === 'ERROR');
    expect(failed).toHaveLength(1);
    const { span, parent } = failed[0];
    // It is the first hotels call, the one the scripted turn made.
    expect(span.spanId).toBe(calls[0].span.spanId);
    // Under the hotels agent; its callTool activity did not fail: the error went back to the model.
    expect(parent?.name).toBe('invoke_agent hotels');
    const activity = flatten(tree.spans).find(({ span: s }) => s.spanId === span.links[0]?.spanId);
    expect(activity?.span.name).toBe('activity:callTool');
    expect(activity?.span.status.code).toBe('UNSET');
    expect(span.kind).toBe('CLIENT');
    expect(span.status.message).toContain(`no airport or city matches "${unknownCity}"`);
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search_hotels',
      'gen_ai.tool.type': 'function',
      'mcp.method.name': 'tools/call',
      'waypoint.agent': 'hotels',
      'waypoint.tool.server': 'hotels',
      'waypoint.run.id': run.id,
      'error.type': 'tool_error',
    });
    // Permanent: no retry, and a typed failure records no synthetic exception.
    expect(span.attributes).not.toHaveProperty('waypoint.retry.attempt');
    expect(span.events).toEqual([]);
    const callId = span.attributes['gen_ai.tool.call.id'];
    expect(calls.filter(({ span: s }) => s.attributes['gen_ai.tool.call.id'] === callId)).toHaveLength(1);

    // Both sides say tool_error, as the MCP conventions want for a tool result with isError, and
    // name the tool's own code beside it (it was the server's code on error.type).
    expect(span.attributes['waypoint.tool.error_code']).toBe('unknown_place');
    const server = serverSpanOf(span, 'search_hotels');
    expect(server.kind).toBe('SERVER');
    expect(server.status.code).toBe('ERROR');
    expect(server.attributes).toMatchObject({
      'gen_ai.tool.name': 'search_hotels',
      'waypoint.tool.server': 'hotels',
      'jsonrpc.request.id': span.attributes['jsonrpc.request.id'],
      'error.type': 'tool_error',
      'waypoint.tool.error_code': 'unknown_place',
    });
    expect(server.attributes).not.toHaveProperty('rpc.jsonrpc.error_code');

    // The model saw the failure and answered on: the hotels agent's next turn follows the failed call.
    const hotelTurns = flatten(tree.spans)
      .filter(({ span: s }) => s.name.startsWith('chat ') && s.attributes['gen_ai.agent.name'] === 'hotels')
      .sort((a, b) => a.span.startTime.localeCompare(b.span.startTime));
    expect(hotelTurns.length).toBeGreaterThanOrEqual(2);
    expect(hotelTurns[0].span.attributes['gen_ai.provider.name']).toBe('waypoint.scripted');
    expect(hotelTurns[0].span.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
    expect(Date.parse(hotelTurns[1].span.startTime)).toBeGreaterThanOrEqual(Date.parse(span.endTime));
  });
});
