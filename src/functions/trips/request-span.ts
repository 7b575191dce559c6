/**
 * The span of one trips API request: the root of its own trace (SERVER), or, for the request that
 * starts a run, the first child of the run's root. In Azure the Functions host passes its own
 * request span in `InvocationContext.traceContext`; a caller-supplied traceparent is never trusted
 * as the parent (anyone could then put spans into, and read back through the trace API, another
 * caller's trace): the request span links to the inbound context instead.
 */
import { createHash } from 'node:crypto';
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import {
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace as otelTrace,
} from '@opentelemetry/api';
import { RUN_ID_HEADER, traceresponseOf } from '../../telemetry/access-log';
import { contextFromInvocation } from '../../telemetry/propagation';
import { ATTR_ENDUSER_PSEUDO_ID } from '../../telemetry/semconv';
import { runRootContext } from './run-trace';

/** What the span needs to know of the route a request came in on. */
export interface SpannedRoute {
  /** The route below /api, as registered (`trips/{id}`). */
  readonly path: string;
  /** True for the route that starts a run: its request span is the run's first child. */
  readonly startsRun?: boolean;
}

/**
 * Runs `handle` inside the request's span and answers with its response, to which the span adds
 * `traceresponse` (the request's own trace) and, for a request about a run that succeeded, the
 * run id header (the host's access line reads both).
 */
export function inRequestSpan(
  request: HttpRequest,
  context: InvocationContext,
  route: SpannedRoute,
  handle: () => Promise<HttpResponseInit>,
): Promise<HttpResponseInit> {
  const inbound = otelTrace.getSpanContext(
    contextFromInvocation(context.traceContext ?? undefined, ROOT_CONTEXT),
  );
  const parent = route.startsRun ? runRootContext() : ROOT_CONTEXT;
  return otelTrace.getTracer('waypoint.api').startActiveSpan(
    `${request.method} /api/${route.path}`,
    {
      kind: SpanKind.SERVER,
      ...(route.startsRun ? {} : { root: true }),
      attributes: {
        'http.request.method': request.method,
        'http.route': `/api/${route.path}`,
        'url.path': new URL(request.url).pathname,
      },
      ...(inbound && isSpanContextValid(inbound) ? { links: [{ context: inbound }] } : {}),
    },
    parent,
    async (span) => {
      const handled = await handle();
      const status = handled.status ?? 200;
      span.setAttribute('http.response.status_code', status);
      const runId = request.params.id ?? (handled.jsonBody as { id?: unknown } | undefined)?.id;
      const aboutRun = typeof runId === 'string' && status < 400;
      if (aboutRun) span.setAttribute('waypoint.run.id', runId);
      const response = withHeaders(handled, {
        traceresponse: traceresponseOf(span.spanContext()),
        ...(aboutRun ? { [RUN_ID_HEADER]: runId } : {}),
      });
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
      return response;
    },
  );
}

/** Who called, pseudonymously (Application Insights' user id), on the active request span. */
export function recordCaller(callerId: string): void {
  otelTrace.getActiveSpan()?.setAttribute(ATTR_ENDUSER_PSEUDO_ID, callerHash(callerId));
}

/** A caller's pseudonymous id for traces: the first 32 hex digits of its id's SHA-256, never the id. */
export function callerHash(id: string): string {
  return createHash('sha256').update(`waypoint-caller:${id}`).digest('hex').slice(0, 32);
}

/** `response` with `headers` added (replacing any of the same name). */
export function withHeaders(response: HttpResponseInit, headers: Record<string, string>): HttpResponseInit {
  return {
    ...response,
    headers: { ...(response.headers as Record<string, string> | undefined), ...headers },
  };
}
