/**
 * Where an activity's spans go. An agent's activities (its model turns, its tool calls) record
 * their spans under the agent's `invoke_agent` span, whose context the orchestration puts in the
 * activity input: GenAI viewers build agent → model call → tool call from parent links. The
 * Durable activity span that ran the attempt (handed over as `InvocationContext.traceContext` by
 * the Durable extension with distributed tracing V2, and by the local host) stays in the
 * orchestration's tree, tied to them by a link. Without an agent context in the input, the
 * activity's own span is the parent, as before.
 *
 * A span's id is derived from the activity span's id and what the span is: a rerun of the same
 * attempt after a crash (the local host gives an attempt the same span id every time) records
 * the same span again, and the trace store keeps one.
 */
import { ROOT_CONTEXT, type Link } from '@opentelemetry/api';
import type { InvocationContext } from '@azure/functions';
import { contextFromInvocation, traceHeadersFor } from '../../telemetry/propagation';
import { deriveSpanId, parseTraceparent } from '../../telemetry/span-ids';
import type { TraceCarrier } from '../contracts';

export interface ActivitySpans {
  /** The parent of the activity's spans. */
  parent: TraceCarrier | undefined;
  /** The Durable activity span, when it is not the parent. */
  links: Link[];
  /** A derived id for the activity's span `what` (e.g. `chat`), when the attempt has a span of its own. */
  spanId(what: string): string | undefined;
}

/** The activity's span placement from the invocation's trace context and the input's. */
export function activitySpans(
  traceContext: InvocationContext['traceContext'],
  fromInput: TraceCarrier | undefined,
): ActivitySpans {
  const invocation = invocationCarrier(traceContext);
  const attempt = parseTraceparent(invocation?.traceparent);
  const parent = fromInput ?? invocation;
  return {
    parent,
    links:
      attempt && fromInput
        ? [
            {
              context: {
                traceId: attempt.traceId,
                spanId: attempt.spanId,
                traceFlags: attempt.sampled ? 1 : 0,
              },
            },
          ]
        : [],
    spanId: (what) => (attempt ? deriveSpanId(what, attempt.spanId) : undefined),
  };
}

/** The invocation's trace context when it carries a valid traceparent. */
function invocationCarrier(traceContext: InvocationContext['traceContext']): TraceCarrier | undefined {
  if (!traceContext?.traceParent) return undefined;
  const headers = traceHeadersFor(contextFromInvocation(traceContext, ROOT_CONTEXT));
  return headers.traceparent
    ? { traceparent: headers.traceparent, ...(headers.tracestate ? { tracestate: headers.tracestate } : {}) }
    : undefined;
}
