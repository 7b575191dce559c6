/**
 * Span ids that are known before their span is recorded. A run's spans come from many places and
 * moments: the orchestrator records an agent's `invoke_agent` span when the agent is done, but
 * the activities that ran its turns recorded their `chat` spans long before, as its children. So
 * such spans take ids derived from what identifies them (run, agent, round, turn, task id), and
 * anyone holding those names can point at the span ahead of time. The same ids make recording
 * idempotent: a replay or a crash-rerun records a span under the id it had, and a store keyed by
 * id keeps one.
 *
 * The OpenTelemetry API cannot choose a span's id; the SDK's IdGenerator does. The generator here
 * hands out the id that `startSpanWithId` put into the context for that one call, else a random
 * one. The hashing is plain TypeScript (no node:crypto), so orchestrator code may use it.
 */
import {
  context,
  createContextKey,
  isSpanContextValid,
  trace,
  TraceFlags,
  type Context,
  type Span,
  type SpanOptions,
  type Tracer,
} from '@opentelemetry/api';
import { RandomIdGenerator, type IdGenerator } from '@opentelemetry/sdk-trace-base';

const SPAN_ID = /^(?!0{16})[0-9a-f]{16}$/;
const TRACE_ID = /^(?!0{32})[0-9a-f]{32}$/;
const TRACEPARENT = /^00-((?!0{32})[0-9a-f]{32})-((?!0{16})[0-9a-f]{16})-([0-9a-f]{2})$/;

const FNV_OFFSET = 0xcbf29ce484222325n;
const MASK_64 = 0xffffffffffffffffn;
const encoder = new TextEncoder();

/**
 * FNV-1a, 64 bits, over the UTF-8 bytes of `text`, finished with a 64-bit avalanche (splitmix64's).
 * The byte loop runs on four 16-bit limbs in plain numbers (a BigInt per byte made this a visible
 * share of a run's CPU); the result is the same as the 64-bit arithmetic, bit for bit.
 */
function hash64(text: string, seed = FNV_OFFSET): bigint {
  let h0 = Number(seed & 0xffffn);
  let h1 = Number((seed >> 16n) & 0xffffn);
  let h2 = Number((seed >> 32n) & 0xffffn);
  let h3 = Number((seed >> 48n) & 0xffffn);
  for (const byte of encoder.encode(text)) {
    h0 ^= byte;
    // × 0x100000001b3 = × 0x1b3 plus × 2^40 (0x100 in limb 2); each sum stays far below 2^53.
    const r0 = h0 * 0x1b3;
    const r1 = h1 * 0x1b3 + (r0 >>> 16);
    const r2 = h2 * 0x1b3 + h0 * 0x100 + Math.floor(r1 / 0x10000);
    const r3 = h3 * 0x1b3 + h1 * 0x100 + Math.floor(r2 / 0x10000);
    h0 = r0 & 0xffff;
    h1 = r1 % 0x10000;
    h2 = r2 % 0x10000;
    h3 = r3 % 0x10000;
  }
  let h = (BigInt(h3) << 48n) | (BigInt(h2) << 32n) | (BigInt(h1) << 16n) | BigInt(h0);
  h = ((h ^ (h >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  h = ((h ^ (h >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return h ^ (h >> 31n);
}

const hex16 = (value: bigint): string => value.toString(16).padStart(16, '0');

/**
 * A span id (16 hex digits, never all zeros) that is a function of `parts` alone: the same parts
 * give the same id in every process and on every replay. Parts are joined unambiguously.
 */
export function deriveSpanId(...parts: readonly (string | number)[]): string {
  const id = hex16(hash64(parts.map((p) => `${typeof p}:${p}`).join('\u0000')));
  return id === '0000000000000000' ? '0000000000000001' : id;
}

/** A trace id (32 hex digits) that is a function of `parts` alone. */
export function deriveTraceId(...parts: readonly (string | number)[]): string {
  const text = parts.map((p) => `${typeof p}:${p}`).join('\u0000');
  const id = hex16(hash64(text)) + hex16(hash64(text, FNV_OFFSET ^ 0x9e3779b97f4a7c15n));
  return /^0+$/.test(id) ? '0'.repeat(31) + '1' : id;
}

export function isSpanId(value: unknown): value is string {
  return typeof value === 'string' && SPAN_ID.test(value);
}

export function isTraceId(value: unknown): value is string {
  return typeof value === 'string' && TRACE_ID.test(value);
}

/** The parts of a W3C traceparent, or undefined when it is not a valid one. */
export function parseTraceparent(
  traceparent: string | null | undefined,
): { traceId: string; spanId: string; sampled: boolean } | undefined {
  const match = traceparent ? TRACEPARENT.exec(traceparent) : null;
  if (!match) return undefined;
  return { traceId: match[1], spanId: match[2], sampled: (parseInt(match[3], 16) & 1) === 1 };
}

/** The traceparent of span `spanId` in trace `traceId`. */
export function traceparentOf(traceId: string, spanId: string, sampled = true): string {
  return `00-${traceId}-${spanId}-${sampled ? '01' : '00'}`;
}

const PENDING_SPAN_ID = createContextKey('waypoint.pending-span-id');
const PENDING_TRACE_ID = createContextKey('waypoint.pending-trace-id');

/**
 * The SDK's IdGenerator for Waypoint: the id `startSpanWithId` asked for, else random. Register
 * it on the tracer provider (setup.ts does, for both its own SDK and the Azure Monitor distro's).
 */
export class ContextualIdGenerator implements IdGenerator {
  private readonly random = new RandomIdGenerator();

  generateTraceId(): string {
    const pending = context.active().getValue(PENDING_TRACE_ID);
    return isTraceId(pending) ? pending : this.random.generateTraceId();
  }

  generateSpanId(): string {
    const pending = context.active().getValue(PENDING_SPAN_ID);
    return isSpanId(pending) ? pending : this.random.generateSpanId();
  }
}

export interface SpanIdentity {
  /** The span's own id (see deriveSpanId). */
  spanId: string;
  /** For a root span only: its trace id (a child always takes its parent's). */
  traceId?: string;
}

/**
 * Starts a span with a chosen id under `parent`. The id is honoured when the registered tracer
 * provider uses ContextualIdGenerator; otherwise the span gets a random id, which costs only the
 * links that pointed at it ahead of time (use `hasIdentity` to check, e.g. in tests).
 */
export function startSpanWithId(
  tracer: Tracer,
  name: string,
  options: SpanOptions,
  parent: Context,
  identity: SpanIdentity,
): Span {
  let pending = context.active().setValue(PENDING_SPAN_ID, identity.spanId);
  if (identity.traceId !== undefined) pending = pending.setValue(PENDING_TRACE_ID, identity.traceId);
  return context.with(pending, () => tracer.startSpan(name, options, parent));
}

/** Whether `span` got the id it was started with (false: the tracer provider generates its own). */
export function hasIdentity(span: Span, identity: SpanIdentity): boolean {
  const own = span.spanContext();
  return own.spanId === identity.spanId;
}

/**
 * A context whose (remote) parent is span `spanId` of trace `traceId`: what a child needs to hang
 * under a span that is recorded elsewhere or later.
 */
export function contextWithParent(
  traceId: string,
  spanId: string,
  base: Context = context.active(),
  sampled = true,
): Context {
  return trace.setSpanContext(base, {
    traceId,
    spanId,
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

/** The trace id and span id of the span in `ctx`, if it has a valid one. */
export function spanIdsOf(ctx: Context): { traceId: string; spanId: string; sampled: boolean } | undefined {
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || !isSpanContextValid(spanContext)) return undefined;
  return {
    traceId: spanContext.traceId,
    spanId: spanContext.spanId,
    sampled: (spanContext.traceFlags & 1) === 1,
  };
}
