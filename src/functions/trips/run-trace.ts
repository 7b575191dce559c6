/**
 * The run's trace, as the trips API joins it. A new run's trace is rooted in the run itself
 * (`invoke_workflow`, recorded with the run's outcome when it ends); its W3C context travels in the
 * orchestration input (`traceCarrier`). A person's answer to a waiting run is recorded under the
 * run's wait it ends (`inRunTrace`).
 */
import type { InvocationContext } from '@azure/functions';
import {
  context as otelContext,
  createContextKey,
  isSpanContextValid,
  ROOT_CONTEXT,
  trace as otelTrace,
  TraceFlags,
  type Context,
  type SpanContext,
} from '@opentelemetry/api';
import type { TraceCarrier } from '../../agents/contracts';
import { waitSpanId } from '../../agents/orchestration/run-telemetry';
import { contextWithParent, parseTraceparent } from '../../telemetry/span-ids';
import type { TripRun } from '../../travel/api/run-resource';
import { TRIP_ORCHESTRATION } from '../../travel/schemas';
import { sendInTraceOf } from '../durable-client-tracing';

/** The root span a new run's trace was started under (see `runRootContext`). */
const RUN_ROOT = createContextKey('waypoint.run-root');

/** A valid W3C traceparent (version 00, neither id all zeros). */
const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * Starts the root span of a new run's trace and returns the context the request that starts the
 * run runs in (its first child). The span is not ended here: the run records it, under the ids
 * chosen here, when it ends (`recordRunFinished`).
 */
export function runRootContext(): Context {
  const span = otelTrace
    .getTracer('waypoint.api')
    .startSpan(`invoke_workflow ${TRIP_ORCHESTRATION}`, { root: true }, ROOT_CONTEXT);
  return otelTrace.setSpan(ROOT_CONTEXT, span).setValue(RUN_ROOT, span.spanContext());
}

/**
 * The W3C context the run's trace continues: its root span's, else the current span's, else the
 * one the Functions host gave this invocation (in Azure the host's request span), else none.
 */
export function traceCarrier(context: InvocationContext): TraceCarrier | undefined {
  const span =
    (otelContext.active().getValue(RUN_ROOT) as SpanContext | undefined) ??
    otelTrace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) {
    const flags = span.traceFlags & TraceFlags.SAMPLED ? '01' : '00';
    return { traceparent: `00-${span.traceId}-${span.spanId}-${flags}` };
  }
  const { traceParent, traceState } = context.traceContext ?? {};
  if (!traceParent || !TRACEPARENT.test(traceParent)) return undefined;
  return { traceparent: traceParent, ...(traceState ? { tracestate: traceState.slice(0, 512) } : {}) };
}

/**
 * Sends a person's answer in the run's trace: the event it raises is recorded under the run's
 * wait it ends (`wait {event}`, whose id both sides derive from the run, the event and the wait's
 * number `n`), linked to this request; this request, in a trace of its own, links to that wait.
 */
export function inRunTrace<T>(run: TripRun, event: string, n: number, send: () => Promise<T>): Promise<T> {
  const root = parseTraceparent(run.input.trace?.traceparent);
  if (!root) return send();
  const wait = waitSpanId(run.snapshot.instanceId, event, n);
  otelTrace.getActiveSpan()?.addLink({
    context: { traceId: root.traceId, spanId: wait, traceFlags: root.sampled ? 1 : 0, isRemote: true },
    attributes: { 'waypoint.link': `wait ${event}` },
  });
  return sendInTraceOf(contextWithParent(root.traceId, wait, otelContext.active(), root.sampled), send);
}
