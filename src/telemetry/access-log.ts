/**
 * Correlation for a host's access line. The host writes the line after the app answered, outside
 * the app's span, so it reads the ids from the exchange itself: the request span the app reports
 * in its `traceresponse` header (W3C Trace Context Level 2), else the caller's `traceparent` (the
 * DurableClient's calls to the management API carry the run's context), and the run the answer
 * was about from `Waypoint-Run-Id`, else from the request's W3C baggage (`waypoint.run.id`).
 */
import { runIdFromBaggage } from './propagation';
import { parseTraceparent } from './span-ids';
import { ATTR_WAYPOINT_RUN_ID } from './semconv';

/** The response header that names the run an answer was about. */
export const RUN_ID_HEADER = 'waypoint-run-id';

type HeaderValue = string | string[] | number | undefined;

const first = (value: HeaderValue): string | undefined =>
  Array.isArray(value) ? value[0] : value === undefined ? undefined : String(value);

/** `trace_id`, `span_id` and `waypoint.run.id` for the logger, from the exchange's headers. */
export function accessLogCorrelation(exchange: {
  requestHeader(name: string): HeaderValue;
  responseHeader(name: string): HeaderValue;
}): Record<string, string> {
  const span =
    parseTraceparent(first(exchange.responseHeader('traceresponse'))) ??
    parseTraceparent(first(exchange.requestHeader('traceparent')));
  const runId =
    first(exchange.responseHeader(RUN_ID_HEADER)) ??
    runIdFromBaggage(first(exchange.requestHeader('baggage')));
  return {
    ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}),
    ...(runId && runId.length <= 200 ? { [ATTR_WAYPOINT_RUN_ID]: runId } : {}),
  };
}

/** The `traceresponse` value for a request span (what an answer reports as its own trace). */
export function traceresponseOf(span: { traceId: string; spanId: string; traceFlags: number }): string {
  return `00-${span.traceId}-${span.spanId}-${(span.traceFlags & 1) === 1 ? '01' : '00'}`;
}
