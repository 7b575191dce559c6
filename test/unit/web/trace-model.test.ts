/**
 * The trace viewer's model (web/src/trace-model.ts), pure, on trees from the trace store's own
 * builder: a nested run (agent → model turn / tool → MCP server) and the older flat shape; retries
 * grouped as attempts; visible rows for expanded nodes with their ARIA positions; bars as shares of
 * the trace; the path to the first error; time-axis ticks.
 */
import { describe, expect, it } from 'vitest';
import { buildTraceTree, type FlatSpan } from '../../../src/telemetry/trace-tree';
import {
  axisTicks,
  buildTraceModel,
  initiallyExpanded,
  labelOf,
  pathToFirstError,
  usageOf,
  visibleRows,
} from '../../../web/src/trace-model';

const T0 = Date.parse('2026-12-06T10:00:00.000Z');
let next = 0;

function span(
  id: string,
  parent: string | null,
  startMs: number,
  endMs: number,
  extra: Partial<FlatSpan> = {},
): FlatSpan {
  next += 1;
  return {
    spanId: id.padStart(16, '0'),
    parentSpanId: parent === null ? null : parent.padStart(16, '0'),
    name: `span ${id}`,
    kind: 'INTERNAL',
    service: 'waypoint-agents',
    startTime: new Date(T0 + startMs).toISOString(),
    endTime: new Date(T0 + endMs).toISOString(),
    durationMs: endMs - startMs,
    status: { code: 'UNSET', message: null },
    attributes: {},
    events: [],
    startUnixMicros: (T0 + startMs) * 1000 + next,
    ...extra,
  };
}

const tool = (callId: string) => ({
  'gen_ai.operation.name': 'execute_tool',
  'gen_ai.tool.name': 'search_flights',
  'gen_ai.tool.call.id': callId,
});
const failed = { code: 'ERROR' as const, message: 'connect ECONNREFUSED' };

/** request → agent → (turn, tool ×3 attempts → server), then a second agent. */
function nestedTrace() {
  return buildTraceTree('a'.repeat(32), [
    span('1', null, 0, 1000, { name: 'POST /api/trips', kind: 'SERVER' }),
    span('2', '1', 100, 900, { name: 'invoke_agent flights' }),
    span('3', '2', 110, 200, {
      name: 'chat gpt-4.1',
      attributes: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.input_tokens': 1200,
        'gen_ai.usage.output_tokens': 80,
      },
    }),
    span('4', '2', 200, 300, {
      name: 'execute_tool search_flights',
      attributes: tool('call-1'),
      status: failed,
    }),
    span('5', '2', 400, 500, {
      name: 'execute_tool search_flights',
      attributes: tool('call-1'),
      status: failed,
    }),
    span('6', '2', 600, 700, { name: 'execute_tool search_flights', attributes: tool('call-1') }),
    span('7', '6', 610, 690, {
      name: 'tools/call search_flights',
      kind: 'SERVER',
      service: 'waypoint-mcp-flights',
    }),
    span('8', '1', 100, 950, { name: 'invoke_agent hotels' }),
  ]);
}

describe('the trace viewer model', () => {
  it('groups a retried tool call as attempts and shows services only where they change', () => {
    const model = buildTraceModel(nestedTrace());
    expect(model.flat).toBe(false);
    expect(model.spanCount).toBe(8);
    expect(model.errorCount).toBe(2);
    const agent = model.roots[0].children[0];
    expect(agent.children.map((n) => n.type)).toEqual(['span', 'attempts']);
    const attempts = agent.children[1];
    expect(labelOf(attempts)).toBe('execute_tool search_flights · 3 attempts, 2 failed');
    expect(attempts.children.map((a) => a.id)).toEqual([
      '0000000000000004',
      '0000000000000005',
      '0000000000000006',
    ]);

    const rows = visibleRows(
      model,
      new Set(['0000000000000001', '0000000000000002', attempts.id, '0000000000000006']),
    );
    expect(rows.map((r) => [labelOf(r.node), r.depth, r.position, r.siblings, r.expanded])).toEqual([
      ['POST /api/trips', 0, 1, 1, true],
      ['invoke_agent flights', 1, 1, 2, true],
      ['chat gpt-4.1', 2, 1, 2, false],
      ['execute_tool search_flights · 3 attempts, 2 failed', 2, 2, 2, true],
      ['execute_tool search_flights', 3, 1, 3, false],
      ['execute_tool search_flights', 3, 2, 3, false],
      ['execute_tool search_flights', 3, 3, 3, true],
      ['tools/call search_flights', 4, 1, 1, false],
      ['invoke_agent hotels', 1, 2, 2, false],
    ]);
    // The last attempt succeeded: the group is not an error; the first two are.
    expect(rows.map((r) => r.isError)).toEqual([false, false, false, false, true, true, false, false, false]);
    expect(rows.map((r) => r.service)).toEqual([
      'waypoint-agents',
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      'waypoint-mcp-flights',
      undefined,
    ]);
    // Bars: shares of the whole trace; a group spans its attempts.
    expect([rows[1].offset, rows[1].width]).toEqual([0.1, 0.8]);
    expect(rows[3].offset).toBeCloseTo(0.2);
    expect(rows[3].width).toBeCloseTo(0.5);
    expect(usageOf(rows[2].node.type === 'span' ? rows[2].node.span : (undefined as never))).toEqual({
      input: 1200,
      output: 80,
    });
  });

  it('opens the top levels first and finds the way to the first error', () => {
    const model = buildTraceModel(nestedTrace());
    const open = initiallyExpanded(model);
    expect([...open]).toEqual(['0000000000000001', '0000000000000002', '0000000000000008']);
    expect(visibleRows(model, open)).toHaveLength(5);
    const attemptsId = model.roots[0].children[0].children[1].id;
    expect(pathToFirstError(model)).toEqual([
      '0000000000000001',
      '0000000000000002',
      attemptsId,
      '0000000000000004',
    ]);
    expect(visibleRows(model, new Set())).toHaveLength(1);
  });

  it('opens a chain of only children down to where the work fans out, so the agents show', () => {
    // As a run records it: workflow → request → create → orchestration → agents (each with a turn).
    const model = buildTraceModel(
      buildTraceTree('e'.repeat(32), [
        span('1', null, 0, 1000, { name: 'invoke_workflow tripPlanner' }),
        span('2', '1', 0, 40, { name: 'POST /api/trips', kind: 'SERVER' }),
        span('3', '2', 10, 30, { name: 'create_orchestration:tripPlanner' }),
        span('4', '3', 20, 1000, { name: 'orchestration:tripPlanner' }),
        span('5', '4', 30, 300, { name: 'invoke_agent router' }),
        span('6', '5', 40, 290, { name: 'chat gpt-4.1' }),
        span('7', '4', 300, 900, { name: 'invoke_agent flights' }),
        span('8', '7', 310, 890, { name: 'chat gpt-4.1' }),
        span('9', '1', 900, 950, { name: 'execute_tool get_flight_details', attributes: tool('q') }),
      ]),
    );
    const rows = visibleRows(model, initiallyExpanded(model));
    expect(rows.map((r) => labelOf(r.node))).toEqual([
      'invoke_workflow tripPlanner',
      'POST /api/trips',
      'create_orchestration:tripPlanner',
      'orchestration:tripPlanner',
      'invoke_agent router',
      'invoke_agent flights',
      'execute_tool get_flight_details',
    ]);
  });

  it('does not group model turns of one agent that all succeeded as attempts', () => {
    const activity = (turn: number) => ({
      'durabletask.type': 'activity',
      'durabletask.task.instance_id': 'trip-1:flights:0',
      'durabletask.task.task_id': turn,
    });
    const tree = buildTraceTree('b'.repeat(32), [
      span('1', null, 0, 1000),
      span('2', '1', 0, 100, { name: 'activity:agentTurn', attributes: activity(0) }),
      span('3', '1', 200, 300, { name: 'activity:agentTurn', attributes: activity(1) }),
      span('4', '1', 400, 500, { name: 'activity:callTool', attributes: activity(2), status: failed }),
      span('5', '1', 600, 700, { name: 'activity:callTool', attributes: activity(3) }),
    ]);
    const model = buildTraceModel(tree);
    expect(model.roots[0].children.map((n) => [n.type, labelOf(n)])).toEqual([
      ['span', 'activity:agentTurn'],
      ['span', 'activity:agentTurn'],
      ['attempts', 'activity:callTool · 2 attempts, 1 failed'],
    ]);
  });

  it('says when a trace is flat (everything under the request) and still lays it out', () => {
    const spans = [span('1', null, 0, 1000, { name: 'POST /api/trips' })];
    for (let i = 2; i < 14; i++) spans.push(span(String(i), '1', i * 50, i * 50 + 40));
    spans.push(span('20', '5', 260, 280));
    const model = buildTraceModel(buildTraceTree('c'.repeat(32), spans));
    expect(model.flat).toBe(true);
    expect(visibleRows(model, initiallyExpanded(model))).toHaveLength(14);
  });

  it('lays out an empty trace, and puts ticks at round times', () => {
    const empty = buildTraceModel({ traceId: 'd'.repeat(32), spanCount: 0, spans: [] });
    expect(empty).toMatchObject({ roots: [], totalMs: 1, errorCount: 0, spanCount: 0 });
    expect(axisTicks(1000)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks(20_468)).toEqual([0, 5000, 10000, 15000, 20000]);
    expect(axisTicks(0)).toEqual([0]);
  });
});
