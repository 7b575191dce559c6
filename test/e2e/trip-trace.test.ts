/**
 * One trace per run, end to end on the local host: the trips API's request span is the root;
 * the host's Durable spans (`orchestration:{name}` once per instance, `activity:{name}` per
 * attempt), the model turns (`chat`, in their activity span), agent runs (`invoke_agent`), tool
 * calls (`execute_tool`, in their activity span), the MCP
 * servers' `tools/call` spans and the orchestrator's decisions all sit in that one trace, with
 * the GenAI attributes and token counts the model reported; a run that replays many times
 * records each decision once. Read back through GET /api/trips/{id}/trace.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceTreeSchema, type TraceSpanNode } from '../../src/telemetry/trace-tree';
import { startAppHost, type AppHost } from '../support/app-host';
import { tripsClient, type TripsClient } from '../support/trips-client';

let app: AppHost;
let trips: TripsClient;
beforeAll(async () => {
  app = await startAppHost();
  trips = tripsClient(app);
});
afterAll(async () => {
  await app.host.stop();
});

function flatten(
  nodes: readonly TraceSpanNode[],
  parent?: TraceSpanNode,
): { span: TraceSpanNode; parent?: TraceSpanNode }[] {
  return nodes.flatMap((span) => [{ span, ...(parent ? { parent } : {}) }, ...flatten(span.children, span)]);
}

describe('the run trace', () => {
  it('is one tree under the request span, with GenAI and MCP spans and each decision once', async () => {
    const started = await trips.api('POST', '/api/trips', {
      request: 'A hiking trip from Seattle to El Calafate for two, budget $5,000',
    });
    const id = started.body.id as string;
    await trips.waitFor(id, ['needs_input']);
    // Waiting, answering and resuming replays the orchestrator many times over.
    await trips.api('POST', `/api/trips/${id}/input`, { startDate: '2027-03-10', endDate: '2027-03-14' });
    const run = await trips.waitFor(id, ['completed']);

    const { status, body } = await trips.api('GET', `/api/trips/${id}/trace`);
    expect(status).toBe(200);
    const tree = TraceTreeSchema.parse(body);
    expect(tree.traceId).toBe(run.traceId);
    const all = flatten(tree.spans);
    // One root: the request that started the run; everything else hangs under it.
    expect(tree.spans.map((s) => s.name)).toEqual(['POST /api/trips']);
    // The tree is read by trace id: every span in it belongs to the run's one trace.
    expect(tree.spanCount).toBe(all.length);

    const named = (prefix: string) => all.filter(({ span }) => span.name.startsWith(prefix));
    const root = tree.spans[0];

    // The host's Durable spans (as the extension's tracing V2): one per activity attempt, under
    // the request span the DurableClient's traceparent carried to the orchestration.
    const activities = named('activity:');
    const activityNames = new Set(activities.map(({ span }) => span.name));
    expect(activityNames).toContain('activity:agentTurn');
    expect(activityNames).toContain('activity:callTool');
    for (const { span, parent } of activities) {
      expect(span.kind).toBe('SERVER');
      expect(parent?.spanId).toBe(root.spanId);
      expect(span.attributes).toMatchObject({
        'durabletask.type': 'activity',
        'durabletask.task.name': span.name.slice('activity:'.length),
      });
      expect(typeof span.attributes['durabletask.task.instance_id']).toBe('string');
      expect(typeof span.attributes['durabletask.task.task_id']).toBe('number');
      expect(span.status.code).toBe('UNSET');
    }
    // One orchestration span per instance, although every instance replayed many times.
    const planner = named('orchestration:tripPlanner');
    expect(planner).toHaveLength(1);
    expect(planner[0].parent?.spanId).toBe(root.spanId);
    expect(planner[0].span.attributes).toMatchObject({
      'durabletask.type': 'orchestration',
      'durabletask.task.instance_id': id,
      'durabletask.runtime_status': 'Completed',
    });
    const instances = named('orchestration:').map(
      ({ span }) => span.attributes['durabletask.task.instance_id'],
    );
    expect(new Set(instances).size).toBe(instances.length);

    const chats = named('chat ');
    expect(chats.length).toBeGreaterThanOrEqual(10);
    for (const { span, parent } of chats) {
      // Each model turn sits in the agentTurn activity attempt that made it.
      expect(parent?.name).toBe('activity:agentTurn');
      expect(span.kind).toBe('CLIENT');
      expect(span.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'waypoint.offline',
        'gen_ai.request.model': 'waypoint-offline-1',
        'waypoint.run.id': id,
      });
      expect(span.attributes['gen_ai.usage.input_tokens']).toBeGreaterThan(0);
    }
    // Token counts on the spans are exactly what the model reported (the run's token budget usage).
    const tokens = chats.reduce(
      (sum, { span }) =>
        sum +
        Number(span.attributes['gen_ai.usage.input_tokens']) +
        Number(span.attributes['gen_ai.usage.output_tokens']),
      0,
    );
    expect(tokens).toBe(run.budgets.usage.tokens);

    const agents = named('invoke_agent ').map(({ span }) => span.attributes['gen_ai.agent.name']);
    expect(agents.sort()).toEqual([
      'flights',
      'hotels',
      'itinerary',
      'planner',
      'restaurants',
      'router',
      'supervisor',
      'weather',
    ]);

    const tools = named('execute_tool ');
    expect(tools.map(({ span }) => span.name).sort()).toEqual([
      'execute_tool get_forecast',
      'execute_tool search_flights',
      'execute_tool search_hotels',
      'execute_tool search_restaurants',
    ]);
    for (const { span, parent } of tools) {
      expect(parent?.name).toBe('activity:callTool');
      expect(span.attributes).toMatchObject({
        'gen_ai.tool.type': 'function',
        'mcp.method.name': 'tools/call',
      });
      // The MCP server continued the trace: its span is the tool call's child.
      expect(span.children.map((c) => c.name)).toContain(
        `tools/call ${String(span.attributes['gen_ai.tool.name'])}`,
      );
      expect(span.children.find((c) => c.name.startsWith('tools/call'))?.kind).toBe('SERVER');
    }

    // Decisions: recorded once each although the orchestrator replayed many times.
    const decisions = named('decision ').map(({ span }) => span.name);
    const counts = decisions.reduce<Record<string, number>>((c, n) => ({ ...c, [n]: (c[n] ?? 0) + 1 }), {});
    expect(counts['decision route.chosen']).toBe(1);
    expect(counts['decision validation.failed']).toBe(1);
    expect(counts['decision plan.checked']).toBe(1);
    expect(counts['decision run.finished']).toBe(1);
    // No span at all is duplicated.
    const ids = all.map(({ span }) => span.spanId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('answers 404 for a run that does not exist', async () => {
    const { status, body } = await trips.api('GET', '/api/trips/trip-00000000000000000000000000000000/trace');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});
