/**
 * The trace of a full booking run, end to end on the local host, read back through
 * GET /api/trips/{id}/trace: it reads like the run. One root, the run's `invoke_workflow` span
 * with its outcome; under it the request that started the run, the Durable tree (orchestration →
 * activity CLIENT → activity SERVER, sub-orchestrations under their parent), and in each
 * orchestration its agents (`invoke_agent` → `chat` / `execute_tool` → the MCP server's
 * `tools/call`), its decisions (each once, although the orchestrator replayed many times) and its
 * waits for a person (`wait input`, `wait approval`, with their outcome), each holding the event
 * the person's request raised, linked to that request's own trace. Token counts add up to the
 * run's usage.
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { TraceStore } from '../../src/telemetry/trace-store';
import { TraceTreeSchema } from '../../src/telemetry/trace-tree';
import type { AppHost } from '../support/app-host';
import { runAppForTests } from '../support/trips-app';
import { ancestors, BOOKING_WITHOUT_DATES, expectRunTree, named, TRIP_AGENTS } from '../support/trace-checks';
import type { TripsClient } from '../support/trips-client';

let app: AppHost;
let trips: TripsClient;
runAppForTests((started, client) => {
  app = started;
  trips = client;
});

describe('the run trace', () => {
  it('is one tree that reads like the run: workflow → orchestration → agent → turn → tool → server', async () => {
    const id = await trips.start(BOOKING_WITHOUT_DATES);
    await trips.waitFor(id, ['needs_input']);
    // Waiting, answering and resuming replays the orchestrator many times over.
    expect(
      (await trips.api('POST', `/api/trips/${id}/input`, { startDate: '2027-03-10', endDate: '2027-03-14' }))
        .status,
    ).toBe(202);
    await trips.waitFor(id, ['awaiting_approval']);
    expect((await trips.api('POST', `/api/trips/${id}/approval`, { approved: true })).status).toBe(202);
    const run = await trips.waitFor(id, ['completed']);
    expect(run.result?.bookings?.map((b) => b.status)).toEqual(['confirmed', 'confirmed']);

    const { status, body } = await trips.api('GET', `/api/trips/${id}/trace`);
    expect(status).toBe(200);
    const tree = TraceTreeSchema.parse(body);
    expect(tree.traceId).toBe(run.traceId);
    const all = expectRunTree(tree, {
      runId: id,
      status: 'completed',
      tokens: run.budgets.usage.tokens,
      agents: TRIP_AGENTS,
    });
    const [planner] = named(all, 'orchestration:tripPlanner');

    // GenAI attributes on the model turns and tool calls.
    for (const { span } of named(all, 'chat ')) {
      expect(span.kind).toBe('CLIENT');
      expect(span.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'waypoint.offline',
        'gen_ai.request.model': 'waypoint-offline-1',
        'waypoint.run.id': id,
      });
      expect(span.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    }
    // The specialists' searches; the planner's own calls: each chosen offer looked up again on
    // its server before it is quoted and again before it is booked, then the bookings.
    const toolCalls = named(all, 'execute_tool ').map(({ span }) => [
      span.attributes['gen_ai.agent.name'],
      span.attributes['gen_ai.tool.name'],
    ]);
    expect(toolCalls.filter(([agent]) => TRIP_AGENTS.includes(String(agent))).sort()).toEqual([
      ['flights', 'search_flights'],
      ['hotels', 'search_hotels'],
      ['restaurants', 'search_restaurants'],
      ['weather', 'get_forecast'],
    ]);
    expect(toolCalls.filter(([agent]) => !TRIP_AGENTS.includes(String(agent))).sort()).toEqual([
      ['booking', 'book_flight'],
      ['booking', 'book_hotel'],
      ['quote', 'get_flight_details'],
      ['quote', 'get_flight_details'],
      ['quote', 'get_hotel_details'],
      ['quote', 'get_hotel_details'],
    ]);
    for (const { span } of named(all, 'execute_tool ')) {
      expect(span.attributes).toMatchObject({
        'gen_ai.tool.type': 'function',
        'mcp.method.name': 'tools/call',
      });
      // The bookings are the run's own calls: in its trace, inside its orchestration's time.
      expect(ancestors(all, span).map((s) => s.name)).toContain('invoke_workflow tripPlanner');
    }
    // The specialists ran as sub-orchestrations, each under the run's orchestration.
    const loops = named(all, 'orchestration:agentLoop').filter(({ span }) => span.kind === 'SERVER');
    expect(loops.map(({ span }) => span.attributes['durabletask.task.instance_id']).sort()).toEqual(
      ['flights', 'hotels', 'restaurants', 'weather'].map((a) => `${id}:${a}:0:${a}`),
    );
    for (const { span } of loops) expect(ancestors(all, span)).toContain(planner.span);

    // The waits for a person, each with its outcome, in the orchestration.
    const waits = named(all, 'wait ');
    expect(waits.map(({ span }) => [span.name, span.attributes['waypoint.wait.outcome']])).toEqual([
      ['wait input', 'reply'],
      ['wait approval', 'reply'],
    ]);
    for (const { parent } of waits) expect(parent?.spanId).toBe(planner.span.spanId);

    // The person's answers are in the run's trace: each request's event under the wait it ended,
    // linked to the request, whose own trace links back to the wait.
    const requests = TraceStore.open({
      path: join(app.dataDir, 'traces.sqlite'),
      maxAgeMs: 3_600_000,
      maxSpans: 100_000,
    });
    try {
      for (const [{ span: wait }, event, route] of [
        [waits[0], 'input', `POST /api/trips/{id}/input`],
        [waits[1], 'approval', `POST /api/trips/{id}/approval`],
      ] as const) {
        expect(wait.children.map((c) => [c.name, c.kind])).toEqual([
          [`orchestration_event:${event}`, 'PRODUCER'],
        ]);
        const sent = wait.children[0];
        expect(sent.attributes).toMatchObject({
          'durabletask.type': 'event',
          'durabletask.event.name': event,
          'durabletask.event.target_instance_id': id,
        });
        expect(sent.links).toHaveLength(1);
        const [link] = sent.links;
        expect(link.traceId).not.toBe(tree.traceId);
        const request = requests.readTraceTree(link.traceId)?.spans[0];
        expect(request).toMatchObject({ spanId: link.spanId, name: route, kind: 'SERVER' });
        expect(request?.attributes['waypoint.run.id']).toBe(id);
        expect(request?.links).toContainEqual(
          expect.objectContaining({ traceId: tree.traceId, spanId: wait.spanId }),
        );
      }
    } finally {
      requests.close();
    }

    // Decisions: recorded once each although the orchestrator replayed many times.
    const decisions = named(all, 'decision ').map(({ span }) => span.name);
    const counts = decisions.reduce<Record<string, number>>((c, n) => ({ ...c, [n]: (c[n] ?? 0) + 1 }), {});
    expect(counts).toMatchObject({
      'decision route.chosen': 1,
      'decision validation.failed': 1,
      'decision plan.checked': 1,
      'decision approval': 1,
      'decision run.finished': 1,
    });
  }, 120_000);

  it('answers 404 for a run that does not exist', async () => {
    const { status, body } = await trips.api('GET', '/api/trips/trip-00000000000000000000000000000000/trace');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});
