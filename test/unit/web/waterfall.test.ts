/**
 * The trace waterfall's layout (web/src/waterfall.ts), pure: depth-first rows from the trace
 * store's own tree builder, bar offsets and widths as shares of the trace, errors and tool calls
 * marked.
 */
import { describe, expect, it } from 'vitest';
import { buildTraceTree, type FlatSpan } from '../../../src/telemetry/trace-tree';
import { layoutWaterfall } from '../../../web/src/waterfall';

const T0 = Date.parse('2026-11-29T10:00:00.000Z');

function span(
  id: string,
  parent: string | null,
  startMs: number,
  endMs: number,
  extra: Partial<FlatSpan> = {},
): FlatSpan {
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
    startUnixMicros: (T0 + startMs) * 1000,
    ...extra,
  };
}

describe('layoutWaterfall', () => {
  it('lays spans out depth-first with offsets and widths relative to the whole trace', () => {
    const tree = buildTraceTree('a'.repeat(32), [
      span('1', null, 0, 1000),
      span('2', '1', 100, 600, {
        attributes: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'search_flights' },
      }),
      span('3', '2', 150, 550, { kind: 'SERVER', attributes: { 'mcp.method.name': 'tools/call' } }),
      span('4', '1', 600, 900, { status: { code: 'ERROR', message: 'timeout' } }),
    ]);
    const waterfall = layoutWaterfall(tree);
    expect(waterfall.totalMs).toBe(1000);
    expect(waterfall.rows.map((r) => [r.span.name, r.depth])).toEqual([
      ['span 1', 0],
      ['span 2', 1],
      ['span 3', 2],
      ['span 4', 1],
    ]);
    expect(waterfall.rows.map((r) => [r.offset, r.width])).toEqual([
      [0, 1],
      [0.1, 0.5],
      [0.15, 0.4],
      [0.6, 0.3],
    ]);
    expect(waterfall.rows.map((r) => r.isToolCall)).toEqual([false, true, true, false]);
    expect(waterfall.rows.map((r) => r.isError)).toEqual([false, false, false, true]);
    expect(waterfall.errorCount).toBe(1);
  });

  it('keeps an instant span visible and inside the track', () => {
    const waterfall = layoutWaterfall(
      buildTraceTree('b'.repeat(32), [span('1', null, 0, 1000), span('2', '1', 1000, 1000)]),
    );
    const instant = waterfall.rows[1];
    expect(instant.width).toBeGreaterThan(0);
    expect(instant.offset).toBeGreaterThan(0.99);
    expect(instant.offset + instant.width).toBeLessThanOrEqual(1);
  });

  it('lays out an empty trace without dividing by zero', () => {
    const waterfall = layoutWaterfall({ traceId: 'c'.repeat(32), spanCount: 0, spans: [] });
    expect(waterfall).toEqual({ rows: [], startMs: 0, totalMs: 1, errorCount: 0 });
  });
});
