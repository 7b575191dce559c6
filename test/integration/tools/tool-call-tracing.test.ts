import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toolCallKey } from '../../../src/domain/idempotency-keys';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { SqliteBookingsStore } from '../../../src/stores/sqlite/bookings-store';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import { withRunId } from '../../../src/telemetry/run-context';
import { loadTelemetrySettings } from '../../../src/telemetry/settings';
import { initTelemetry, shutdownTelemetry, type Telemetry } from '../../../src/telemetry/setup';
import { ToolClient } from '../../../src/tools/tool-client';
import { getGazetteer } from '../../../src/geo';
import { retryLikeDurable } from './support/durable-like-retry';
import { futureDate } from './support/tool-servers';

// The tool client and the MCP servers run in this process on loopback, with the real SDK and the
// real MCP transport: the client's execute_tool span and the server's tools/call span land in one
// exporter, so parentage across the hop can be checked exactly.
const exporter = new InMemorySpanExporter();
let telemetry: Telemetry;
let flights: RunningMcpHttpServer;
let flakyFlights: RunningMcpHttpServer;
let downFlights: RunningMcpHttpServer;
let bookingsServer: RunningMcpHttpServer;
let bookingsStore: SqliteBookingsStore;
let idempotency: SqliteIdempotencyStore;
let client: ToolClient;

beforeAll(async () => {
  telemetry = initTelemetry({
    settings: loadTelemetrySettings({ WAYPOINT_TRACE_STORE: ':memory:' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  // The servers run in this process: load the airport data now, not inside the first (timed) call.
  getGazetteer();
  bookingsStore = SqliteBookingsStore.open(':memory:');
  idempotency = SqliteIdempotencyStore.open(':memory:');
  [flights, flakyFlights, downFlights, bookingsServer] = await Promise.all([
    startMcpHttpServer({ server: 'flights' }),
    // Seeded: the first call fails, and a later one gets through.
    startMcpHttpServer({ server: 'flights', faults: { transientErrorRate: 0.6, seed: 3 } }),
    startMcpHttpServer({ server: 'flights', faults: { transientErrorRate: 1 } }),
    startMcpHttpServer({ server: 'bookings', bookingsStore }),
  ]);
  client = new ToolClient({
    servers: {
      flights: flights.url,
      flaky: flakyFlights.url,
      down: downFlights.url,
      bookings: bookingsServer.url,
    },
    allowList: { planner: ['flights.*', 'flaky.*', 'down.*', 'bookings.*'] },
    idempotency,
    // Sized for a busy 2-core machine: a call there can take seconds.
    callTimeoutMs: 15_000,
    pendingStaleAfterMs: 30_000,
  });
});

afterAll(async () => {
  await client.close();
  await Promise.all([flights, flakyFlights, downFlights, bookingsServer].map((server) => server.close()));
  await shutdownTelemetry();
  await idempotency.close();
  await bookingsStore.close();
});

beforeEach(() => exporter.reset());

/** Runs `body` under a root span standing in for the run's trace, returning the root. */
async function underRoot<T>(
  runId: string,
  body: () => Promise<T>,
): Promise<{ root: ReadableSpan; value: T }> {
  const tracer = trace.getTracer('test');
  const span = tracer.startSpan('run');
  const value = await withRunId(runId, () => context.with(trace.setSpan(context.active(), span), body));
  span.end();
  const root = exporter.getFinishedSpans().find((s) => s.spanContext().spanId === span.spanContext().spanId)!;
  return { root, value };
}

const named = (name: string) => exporter.getFinishedSpans().filter((span) => span.name === name);
const search = { origin: 'LHR', destination: 'JFK', departDate: futureDate() };

describe('tool call tracing over MCP', () => {
  it('puts client and server in one trace: execute_tool parents tools/call, with the MCP attributes', async () => {
    const { root, value } = await underRoot('run-trace-1', () =>
      client.callTool({
        agent: 'planner',
        tool: 'flights.search_flights',
        arguments: search,
        toolCallId: 'call_1',
      }),
    );
    expect(value.ok).toBe(true);
    const [clientSpan] = named('execute_tool search_flights');
    const [serverSpan] = named('tools/call search_flights');
    expect(clientSpan).toBeDefined();
    expect(serverSpan).toBeDefined();
    // Exactly one client span (no second MCP client span) and one server span.
    expect(
      exporter
        .getFinishedSpans()
        .map((s) => s.name)
        .sort(),
    ).toEqual(['execute_tool search_flights', 'run', 'tools/call search_flights'].sort());

    const traceId = root.spanContext().traceId;
    for (const span of [clientSpan, serverSpan]) expect(span.spanContext().traceId).toBe(traceId);
    expect(clientSpan.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);

    expect(clientSpan.kind).toBe(SpanKind.CLIENT);
    expect(clientSpan.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search_flights',
      'gen_ai.tool.call.id': 'call_1',
      'gen_ai.tool.type': 'function',
      'mcp.method.name': 'tools/call',
      'server.address': '127.0.0.1',
      'server.port': flights.port,
      'waypoint.agent': 'planner',
      'waypoint.run.id': 'run-trace-1',
      'waypoint.idempotent_replay': false,
    });
    const requestId = clientSpan.attributes['jsonrpc.request.id'];
    expect(requestId).toMatch(/^\d+$/);
    expect(clientSpan.attributes['error.type']).toBeUndefined();
    // Content capture is off by default: no arguments or results on the span.
    expect(clientSpan.attributes['gen_ai.tool.call.arguments']).toBeUndefined();

    expect(serverSpan.kind).toBe(SpanKind.SERVER);
    expect(serverSpan.attributes).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'search_flights',
      'jsonrpc.request.id': requestId,
      'waypoint.tool.server': 'flights',
    });
    expect(serverSpan.status.code).toBe(SpanStatusCode.UNSET);

    // The local trace store holds the same tree, found by the run id.
    await telemetry.forceFlush();
    const tree = telemetry.traceStore!.readTraceTree({ runId: 'run-trace-1' });
    expect(tree?.traceId).toBe(traceId);
    expect(tree?.spans.map((s) => s.name)).toEqual(['run']);
    const [toolNode] = tree!.spans[0].children;
    expect(toolNode).toMatchObject({ name: 'execute_tool search_flights', kind: 'CLIENT' });
    expect(toolNode.children.map((s) => [s.name, s.kind])).toEqual([['tools/call search_flights', 'SERVER']]);
  });

  it('continues an explicit traceparent (an activity continuing the run from the orchestration input)', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const result = await client.callTool({
      agent: 'planner',
      tool: 'flights.search_flights',
      arguments: search,
      traceparent,
      tracestate: 'waypoint=t1',
    });
    expect(result.ok).toBe(true);
    const [clientSpan] = named('execute_tool search_flights');
    const [serverSpan] = named('tools/call search_flights');
    expect(clientSpan.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(clientSpan.parentSpanContext).toMatchObject({ spanId: '00f067aa0ba902b7', isRemote: true });
    expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
    expect(serverSpan.spanContext().traceState?.get('waypoint')).toBe('t1');
  });

  it('shows a tool error as an error span with error.type on both sides', async () => {
    const result = await underRoot('run-trace-2', () =>
      client.callTool({
        agent: 'planner',
        tool: 'bookings.get_booking',
        arguments: { bookingId: 'BK-DOES-NOT-EXIST' },
      }),
    );
    expect(result.value.ok).toBe(false);
    const code = !result.value.ok ? result.value.error.code : '';
    const [clientSpan] = named('execute_tool get_booking');
    const [serverSpan] = named('tools/call get_booking');
    expect(code).toBe('tool_error');
    // The MCP conventions: a result with isError is `tool_error` on both sides, the tool's own
    // code beside it; the client span names the calling agent.
    expect(clientSpan.status.code).toBe(SpanStatusCode.ERROR);
    expect(clientSpan.attributes).toMatchObject({
      'error.type': 'tool_error',
      'waypoint.tool.error_code': 'not_found',
      'gen_ai.agent.name': 'planner',
      'network.transport': 'tcp',
      'mcp.protocol.version': expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(serverSpan.status.code).toBe(SpanStatusCode.ERROR);
    expect(serverSpan.attributes).toMatchObject({
      'error.type': 'tool_error',
      'waypoint.tool.error_code': 'not_found',
    });
    expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
  });

  it('marks a retryable failure, and each retry of the same call carries a retry event', async () => {
    const call = () =>
      underRoot('run-trace-3', () =>
        client.callTool({
          agent: 'planner',
          tool: 'flaky.search_flights',
          arguments: search,
          toolCallId: 'call_retry',
        }),
      );
    const { attempts, thrown } = await retryLikeDurable(call);
    expect(attempts).toBeGreaterThan(1);
    expect(thrown.every((code) => code === 'transient')).toBe(true);

    const clientSpans = named('execute_tool search_flights').sort(
      (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
    );
    expect(clientSpans).toHaveLength(attempts);
    clientSpans.forEach((span, index) => {
      const last = index === attempts - 1;
      expect(span.status.code).toBe(last ? SpanStatusCode.UNSET : SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe(last ? undefined : 'transient');
      const retries = span.events.filter((event) => event.name === 'waypoint.retry');
      if (index === 0) {
        expect(retries).toEqual([]);
      } else {
        expect(retries).toHaveLength(1);
        expect(retries[0].attributes).toMatchObject({
          'waypoint.retry.attempt': index + 1,
          'error.type': 'transient',
        });
      }
    });
    // The server saw the failed attempts too: its injected 503s are error spans.
    const failedOnServer = named('tools/call search_flights').filter(
      (s) => s.status.code === SpanStatusCode.ERROR,
    );
    expect(failedOnServer).toHaveLength(attempts - 1);
    expect(failedOnServer.every((s) => s.attributes['error.type'] === '503')).toBe(true);
  });

  it('marks an idempotent replay on the span of the call that did not reach the server', async () => {
    const found = await client.callTool({
      agent: 'planner',
      tool: 'flights.search_flights',
      arguments: search,
    });
    if (!found.ok) throw new Error(found.error.message);
    const [offer] = (
      found.result.structuredContent as {
        offers: { offerId: string; totalPrice: { amount: number; currency: string } }[];
      }
    ).offers;
    const request = {
      agent: 'planner',
      tool: 'bookings.book_flight',
      arguments: {
        offerId: offer.offerId,
        travellers: [{ firstName: 'Ada', lastName: 'Lovelace' }],
        contactEmail: 'ada@example.com',
        expectedTotal: offer.totalPrice,
      },
      idempotencyKey: toolCallKey('run-trace-4', 'book-flight'),
    };
    const first = await client.callTool(request);
    expect(first).toMatchObject({ ok: true, replayed: false });
    exporter.reset();

    const again = await client.callTool(request);
    expect(again).toMatchObject({ ok: true, replayed: true });
    const [span] = named('execute_tool book_flight');
    expect(span.attributes).toMatchObject({
      'waypoint.idempotent_replay': true,
      'gen_ai.tool.call.id': request.idempotencyKey,
      'waypoint.idempotency_key': request.idempotencyKey,
    });
    // Answered from the idempotency record: the server was not called.
    expect(named('tools/call book_flight')).toEqual([]);
  });

  it('ends every call in an unreachable server with an error span and error.type', async () => {
    await expect(
      client.callTool({ agent: 'planner', tool: 'down.search_flights', arguments: search }),
    ).rejects.toMatchObject({ code: 'transient' });
    const [clientSpan] = named('execute_tool search_flights');
    expect(clientSpan.status.code).toBe(SpanStatusCode.ERROR);
    expect(clientSpan.attributes['error.type']).toBe('transient');
    expect(clientSpan.events.some((event) => event.name === 'exception')).toBe(true);
  });
});
