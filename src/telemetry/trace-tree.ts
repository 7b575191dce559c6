import { z } from 'zod';

/**
 * The shape `GET /api/trips/{id}/trace` answers with: one trace's spans as a tree, parents before
 * children, siblings in start order. zod is the single source of the shape; `buildTraceTree` is
 * the pure part of the local trace store's reader.
 */
const scalar = z.union([z.string(), z.number(), z.boolean()]);
export const AttributeValueSchema = z.union([scalar, z.array(z.union([scalar, z.null()]))]);
export const AttributesSchema = z.record(z.string(), AttributeValueSchema);

export const SpanKindNameSchema = z.enum(['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER']);
export const StatusCodeNameSchema = z.enum(['UNSET', 'OK', 'ERROR']);

export const SpanEventSchema = z.object({
  name: z.string(),
  /** ISO 8601, millisecond precision. */
  time: z.string(),
  attributes: AttributesSchema,
});

/** A link to a span of this or another trace (e.g. the request that answered a question of the run). */
export const SpanLinkSchema = z.object({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  spanId: z.string().regex(/^[0-9a-f]{16}$/),
  attributes: AttributesSchema,
});

export interface TraceSpanNode {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: z.infer<typeof SpanKindNameSchema>;
  /** The service that recorded the span (`service.name`). */
  service: string | null;
  startTime: string;
  endTime: string;
  durationMs: number;
  status: { code: z.infer<typeof StatusCodeNameSchema>; message: string | null };
  attributes: z.infer<typeof AttributesSchema>;
  events: z.infer<typeof SpanEventSchema>[];
  links: z.infer<typeof SpanLinkSchema>[];
  children: TraceSpanNode[];
}

export const TraceSpanNodeSchema: z.ZodType<TraceSpanNode> = z.lazy(() =>
  z.object({
    spanId: z.string().regex(/^[0-9a-f]{16}$/),
    parentSpanId: z
      .string()
      .regex(/^[0-9a-f]{16}$/)
      .nullable(),
    name: z.string(),
    kind: SpanKindNameSchema,
    service: z.string().nullable(),
    startTime: z.string(),
    endTime: z.string(),
    durationMs: z.number().nonnegative(),
    status: z.object({ code: StatusCodeNameSchema, message: z.string().nullable() }),
    attributes: AttributesSchema,
    events: z.array(SpanEventSchema),
    links: z.array(SpanLinkSchema),
    children: z.array(TraceSpanNodeSchema),
  }),
);

export const TraceTreeSchema = z.object({
  traceId: z.string().regex(/^[0-9a-f]{32}$/),
  /** The run the trace was looked up by, when it was. */
  runId: z.string().optional(),
  spanCount: z.number().int().nonnegative(),
  /** Roots: spans whose parent is not in the store (the run's root, or spans whose parent was pruned or never exported). */
  spans: z.array(TraceSpanNodeSchema),
});
export type TraceTree = z.infer<typeof TraceTreeSchema>;

/** One stored span, flat, as the trace store reads it back. */
export type FlatSpan = Omit<TraceSpanNode, 'children' | 'links'> & {
  links?: TraceSpanNode['links'];
  startUnixMicros: number;
};

/**
 * Links flat spans into a tree. A span whose parent is missing becomes a root; spans are ordered
 * by start time (then span id, so equal times still order deterministically). Defensive against
 * malformed input: a parent cycle or a duplicate span id never loops or loses a span.
 */
export function buildTraceTree(traceId: string, spans: readonly FlatSpan[], runId?: string): TraceTree {
  const ordered = [...spans].sort(
    (a, b) => a.startUnixMicros - b.startUnixMicros || a.spanId.localeCompare(b.spanId),
  );
  const nodes = new Map<string, TraceSpanNode>();
  for (const { startUnixMicros: _start, ...span } of ordered) {
    if (!nodes.has(span.spanId)) nodes.set(span.spanId, { ...span, links: span.links ?? [], children: [] });
  }
  const roots: TraceSpanNode[] = [];
  // Links made so far (child → parent): a link that would close a loop makes the span a root instead.
  const linkedParent = new Map<string, string>();
  const closesLoop = (childId: string, parentId: string): boolean => {
    for (let id: string | undefined = parentId; id !== undefined; id = linkedParent.get(id)) {
      if (id === childId) return true;
    }
    return false;
  };
  for (const node of nodes.values()) {
    const parent = node.parentSpanId === null ? undefined : nodes.get(node.parentSpanId);
    if (parent && !closesLoop(node.spanId, parent.spanId)) {
      parent.children.push(node);
      linkedParent.set(node.spanId, parent.spanId);
    } else {
      roots.push(node);
    }
  }
  return { traceId, ...(runId === undefined ? {} : { runId }), spanCount: nodes.size, spans: roots };
}
