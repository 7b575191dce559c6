import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  trace,
  type Context,
} from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';

/** W3C trace context fields as they travel in HTTP headers, MCP `_meta` and orchestration inputs. */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

/**
 * A propagator of our own rather than the global one: these fields must be written even when no
 * SDK is registered (telemetry off still keeps a caller's trace connected across a hop), and only
 * trace context belongs in `_meta` — not whatever else (baggage) the global propagator carries.
 */
const w3c = new W3CTraceContextPropagator();

/**
 * `base` (the active context by default) with the remote parent from a traceparent/tracestate
 * pair. An invalid or missing traceparent leaves `base` unchanged.
 */
export function contextFromTraceHeaders(
  headers: TraceHeaders | undefined,
  base: Context = context.active(),
): Context {
  if (headers?.traceparent === undefined) return base;
  return w3c.extract(base, { ...headers }, defaultTextMapGetter);
}

/**
 * The traceparent/tracestate that continue `ctx`'s span on the other side of a hop; empty when
 * `ctx` has no valid span context.
 */
export function traceHeadersFor(ctx: Context = context.active()): TraceHeaders {
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  const carrier: Record<string, string> = {};
  w3c.inject(ctx, carrier, defaultTextMapSetter);
  return {
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

/**
 * The Functions host's invocation trace context (`InvocationContext.traceContext`, whose fields
 * are spelled `traceParent`/`traceState` by the host and `traceparent`/`tracestate` by some
 * versions) as a parent context. The local host populates the same field.
 */
export function contextFromInvocation(
  traceContext:
    | { traceParent?: string | null; traceState?: string | null; traceparent?: string; tracestate?: string }
    | undefined,
  base: Context = context.active(),
): Context {
  if (!traceContext) return base;
  const traceparent = traceContext.traceParent ?? traceContext.traceparent ?? undefined;
  const tracestate = traceContext.traceState ?? traceContext.tracestate ?? undefined;
  return contextFromTraceHeaders(
    { ...(traceparent ? { traceparent } : {}), ...(tracestate ? { tracestate } : {}) },
    base,
  );
}
