/**
 * The trace viewer's model, pure: the API's span tree (nested by parent ids; a flat one, all
 * under the request, is shown as it is) turned into display nodes — retries of one call grouped
 * as attempts —, the rows visible for a set of expanded nodes, each bar's place on the time axis,
 * the axis ticks, and where the first error is. Names and numbers follow the OpenTelemetry GenAI
 * conventions the spans carry (tokens, tool names, call ids).
 */
import type { TraceSpanNode, TraceTree } from '../../src/telemetry/trace-tree';

export interface SpanView {
  type: 'span';
  id: string;
  span: TraceSpanNode;
  children: DisplayNode[];
}

/** Attempts of one call (a retried tool call, model turn or activity), newest last. */
export interface AttemptsView {
  type: 'attempts';
  id: string;
  /** The attempts, each a span with its own children. */
  children: SpanView[];
  name: string;
}

export type DisplayNode = SpanView | AttemptsView;

export interface Row {
  node: DisplayNode;
  depth: number;
  /** The parent row's id (undefined at the top). */
  parentId?: string;
  /** 1-based place among its siblings, and how many siblings there are (aria-posinset/setsize). */
  position: number;
  siblings: number;
  hasChildren: boolean;
  expanded: boolean;
  /** Where its bar starts and how wide it is, 0–1 of the whole trace. */
  offset: number;
  width: number;
  /** The span's (or the last attempt's) status is an error. */
  isError: boolean;
  /** The service, shown only where it differs from the parent's. */
  service?: string;
}

export interface TraceModel {
  roots: DisplayNode[];
  startMs: number;
  totalMs: number;
  errorCount: number;
  spanCount: number;
  /** The tree has no nesting below its root(s): the API's older, flat shape. */
  flat: boolean;
}

const attr = (span: TraceSpanNode, key: string) => span.attributes[key];
const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

/** What makes two spans attempts of one call; undefined for spans that are never retried. */
function retryKey(span: TraceSpanNode): { key: string; certain: boolean } | undefined {
  const callId = text(attr(span, 'gen_ai.tool.call.id')) ?? text(attr(span, 'waypoint.idempotency_key'));
  if (callId) return { key: `${span.name}|call|${callId}`, certain: true };
  const turn = text(attr(span, 'waypoint.agent.turn'));
  if (attr(span, 'gen_ai.operation.name') === 'chat' && turn !== undefined)
    return {
      key: `${span.name}|turn|${text(attr(span, 'gen_ai.conversation.id'))}|${text(attr(span, 'gen_ai.agent.name'))}|${turn}`,
      certain: true,
    };
  const instance = text(attr(span, 'durabletask.task.instance_id'));
  if (attr(span, 'durabletask.type') === 'activity' && instance)
    return { key: `${span.name}|activity|${instance}`, certain: false };
  return undefined;
}

const isError = (span: TraceSpanNode) => span.status.code === 'ERROR';
const startOf = (span: TraceSpanNode) => Date.parse(span.startTime);

/** Siblings with their retries grouped: a group holds every attempt of one call, in start order. */
function groupSiblings(spans: readonly TraceSpanNode[]): DisplayNode[] {
  const buckets = new Map<string, TraceSpanNode[]>();
  for (const span of spans) {
    const key = retryKey(span);
    if (key) buckets.set(key.key, [...(buckets.get(key.key) ?? []), span]);
  }
  const grouped = new Map<TraceSpanNode, TraceSpanNode[]>();
  for (const [key, members] of buckets) {
    if (members.length < 2) continue;
    const certain = key.includes('|call|') || key.includes('|turn|');
    // Activities of one instance are attempts only when each earlier one failed.
    const ordered = [...members].sort((a, b) => startOf(a) - startOf(b));
    if (!certain && !ordered.slice(0, -1).every(isError)) continue;
    for (const member of ordered) grouped.set(member, ordered);
  }
  const nodes: DisplayNode[] = [];
  const placed = new Set<TraceSpanNode[]>();
  for (const span of spans) {
    const group = grouped.get(span);
    if (!group) {
      nodes.push(spanView(span));
      continue;
    }
    if (placed.has(group)) continue;
    placed.add(group);
    nodes.push({
      type: 'attempts',
      id: `attempts-${group[0].spanId}`,
      name: span.name,
      children: group.map(spanView),
    });
  }
  return nodes;
}

function spanView(span: TraceSpanNode): SpanView {
  return { type: 'span', id: span.spanId, span, children: groupSiblings(span.children) };
}

function walkSpans(
  spans: readonly TraceSpanNode[],
  visit: (span: TraceSpanNode, depth: number) => void,
  depth = 0,
) {
  for (const span of spans) {
    visit(span, depth);
    walkSpans(span.children, visit, depth + 1);
  }
}

export function buildTraceModel(tree: TraceTree): TraceModel {
  let start = Infinity;
  let end = -Infinity;
  let errors = 0;
  let count = 0;
  let maxDepth = 0;
  walkSpans(tree.spans, (span, depth) => {
    count += 1;
    maxDepth = Math.max(maxDepth, depth);
    if (isError(span)) errors += 1;
    const s = Date.parse(span.startTime);
    const e = Date.parse(span.endTime);
    if (Number.isFinite(s)) start = Math.min(start, s);
    if (Number.isFinite(e)) end = Math.max(end, e);
  });
  const startMs = Number.isFinite(start) ? start : 0;
  const totalMs = Number.isFinite(end) && end > startMs ? end - startMs : 1;
  // Flat: everything hangs off the root(s), with at most the MCP server span under a call.
  const rootChildren = tree.spans.reduce((n, s) => n + s.children.length, 0);
  const flat =
    rootChildren > 8 && maxDepth <= 2 && rootChildren / Math.max(count - tree.spans.length, 1) > 0.6;
  return { roots: groupSiblings(tree.spans), startMs, totalMs, errorCount: errors, spanCount: count, flat };
}

/** The span a node stands for: itself, or a group's last attempt. */
export function spanOf(node: DisplayNode): TraceSpanNode {
  return node.type === 'span' ? node.span : node.children[node.children.length - 1].span;
}

function extent(node: DisplayNode): { start: number; end: number } {
  if (node.type === 'span') return { start: startOf(node.span), end: Date.parse(node.span.endTime) };
  const first = node.children[0].span;
  const last = node.children[node.children.length - 1].span;
  return { start: startOf(first), end: Math.max(Date.parse(last.endTime), Date.parse(first.endTime)) };
}

function serviceOf(node: DisplayNode): string | undefined {
  return spanOf(node).service ?? undefined;
}

/** The rows shown when the nodes in `expanded` are open (depth-first, parents first). */
export function visibleRows(model: TraceModel, expanded: ReadonlySet<string>): Row[] {
  const rows: Row[] = [];
  const MIN = 0.004;
  const add = (nodes: readonly DisplayNode[], depth: number, parent?: DisplayNode) => {
    nodes.forEach((node, index) => {
      const { start, end } = extent(node);
      const offset = Number.isFinite(start)
        ? Math.min(1, Math.max(0, (start - model.startMs) / model.totalMs))
        : 0;
      const raw =
        Number.isFinite(end) && Number.isFinite(start) ? Math.max(0, end - start) / model.totalMs : 0;
      const width = Math.max(MIN, Math.min(raw, 1 - offset));
      const service = serviceOf(node);
      const open = expanded.has(node.id);
      rows.push({
        node,
        depth,
        parentId: parent?.id,
        position: index + 1,
        siblings: nodes.length,
        hasChildren: node.children.length > 0,
        expanded: open && node.children.length > 0,
        offset: Math.min(offset, 1 - width),
        width,
        isError: isError(spanOf(node)),
        service: service && (!parent || serviceOf(parent) !== service) ? service : undefined,
      });
      if (open) add(node.children, depth + 1, node);
    });
  };
  add(model.roots, 0);
  return rows;
}

/** Node ids from the root down to the first error (depth-first), or undefined when none failed. */
export function pathToFirstError(model: TraceModel): string[] | undefined {
  const search = (nodes: readonly DisplayNode[], path: string[]): string[] | undefined => {
    for (const node of nodes) {
      const here = [...path, node.id];
      if (node.type === 'span' && isError(node.span)) return here;
      const inner = search(node.children, here);
      if (inner) return inner;
      if (node.type === 'attempts' && node.children.some((a) => isError(a.span))) return here;
    }
    return undefined;
  };
  return search(model.roots, []);
}

/**
 * The nodes open at first: the top `levels`, and below them any chain of only children (request →
 * create → orchestration) down to the node where the work fans out, so the agents show without a
 * click however deep the run's own span sits.
 */
export function initiallyExpanded(model: TraceModel, levels = 2): Set<string> {
  const open = new Set<string>();
  const walk = (nodes: readonly DisplayNode[], depth: number) => {
    for (const node of nodes) {
      if (depth >= levels && nodes.length > 1) continue;
      if (node.type === 'span') open.add(node.id);
      walk(node.children, depth + 1);
    }
  };
  walk(model.roots, 0);
  return open;
}

/** Evenly spaced "nice" ticks (1, 2 or 5 × 10ⁿ ms) across the trace, 0 included. */
export function axisTicks(totalMs: number, target = 5): number[] {
  if (!(totalMs > 0)) return [0];
  const rough = totalMs / target;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = 0; t <= totalMs + 1e-9; t += step) ticks.push(Math.round(t * 1000) / 1000);
  return ticks;
}

/** Tokens and cost a span records (GenAI usage; cost when the span carries one). */
export function usageOf(span: TraceSpanNode): { input?: number; output?: number; costUsd?: number } {
  const n = (key: string) => (typeof attr(span, key) === 'number' ? (attr(span, key) as number) : undefined);
  const cost = n('waypoint.cost.usd') ?? n('waypoint.cost') ?? n('gen_ai.usage.cost');
  return {
    ...(n('gen_ai.usage.input_tokens') !== undefined ? { input: n('gen_ai.usage.input_tokens') } : {}),
    ...(n('gen_ai.usage.output_tokens') !== undefined ? { output: n('gen_ai.usage.output_tokens') } : {}),
    ...(cost !== undefined ? { costUsd: cost } : {}),
  };
}

/** A short label for a span: its name, with the GenAI operation said in words where it helps. */
export function labelOf(node: DisplayNode): string {
  if (node.type === 'attempts') {
    const failed = node.children.filter((a) => isError(a.span)).length;
    return `${node.name} · ${node.children.length} attempts${failed ? `, ${failed} failed` : ''}`;
  }
  return node.span.name;
}
