/**
 * traceDurableClient: the unmodified DurableClient (durable-functions 3.5.0, its own axios) sends
 * the active span's traceparent with its requests, here to a loopback server standing in for the
 * Durable extension's RPC endpoint; starting an orchestration and raising an event are PRODUCER
 * spans (the Durable Task tracing spec's) whose context is what goes out; nothing without an
 * active span; a client without the expected axios instance is left working.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import * as df from 'durable-functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendInTraceOf, traceDurableClient } from '../../../src/functions/durable-client-tracing';
import { contextWithParent } from '../../../src/telemetry/span-ids';
import { configureLogging } from '../../../src/telemetry/logger';
import { loadTelemetrySettings } from '../../../src/telemetry/settings';
import { initTelemetry, shutdownTelemetry } from '../../../src/telemetry/setup';
import { durableClientAt } from '../../support/durable-client';

const received: IncomingHttpHeaders[] = [];
const exporter = new InMemorySpanExporter();
let server: Server;
let base: string;

beforeAll(async () => {
  initTelemetry({
    settings: loadTelemetrySettings({ WAYPOINT_TRACE_STORE: 'off' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  server = createServer((req, res) => {
    received.push(req.headers);
    req.resume();
    req.on('end', () => {
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'instance-1' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await shutdownTelemetry();
});

/** A DurableClient as df.getClient builds it inside a function with a durableClient input. */
const durableClient = () => durableClientAt(base);

describe('traceDurableClient', () => {
  it("sends the active span's traceparent with the client's requests, installed once", async () => {
    const client = durableClient();
    expect(traceDurableClient(traceDurableClient(client))).toBe(client);
    const handlers = (
      client as unknown as { axiosInstance: { interceptors: { request: { handlers: unknown[] } } } }
    ).axiosInstance.interceptors.request.handlers;
    expect(handlers).toHaveLength(1);

    received.length = 0;
    exporter.reset();
    const caller = await trace.getTracer('test').startActiveSpan('caller', async (span) => {
      await client.startNew('orchestration', { instanceId: 'run-1' });
      await client.raiseEvent('run-1', 'approval', { approved: true });
      span.end();
      return span.spanContext();
    });
    expect(received).toHaveLength(2);
    const [create, event] = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.PRODUCER);
    expect(create).toMatchObject({
      name: 'create_orchestration:orchestration',
      attributes: {
        'durabletask.type': 'orchestration',
        'durabletask.task.name': 'orchestration',
        // The id the backend answered with (this stand-in always says instance-1).
        'durabletask.task.instance_id': 'instance-1',
      },
    });
    expect(event).toMatchObject({
      name: 'orchestration_event:approval',
      attributes: {
        'durabletask.type': 'event',
        'durabletask.event.name': 'approval',
        'durabletask.event.target_instance_id': 'run-1',
      },
    });
    // Each request carries its own PRODUCER span's context, a child of the caller's span.
    for (const [index, span] of [create, event].entries()) {
      expect(span.parentSpanContext?.spanId).toBe(caller.spanId);
      expect(received[index].traceparent).toBe(`00-${caller.traceId}-${span.spanContext().spanId}-01`);
    }
  });

  it('places an event in another trace (a run’s) under a given span, linked to the caller', async () => {
    const client = traceDurableClient(durableClient());
    received.length = 0;
    exporter.reset();
    const runTrace = '4bf92f3577b34da6a3ce929d0e0e4736';
    const wait = '00f067aa0ba902b7';
    const caller = await trace.getTracer('test').startActiveSpan('POST input', async (span) => {
      await sendInTraceOf(contextWithParent(runTrace, wait, ROOT_CONTEXT), () =>
        client.raiseEvent('run-1', 'input', { startDate: '2027-03-10' }),
      );
      span.end();
      return span.spanContext();
    });
    const [event] = exporter.getFinishedSpans().filter((s) => s.kind === SpanKind.PRODUCER);
    expect(event.spanContext().traceId).toBe(runTrace);
    expect(event.parentSpanContext?.spanId).toBe(wait);
    expect(event.links.map((l) => l.context.spanId)).toEqual([caller.spanId]);
    expect(received[0].traceparent).toBe(`00-${runTrace}-${event.spanContext().spanId}-01`);
  });

  it('sends no traceparent when no span is active', async () => {
    const client = traceDurableClient(durableClient());
    received.length = 0;
    await client.startNew('orchestration');
    expect(received).toHaveLength(1);
    expect(received[0]).not.toHaveProperty('traceparent');
  });

  it('leaves a client without the expected axios instance as it is, and says so', () => {
    const lines: string[] = [];
    configureLogging({ sink: (line) => lines.push(line) });
    try {
      const odd = { startNew: () => Promise.resolve('id') } as unknown as df.DurableClient;
      expect(traceDurableClient(odd)).toBe(odd);
    } finally {
      configureLogging({ sink: (line) => process.stderr.write(line + '\n') });
    }
    expect(lines.filter((line) => line.includes('no axiosInstance'))).toHaveLength(1);
  });
});
