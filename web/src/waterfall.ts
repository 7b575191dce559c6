/**
 * The trace waterfall's layout, pure: the span tree flattened depth-first (parents before
 * children, as the API orders them) with each bar's offset and width as shares of the trace.
 */
import type { TraceSpanNode, TraceTree } from '../../src/telemetry/trace-tree';

export interface WaterfallRow {
  span: TraceSpanNode;
  depth: number;
  /** Where the bar starts and how wide it is, 0–1 of the whole trace. */
  offset: number;
  width: number;
  isError: boolean;
  /** The span is a tool call (GenAI `execute_tool`, or an MCP `tools/call`). */
  isToolCall: boolean;
}

export interface Waterfall {
  rows: WaterfallRow[];
  startMs: number;
  totalMs: number;
  errorCount: number;
}

/** Bars shorter than this share still show as a sliver. */
const MIN_WIDTH = 0.004;

export function layoutWaterfall(tree: TraceTree): Waterfall {
  const flat: { span: TraceSpanNode; depth: number }[] = [];
  const walk = (spans: readonly TraceSpanNode[], depth: number): void => {
    for (const span of spans) {
      flat.push({ span, depth });
      walk(span.children, depth + 1);
    }
  };
  walk(tree.spans, 0);
  const times = flat.map(({ span }) => ({
    start: Date.parse(span.startTime),
    end: Date.parse(span.endTime),
  }));
  const valid = times.filter((t) => Number.isFinite(t.start) && Number.isFinite(t.end));
  const startMs = valid.length ? Math.min(...valid.map((t) => t.start)) : 0;
  const endMs = valid.length ? Math.max(...valid.map((t) => Math.max(t.start, t.end))) : 0;
  const totalMs = Math.max(endMs - startMs, 1);
  const rows = flat.map(({ span, depth }, index) => {
    const { start, end } = times[index];
    const offset = Number.isFinite(start) ? Math.min(1, (start - startMs) / totalMs) : 0;
    const width =
      Number.isFinite(end) && Number.isFinite(start) ? (Math.max(end, start) - start) / totalMs : 0;
    // A sliver at the very end is drawn just inside the track.
    const shown = Math.max(MIN_WIDTH, Math.min(width, 1 - offset));
    return {
      span,
      depth,
      offset: Math.min(offset, 1 - shown),
      width: shown,
      isError: span.status.code === 'ERROR',
      isToolCall: isToolCall(span),
    };
  });
  return { rows, startMs, totalMs, errorCount: rows.filter((r) => r.isError).length };
}

function isToolCall(span: TraceSpanNode): boolean {
  const operation = span.attributes['gen_ai.operation.name'];
  const method = span.attributes['mcp.method.name'];
  return operation === 'execute_tool' || method === 'tools/call';
}
