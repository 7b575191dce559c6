/**
 * Log lines over OTLP, through the OpenTelemetry logs SDK: every line that belongs to a run is a
 * log record with the run's trace and span ids and `waypoint.run.id` — a line inside a span of the
 * run, a line that names its run with a `runId` field (one vocabulary: it arrives as
 * `waypoint.run.id`), and an access line whose ids the host read from the exchange — and the
 * stderr line says the same. Over both OTLP/HTTP encodings, to a local receiver.
 */
import { context, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { configureLogging, createLogger } from '../../../src/telemetry/logger';
import { withRunId } from '../../../src/telemetry/run-context';
import { loadTelemetrySettings } from '../../../src/telemetry/settings';
import { initTelemetry, shutdownTelemetry } from '../../../src/telemetry/setup';
import { startCaptureServer, type CaptureServer } from './support/capture-server';
import { logsFromJson, logsFromProtobuf } from './support/otlp';

let receiver: CaptureServer | undefined;

afterEach(async () => {
  await shutdownTelemetry();
  await receiver?.close();
  receiver = undefined;
  configureLogging({ sink: (line) => process.stderr.write(line + '\n'), format: 'text' });
});

describe.each([
  { protocol: 'http/protobuf', decode: logsFromProtobuf },
  { protocol: 'http/json', decode: logsFromJson },
])('log records over OTLP ($protocol)', ({ protocol, decode }) => {
  it('carry trace_id, span_id and waypoint.run.id on every line of a run, as the stderr lines do', async () => {
    receiver = await startCaptureServer();
    const lines: string[] = [];
    configureLogging({ sink: (line) => lines.push(line), format: 'json', level: 'info' });
    initTelemetry({
      settings: loadTelemetrySettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        WAYPOINT_TRACE_STORE: 'off',
      }),
    });
    const log = createLogger('test');
    const span = trace.getTracer('test').startSpan('activity:agentTurn');
    const ids = span.spanContext();
    withRunId('trip-1', () =>
      context.with(trace.setSpan(context.active(), span), () => log.info('inside the run', { turn: 2 })),
    );
    span.end();
    log.warn('named its run', { runId: 'trip-1' });
    log.info('POST /api/trips -> 202', {
      trace_id: ids.traceId,
      span_id: '00f067aa0ba902b7',
      'waypoint.run.id': 'trip-1',
    });
    log.info('not a run');
    await shutdownTelemetry(); // flushes

    const records = receiver.requests.filter((r) => r.path === '/v1/logs').flatMap((r) => decode(r.body));
    const byBody = (body: string) => records.find((r) => r.body === body);
    expect(byBody('inside the run')).toMatchObject({
      traceId: ids.traceId,
      spanId: ids.spanId,
      severityText: 'INFO',
      attributes: { 'waypoint.run.id': 'trip-1', 'waypoint.logger': 'test', turn: 2 },
      resource: { 'service.name': 'waypoint-agents' },
    });
    expect(byBody('named its run')?.attributes).toMatchObject({ 'waypoint.run.id': 'trip-1' });
    expect(byBody('named its run')?.attributes).not.toHaveProperty('runId');
    expect(byBody('POST /api/trips -> 202')).toMatchObject({
      traceId: ids.traceId,
      spanId: '00f067aa0ba902b7',
      attributes: { 'waypoint.run.id': 'trip-1' },
    });
    expect(byBody('POST /api/trips -> 202')?.attributes).not.toHaveProperty('trace_id');
    expect(byBody('not a run')?.attributes).not.toHaveProperty('waypoint.run.id');

    // The stderr lines use the same names.
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.find((l) => l.msg === 'inside the run')).toMatchObject({
      trace_id: ids.traceId,
      span_id: ids.spanId,
      'waypoint.run.id': 'trip-1',
    });
    expect(parsed.find((l) => l.msg === 'named its run')).toMatchObject({ 'waypoint.run.id': 'trip-1' });
    expect(parsed.find((l) => l.msg === 'named its run')).not.toHaveProperty('runId');
  });
});
