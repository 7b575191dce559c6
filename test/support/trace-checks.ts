/**
 * The shape a run's trace must have, checked on the tree GET /api/trips/{id}/trace answers with:
 * one root (the run's `invoke_workflow` span, with its outcome), the Durable tree (every activity
 * under its orchestration, every sub-orchestration under its parent) and the GenAI tree (every
 * `chat` and `execute_tool` of an agent under its `invoke_agent`, every MCP server span under its
 * `execute_tool`), no span twice, and token counts that add up to the run's usage. Used by the
 * structural test of a full run and by the crash tests, which must find the same shape.
 */
import { expect } from 'vitest';
import type { TraceSpanNode, TraceTree } from '../../src/telemetry/trace-tree';

/** A trip to book, without dates: the run asks for them, then for approval. */
export const BOOKING_WITHOUT_DATES = {
  request: 'A hiking trip from Seattle to El Calafate for two, budget $5,000',
  book: true,
  contactEmail: 'ada@example.org',
  travellerNames: [
    { firstName: 'Ada', lastName: 'Lovelace' },
    { firstName: 'Charles', lastName: 'Babbage' },
  ],
};

export const TRIP_AGENTS = [
  'flights',
  'hotels',
  'itinerary',
  'planner',
  'restaurants',
  'router',
  'supervisor',
  'weather',
];

export interface Placed {
  span: TraceSpanNode;
  parent: TraceSpanNode | undefined;
}

export function flatten(nodes: readonly TraceSpanNode[], parent?: TraceSpanNode): Placed[] {
  return nodes.flatMap((span) => [{ span, parent }, ...flatten(span.children, span)]);
}

/** The spans whose name starts with `prefix`. */
export function named(all: readonly Placed[], prefix: string): Placed[] {
  return all.filter(({ span }) => span.name.startsWith(prefix));
}

/** `span`'s ancestors, nearest first. */
export function ancestors(all: readonly Placed[], span: TraceSpanNode): TraceSpanNode[] {
  const byId = new Map(all.map((p) => [p.span.spanId, p]));
  const chain: TraceSpanNode[] = [];
  for (let at = byId.get(span.spanId)?.parent; at; at = byId.get(at.spanId)?.parent) chain.push(at);
  return chain;
}

const tokensOf = (span: TraceSpanNode) =>
  Number(span.attributes['gen_ai.usage.input_tokens'] ?? 0) +
  Number(span.attributes['gen_ai.usage.output_tokens'] ?? 0);

export interface RunTreeExpectations {
  runId: string;
  /** The run's final status (on the root span). */
  status: string;
  /** The run's token usage (budgets.usage.tokens): the chat spans must add up to it. */
  tokens: number;
  /** Agents that must have run (each an `invoke_agent` span). */
  agents: readonly string[];
}

/** Checks the whole shape; returns the flattened spans for further checks. */
export function expectRunTree(tree: TraceTree, expected: RunTreeExpectations): Placed[] {
  const all = flatten(tree.spans);
  // One root: the run itself, recorded when it ended, with its outcome.
  expect(tree.spans.map((s) => s.name)).toEqual(['invoke_workflow tripPlanner']);
  const root = tree.spans[0];
  expect(root.attributes).toMatchObject({
    'gen_ai.operation.name': 'invoke_workflow',
    'waypoint.run.id': expected.runId,
    'waypoint.run.status': expected.status,
  });
  expect(tree.spanCount).toBe(all.length);
  // No span twice, whatever replayed or ran again.
  const ids = all.map(({ span }) => span.spanId);
  expect(new Set(ids).size).toBe(ids.length);

  // The request started the run: request → create_orchestration → orchestration.
  const [request] = named(all, 'POST /api/trips');
  expect(request.parent?.spanId).toBe(root.spanId);
  // The caller, pseudonymously.
  expect(request.span.attributes['enduser.pseudo.id']).toMatch(/^[0-9a-f]{32}$/);
  const [create] = named(all, 'create_orchestration:tripPlanner');
  expect(create.parent?.spanId).toBe(request.span.spanId);
  const planners = named(all, 'orchestration:tripPlanner');
  expect(planners).toHaveLength(1);
  const planner = planners[0];
  expect(planner.parent?.spanId).toBe(create.span.spanId);
  expect(planner.span.attributes).toMatchObject({
    'durabletask.task.instance_id': expected.runId,
    'durabletask.task.status': 'Completed',
    'waypoint.run.status': expected.status,
  });

  // The Durable tree: every orchestration SERVER span once per instance; every activity (and
  // sub-orchestration) CLIENT span under the SERVER span of the orchestration that waited on it,
  // every SERVER span of an activity or child under its CLIENT span.
  const orchestrations = all.filter(
    ({ span }) => span.kind === 'SERVER' && span.attributes['durabletask.type'] === 'orchestration',
  );
  const instances = orchestrations.map(({ span }) => span.attributes['durabletask.task.instance_id']);
  expect(new Set(instances).size).toBe(instances.length);
  const orchestrationOf = new Map(orchestrations.map((o) => [o.span.spanId, o.span]));
  for (const { span, parent } of all) {
    if (
      span.attributes['durabletask.type'] !== 'activity' &&
      span.attributes['durabletask.type'] !== 'orchestration'
    )
      continue;
    if (span.kind === 'CLIENT') {
      const waiting = orchestrationOf.get(parent?.spanId ?? '');
      expect(waiting, `${span.name} ${span.spanId} is under an orchestration`).toBeDefined();
      if (span.attributes['durabletask.type'] === 'activity') {
        expect(waiting?.attributes['durabletask.task.instance_id']).toBe(
          span.attributes['durabletask.task.instance_id'],
        );
      }
    } else if (span.kind === 'SERVER' && span !== planner.span) {
      expect(parent?.kind, `${span.name} ${span.spanId} is under its CLIENT span`).toBe('CLIENT');
      expect(parent?.name).toBe(span.name);
    }
  }
  for (const { span } of named(all, 'activity:')) expect(ancestors(all, span)).toContain(planner.span);

  // The GenAI tree: each agent's turns and tool calls under its invoke_agent span, each MCP
  // server's tools/call under the tool call, each model turn tied to the activity that ran it.
  const agents = named(all, 'invoke_agent ');
  expect([...new Set(agents.map(({ span }) => span.attributes['gen_ai.agent.name']))].sort()).toEqual(
    [...expected.agents].sort(),
  );
  for (const { span } of agents) {
    expect(ancestors(all, span)).toContain(planner.span);
    const turns = span.children.filter((c) => c.name.startsWith('chat '));
    expect(turns.length, `${span.name} has its turns`).toBeGreaterThan(0);
    // The agent's totals are its turns': tokens, turns, and cost (per call on each chat span).
    expect(tokensOf(span)).toBe(turns.reduce((sum, t) => sum + tokensOf(t), 0));
    expect(span.attributes['waypoint.agent.turns']).toBe(turns.length);
    const cost = turns.reduce((sum, t) => sum + Number(t.attributes['waypoint.cost.usd']), 0);
    expect(Number(span.attributes['waypoint.cost.usd'])).toBeCloseTo(cost, 9);
    expect(span.attributes).toMatchObject({ 'gen_ai.output.type': 'json' });
    expect(typeof span.attributes['gen_ai.agent.description']).toBe('string');
    expect(span.attributes['gen_ai.agent.version']).toMatch(/^[0-9a-f]{16}$/);
  }
  for (const { span } of named(all, 'chat ')) {
    expect(span.attributes['gen_ai.output.type']).toBe('json');
    expect(Number(span.attributes['waypoint.cost.usd'])).toBeGreaterThan(0);
  }
  const activitySpans = new Set(
    named(all, 'activity:')
      .filter(({ span }) => span.kind === 'SERVER')
      .map(({ span }) => span.spanId),
  );
  for (const { span, parent } of named(all, 'chat ')) {
    expect(parent?.name, `chat ${span.spanId} under its agent`).toMatch(/^invoke_agent /);
    expect(span.attributes['gen_ai.agent.name']).toBe(parent?.attributes['gen_ai.agent.name']);
    expect(span.links.map((l) => activitySpans.has(l.spanId))).toEqual([true]);
  }
  for (const { span, parent } of named(all, 'execute_tool ')) {
    const agent = span.attributes['waypoint.agent'];
    expect(span.attributes).toMatchObject({
      'gen_ai.agent.name': agent,
      'network.transport': 'tcp',
      'mcp.protocol.version': expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    if (agents.some((a) => a.span.attributes['gen_ai.agent.name'] === agent)) {
      expect(parent?.name, `${span.name} under its agent`).toBe(`invoke_agent ${String(agent)}`);
    } else {
      // The orchestrator's own calls (checking offers, booking) sit in its orchestration, like
      // its decisions.
      expect(parent?.spanId, `${span.name} (${String(agent)}) under the run's orchestration`).toBe(
        planner.span.spanId,
      );
    }
    expect(span.links.map((l) => activitySpans.has(l.spanId))).toEqual([true]);
    const servers = span.children.filter((c) => c.name.startsWith('tools/call '));
    expect(servers.map((s) => s.name)).toEqual([`tools/call ${String(span.attributes['gen_ai.tool.name'])}`]);
    expect(servers[0].kind).toBe('SERVER');
  }

  // Token counts exactly as the model reported them: their sum is the run's usage.
  expect(named(all, 'chat ').reduce((sum, { span }) => sum + tokensOf(span), 0)).toBe(expected.tokens);
  return all;
}
