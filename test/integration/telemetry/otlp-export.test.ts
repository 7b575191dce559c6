import { context, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { endChatSpan, startChatSpan } from '../../../src/telemetry/genai';
import { withRunId } from '../../../src/telemetry/run-context';
import { loadTelemetrySettings } from '../../../src/telemetry/settings';
import { initTelemetry, shutdownTelemetry } from '../../../src/telemetry/setup';
import { startCaptureServer, type CaptureServer } from './support/capture-server';
import {
  metricNamesFromJson,
  metricNamesFromProtobuf,
  spansFromJson,
  spansFromProtobuf,
  type DecodedSpan,
} from './support/otlp';

let receiver: CaptureServer | undefined;

afterEach(async () => {
  await shutdownTelemetry();
  await receiver?.close();
  receiver = undefined;
});

// A local OTLP/HTTP receiver stands in for any OTLP backend (a collector, Jaeger, Aspire).
describe.each([
  {
    protocol: 'http/protobuf',
    contentType: 'application/x-protobuf',
    spans: spansFromProtobuf,
    metrics: metricNamesFromProtobuf,
  },
  {
    protocol: 'http/json',
    contentType: 'application/json',
    spans: spansFromJson,
    metrics: metricNamesFromJson,
  },
])('OTLP export over $protocol', ({ protocol, contentType, spans: decodeSpans, metrics: decodeMetrics }) => {
  it('sends the run’s spans with the service resource, GenAI attributes and the token usage metric', async () => {
    receiver = await startCaptureServer();
    const telemetry = initTelemetry({
      settings: loadTelemetrySettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        WAYPOINT_TRACE_STORE: ':memory:',
        WAYPOINT_ENVIRONMENT: 'test',
      }),
    });
    // Locally, OTLP goes beside the trace store.
    expect(telemetry.exporters).toEqual(['otlp', 'trace-store']);

    const root = trace.getTracer('test').startSpan('POST /api/trips', { kind: SpanKind.SERVER });
    withRunId('run-otlp-1', () =>
      context.with(trace.setSpan(context.active(), root), () => {
        const chat = startChatSpan({ provider: 'openai', model: 'gpt-4o-mini' });
        endChatSpan(chat, {
          responseModel: 'gpt-4o-mini',
          finishReasons: ['stop'],
          usage: { inputTokens: 30, outputTokens: 7 },
        });
      }),
    );
    root.end();
    await shutdownTelemetry(); // flushes spans and metrics

    const traces = receiver.requests.filter((r) => r.path === '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    expect(traces.every((r) => r.method === 'POST' && r.contentType.startsWith(contentType))).toBe(true);
    const spans: DecodedSpan[] = traces.flatMap((r) => decodeSpans(r.body));
    const rootSpan = spans.find((s) => s.name === 'POST /api/trips');
    const chatSpan = spans.find((s) => s.name === 'chat gpt-4o-mini');
    expect(rootSpan?.traceId).toBe(root.spanContext().traceId);
    expect(chatSpan?.traceId).toBe(rootSpan?.traceId);
    expect(chatSpan?.parentSpanId).toBe(rootSpan?.spanId);
    expect(chatSpan?.kind).toBe(3); // CLIENT in OTLP's enum
    expect(chatSpan?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 30,
      'gen_ai.usage.output_tokens': 7,
      'waypoint.run.id': 'run-otlp-1',
    });
    expect(rootSpan?.resource).toMatchObject({
      'service.name': 'waypoint-agents',
      'service.version': '0.1.0',
      'deployment.environment.name': 'test',
      // Each process is an instance of the service.
      'service.instance.id': expect.stringMatching(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      ),
    });

    const metricRequests = receiver.requests.filter((r) => r.path === '/v1/metrics');
    expect(metricRequests.length).toBeGreaterThan(0);
    expect(metricRequests.flatMap((r) => decodeMetrics(r.body))).toEqual(
      expect.arrayContaining(['gen_ai.client.token.usage', 'gen_ai.client.operation.duration']),
    );
  });
});
