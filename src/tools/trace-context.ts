import {
  context,
  isSpanContextValid,
  propagation,
  trace,
  TraceFlags,
  type Context,
} from '@opentelemetry/api';

/** W3C trace context fields as they travel in HTTP headers and in MCP `_meta`. */
export interface TraceHeaders {
  traceparent?: string;
  tracestate?: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** Parses a version-00 traceparent; all-zero trace or span ids are invalid by the W3C spec. */
function parseTraceparent(
  value: string,
): { traceId: string; spanId: string; traceFlags: number } | undefined {
  const match = TRACEPARENT.exec(value);
  if (!match) return undefined;
  const [, traceId, spanId, flags] = match;
  if (/^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, traceFlags: Number.parseInt(flags, 16) & TraceFlags.SAMPLED };
}

/**
 * The OpenTelemetry context a call runs in: the caller's explicit `traceparent` (an activity
 * continuing the run's trace from the orchestration input) when given, else the active context.
 */
export function parentContext(traceparent: string | undefined): Context {
  const active = context.active();
  const remote = traceparent === undefined ? undefined : parseTraceparent(traceparent);
  return remote ? trace.setSpanContext(active, { ...remote, isRemote: true }) : active;
}

/**
 * The headers that carry `ctx` to a server. Uses the registered propagator (which also writes
 * `tracestate`) when telemetry is set up; without one, formats the span context itself, so an
 * explicit `traceparent` still reaches the server when no OpenTelemetry SDK is running.
 */
export function traceHeadersFor(ctx: Context): TraceHeaders {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  if (carrier.traceparent !== undefined) {
    return {
      traceparent: carrier.traceparent,
      ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
    };
  }
  const spanContext = trace.getSpanContext(ctx);
  if (!spanContext || !isSpanContextValid(spanContext)) return {};
  const flags = (spanContext.traceFlags & TraceFlags.SAMPLED).toString(16).padStart(2, '0');
  return { traceparent: `00-${spanContext.traceId}-${spanContext.spanId}-${flags}` };
}
