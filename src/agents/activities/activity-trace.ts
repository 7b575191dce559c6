/**
 * Which trace context an activity's spans continue. The Functions host hands an activity its own
 * span's context (the Durable extension with distributed tracing V2, and the local host) in
 * `InvocationContext.traceContext`; where it does not, the run's context from the activity input
 * (the request span, carried by the orchestration) is the parent, as before.
 */
import { ROOT_CONTEXT } from '@opentelemetry/api';
import type { InvocationContext } from '@azure/functions';
import { contextFromInvocation, traceHeadersFor } from '../../telemetry/propagation';
import type { TraceCarrier } from '../contracts';

/** The invocation's trace context when it carries a valid traceparent, else `fromInput`. */
export function activityTrace(
  traceContext: InvocationContext['traceContext'],
  fromInput: TraceCarrier | undefined,
): TraceCarrier | undefined {
  if (!traceContext?.traceParent) return fromInput;
  const headers = traceHeadersFor(contextFromInvocation(traceContext, ROOT_CONTEXT));
  return headers.traceparent
    ? { traceparent: headers.traceparent, ...(headers.tracestate ? { tracestate: headers.tracestate } : {}) }
    : fromInput;
}
