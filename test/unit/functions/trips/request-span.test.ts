/**
 * The trips API's spans, recorded by the real OpenTelemetry SDK into an in-memory exporter: each
 * request is the root of its own trace (a caller's traceparent is a link, never the parent), the
 * request that starts a run is the first child of the run's root, and the context the run carries
 * in its input is that root's. A person's answer to a waiting run is sent under the run's wait.
 */
import { HttpRequest, InvocationContext } from '@azure/functions';
import { context as otelContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitSpanId } from '../../../../src/agents/orchestration/run-telemetry';
import { callerHash, inRequestSpan, recordCaller } from '../../../../src/functions/trips/request-span';
import { inRunTrace, traceCarrier } from '../../../../src/functions/trips/run-trace';
import { RUN_ID_HEADER } from '../../../../src/telemetry/access-log';
import { loadTelemetrySettings } from '../../../../src/telemetry/settings';
import { initTelemetry, shutdownTelemetry } from '../../../../src/telemetry/setup';
import type { TripRun } from '../../../../src/travel/api/run-resource';

const exporter = new InMemorySpanExporter();
const INBOUND = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
const RUN_ID = 'run-0123456789abcdef';

beforeAll(() => {
  initTelemetry({
    settings: loadTelemetrySettings({ WAYPOINT_TRACE_STORE: 'off' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
});
afterAll(async () => {
  await shutdownTelemetry();
});
beforeEach(() => exporter.reset());

function request(method: string, path: string, params: Record<string, string> = {}): HttpRequest {
  return new HttpRequest({ method, url: `http://localhost${path}`, params });
}

function invocation(traceParent?: string, traceState?: string): InvocationContext {
  return new InvocationContext({
    ...(traceParent ? { traceContext: { traceParent, traceState, attributes: {} } } : {}),
  });
}

describe('inRequestSpan', () => {
  it('records a request as the root of its own trace, linked to the inbound context', async () => {
    const response = await inRequestSpan(
      request('GET', `/api/trips/${RUN_ID}`, { id: RUN_ID }),
      invocation(INBOUND),
      { path: 'trips/{id}' },
      () => {
        recordCaller('local-user');
        return Promise.resolve({ status: 200, jsonBody: { id: RUN_ID }, headers: { 'X-Kept': 'yes' } });
      },
    );
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('GET /api/trips/{id}');
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.spanContext().traceId).not.toBe(INBOUND.split('-')[1]);
    expect(span.links.map((link) => link.context.spanId)).toEqual([INBOUND.split('-')[2]]);
    expect(span.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/api/trips/{id}',
      'url.path': `/api/trips/${RUN_ID}`,
      'http.response.status_code': 200,
      'waypoint.run.id': RUN_ID,
      'enduser.pseudo.id': callerHash('local-user'),
    });
    const { traceId, spanId } = span.spanContext();
    expect(response.headers).toEqual({
      'X-Kept': 'yes',
      traceresponse: `00-${traceId}-${spanId}-01`,
      [RUN_ID_HEADER]: RUN_ID,
    });
  });

  it('names no run on a refusal, and marks a server fault as an error', async () => {
    const refused = await inRequestSpan(
      request('GET', `/api/trips/${RUN_ID}`, { id: RUN_ID }),
      invocation(),
      { path: 'trips/{id}' },
      () => Promise.resolve({ status: 404, jsonBody: { error: { code: 'not_found' } } }),
    );
    expect(refused.headers).not.toHaveProperty(RUN_ID_HEADER);
    await inRequestSpan(request('GET', '/api/trips'), invocation(), { path: 'trips' }, () =>
      Promise.resolve({ status: 500 }),
    );
    const [notFound, fault] = exporter.getFinishedSpans();
    expect(notFound.attributes).not.toHaveProperty('waypoint.run.id');
    expect(notFound.status.code).toBe(SpanStatusCode.UNSET);
    expect(fault.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('puts the request that starts a run under the run’s root, whose context the run carries', async () => {
    let carried: string | undefined;
    await inRequestSpan(
      request('POST', '/api/trips'),
      invocation(INBOUND),
      { path: 'trips', startsRun: true },
      () => {
        carried = traceCarrier(invocation(INBOUND))?.traceparent;
        return Promise.resolve({ status: 202, jsonBody: { id: RUN_ID } });
      },
    );
    // The run's root is not ended here (the run records it when it ends): only the request is.
    const [span] = exporter.getFinishedSpans();
    expect(span.name).toBe('POST /api/trips');
    const root = span.parentSpanContext;
    expect(root?.traceId).toBe(span.spanContext().traceId);
    expect(carried).toBe(`00-${root?.traceId}-${root?.spanId}-01`);
    expect(span.attributes['waypoint.run.id']).toBe(RUN_ID);
  });
});

describe('traceCarrier', () => {
  it('carries the active span’s context', () => {
    trace.getTracer('test').startActiveSpan('active', (span) => {
      const { traceId, spanId } = span.spanContext();
      expect(traceCarrier(invocation(INBOUND))).toEqual({ traceparent: `00-${traceId}-${spanId}-01` });
      span.end();
    });
  });

  it('outside any span, carries the invocation’s valid context (tracestate capped), else none', () => {
    expect(traceCarrier(invocation(INBOUND, `a=${'x'.repeat(600)}`))).toEqual({
      traceparent: INBOUND,
      tracestate: `a=${'x'.repeat(510)}`,
    });
    expect(traceCarrier(invocation(`00-${'0'.repeat(32)}-b7ad6b7169203331-01`))).toBeUndefined();
    expect(traceCarrier(invocation())).toBeUndefined();
  });
});

describe('inRunTrace', () => {
  const runWith = (traceparent?: string) =>
    ({
      snapshot: { instanceId: RUN_ID },
      input: traceparent ? { trace: { traceparent } } : {},
    }) as unknown as TripRun;

  it('sends an event under the run’s wait it ends, and links the request to that wait', async () => {
    const wait = waitSpanId(RUN_ID, 'input', 2);
    await trace.getTracer('test').startActiveSpan('request', async (span) => {
      const sentUnder = await inRunTrace(runWith(INBOUND), 'input', 2, () =>
        Promise.resolve(trace.getSpanContext(otelContext.active())),
      );
      expect(sentUnder).toMatchObject({ traceId: INBOUND.split('-')[1], spanId: wait });
      span.end();
    });
    const [request] = exporter.getFinishedSpans();
    expect(request.links).toEqual([
      expect.objectContaining({
        context: expect.objectContaining({ traceId: INBOUND.split('-')[1], spanId: wait }),
        attributes: { 'waypoint.link': 'wait input' },
      }),
    ]);
  });

  it('just sends for a run without a trace', async () => {
    await expect(inRunTrace(runWith(), 'input', 1, () => Promise.resolve('sent'))).resolves.toBe('sent');
  });
});
