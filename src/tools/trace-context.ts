import { context, type Context } from '@opentelemetry/api';
import { contextFromTraceHeaders, traceHeadersFor, type TraceHeaders } from '../telemetry/propagation';

export { traceHeadersFor, type TraceHeaders };

/**
 * The OpenTelemetry context a tool call runs in: the caller's explicit `traceparent` (an activity
 * continuing the run's trace from the orchestration input) when given, else the active context.
 * An invalid traceparent (bad format, all-zero ids, upper case) is ignored.
 */
export function parentContext(traceparent: string | undefined, tracestate?: string): Context {
  if (traceparent === undefined) return context.active();
  return contextFromTraceHeaders({ traceparent, ...(tracestate ? { tracestate } : {}) });
}
