import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  isSpanContextValid,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
} from '@opentelemetry/api';
import { W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import { contextWithRunId, runIdFrom } from './run-context';
import { ATTR_WAYPOINT_RUN_ID } from './semconv';

/** W3C trace context fields as they travel in HTTP headers, MCP `_meta` and orchestration inputs. */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
  /** W3C baggage: only the run id (`waypoint.run.id`), so the other side's spans and lines name the run. */
  baggage?: string;
}

const w3cBaggage = new W3CBaggagePropagator();

/**
 * A propagator of our own rather than the global one: these fields must be written even when no
 * SDK is registered (telemetry off still keeps a caller's trace connected across a hop), and only
 * trace context and the run id belong in `_meta` — not whatever else (baggage) the global
 * propagator carries.
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
  const extracted = w3c.extract(base, { ...headers }, defaultTextMapGetter);
  return withBaggageRunId(extracted, headers.baggage);
}

/** `ctx` with the run id a `baggage` header names, when it names one. */
function withBaggageRunId(ctx: Context, baggage: string | undefined): Context {
  const runId = runIdFromBaggage(baggage);
  return runId === undefined ? ctx : contextWithRunId(runId, ctx);
}

/** The run id (`waypoint.run.id`) a W3C `baggage` header names, if any. */
export function runIdFromBaggage(baggage: string | undefined): string | undefined {
  if (!baggage) return undefined;
  const bag = propagation.getBaggage(w3cBaggage.extract(ROOT_CONTEXT, { baggage }, defaultTextMapGetter));
  const runId = bag?.getEntry(ATTR_WAYPOINT_RUN_ID)?.value;
  return runId && runId.length <= 200 ? runId : undefined;
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
  const runId = runIdFrom(ctx);
  if (runId !== undefined) {
    const bag = propagation.createBaggage({ [ATTR_WAYPOINT_RUN_ID]: { value: runId } });
    w3cBaggage.inject(propagation.setBaggage(ctx, bag), carrier, defaultTextMapSetter);
  }
  return {
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
    ...(carrier.baggage ? { baggage: carrier.baggage } : {}),
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
