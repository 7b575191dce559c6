/**
 * Every log line that belongs to a run carries one correlation vocabulary — `trace_id`, `span_id`
 * and `waypoint.run.id` — and reaches an OTLP backend as a log record in the run's context. The
 * real app (dist/) on the local host, exporting over OTLP/HTTP to a local receiver, plans and
 * books a trip (with a question and an approval); the lines that belong to it are the trips API's,
 * the host's about the run's instances, the MCP servers' about its calls, and the host's access
 * lines for the run's requests (their ids read from the app's `traceresponse`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureLogging } from '../../src/telemetry/logger';
import type * as Setup from '../../src/telemetry/setup';
import { startCaptureServer, type CaptureServer } from '../integration/telemetry/support/capture-server';
import { logsFromJson, type DecodedLogRecord } from '../integration/telemetry/support/otlp';
import { startAppHost, type AppHost } from '../support/app-host';
import { BOOKING_WITHOUT_DATES } from '../support/trace-checks';
import { tripsClient, type TripsClient } from '../support/trips-client';

let receiver: CaptureServer;
let app: AppHost;
let trips: TripsClient;
const lines: string[] = [];

beforeAll(async () => {
  receiver = await startCaptureServer();
  // The host's own logger (this process's module): info, as `npm start` logs.
  configureLogging({ level: 'info', format: 'json', sink: (line) => lines.push(line) });
  app = await startAppHost({
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.origin,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    LOG_LEVEL: 'info',
    LOG_FORMAT: 'json',
  });
  trips = tripsClient(app);
});
afterAll(async () => {
  await app.host.stop();
  await receiver.close();
  configureLogging({ level: 'warn', format: 'text', sink: (line) => process.stderr.write(line + '\n') });
});

describe('log lines of a run', () => {
  it('carry trace_id, span_id and waypoint.run.id, and reach OTLP as records in the run’s context', async () => {
    const id = await trips.start(BOOKING_WITHOUT_DATES);
    await trips.waitFor(id, ['needs_input']);
    await trips.api('POST', `/api/trips/${id}/input`, { startDate: '2027-03-10', endDate: '2027-03-14' });
    await trips.waitFor(id, ['awaiting_approval']);
    await trips.api('POST', `/api/trips/${id}/approval`, { approved: true });
    const run = await trips.waitFor(id, ['completed']);
    await app.appModule<typeof Setup>('src/telemetry/setup.js').currentTelemetry()?.forceFlush();

    const records: DecodedLogRecord[] = receiver.requests
      .filter((r) => r.path === '/v1/logs')
      .flatMap((r) => logsFromJson(r.body));
    // What belongs to the run: lines that name it, its instances, its calls or its requests.
    const mentions = (record: DecodedLogRecord) =>
      record.body.includes(id) ||
      Object.values(record.attributes).some((value) => typeof value === 'string' && value.includes(id));
    const ofRun = records.filter(mentions);
    expect(ofRun.length).toBeGreaterThan(10);
    for (const record of ofRun) {
      expect(record, `${record.body} ${JSON.stringify(record.attributes)}`).toMatchObject({
        traceId: expect.stringMatching(/^[0-9a-f]{32}$/),
        spanId: expect.stringMatching(/^[0-9a-f]{16}$/),
        attributes: { 'waypoint.run.id': id },
      });
    }
    // Lines inside the run's work are in the run's trace (the API's person-facing requests each
    // have a trace of their own, linked to the run).
    const loggers = (logger: string) => ofRun.filter((r) => r.attributes['waypoint.logger'] === logger);
    for (const record of [...loggers('host:durable'), ...loggers('mcp:bookings')]) {
      expect(record.traceId, record.body).toBe(run.traceId);
    }
    expect(loggers('mcp:bookings').map((r) => r.body)).toEqual(['booking created', 'booking created']);
    // The host's access lines for the run's requests, ids included.
    const access = loggers('host:http').map((r) => r.body);
    expect(access).toEqual(
      expect.arrayContaining([
        `POST /api/trips/${id}/input -> 202`,
        `POST /api/trips/${id}/approval -> 202`,
        `GET /api/trips/${id} -> 200`,
      ]),
    );
    // The stderr lines say the same as the records.
    const host = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    const accessLine = host.find((l) => l.msg === `POST /api/trips/${id}/input -> 202`);
    expect(accessLine).toMatchObject({
      trace_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      span_id: expect.stringMatching(/^[0-9a-f]{16}$/),
      'waypoint.run.id': id,
    });
  });
});
