import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { withRunId } from '../../../src/telemetry/run-context';
import { loadTelemetrySettings } from '../../../src/telemetry/settings';
import { initTelemetry, shutdownTelemetry } from '../../../src/telemetry/setup';
import { TraceStore } from '../../../src/telemetry/trace-store';

const dirs: string[] = [];
afterEach(async () => {
  await shutdownTelemetry();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mode = (path: string) => statSync(path).mode & 0o777;

describe('the trace store file', () => {
  it('is created owner-only (with its WAL) and read by another connection, as the trace API would', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waypoint-traces-'));
    dirs.push(dir);
    const path = join(dir, 'nested', 'traces.sqlite');
    const telemetry = initTelemetry({ settings: loadTelemetrySettings({ WAYPOINT_TRACE_STORE: path }) });
    expect(telemetry.exporters).toEqual(['trace-store']);

    const tracer = trace.getTracer('test');
    const traceId = withRunId('run-file-1', () =>
      tracer.startActiveSpan('POST /api/trips', (root) => {
        tracer.startSpan('child', {}, context.active()).end();
        root.end();
        return root.spanContext().traceId;
      }),
    );
    await telemetry.forceFlush();

    expect(mode(path)).toBe(0o600);
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(mode(`${path}-wal`)).toBe(0o600);

    // A second connection (another process, in real life) sees the flushed spans.
    const reader = TraceStore.open({ path, maxAgeMs: 3_600_000, maxSpans: 1_000 });
    try {
      const tree = reader.readTraceTree({ runId: 'run-file-1' });
      expect(tree?.traceId).toBe(traceId);
      expect(tree?.spans[0]).toMatchObject({ name: 'POST /api/trips', children: [{ name: 'child' }] });
    } finally {
      reader.close();
    }
    await shutdownTelemetry();
  });

  it('runs the app without a store it cannot open, rather than failing start-up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waypoint-traces-'));
    dirs.push(dir);
    // A directory where the file should be: SQLite cannot open it.
    const telemetry = initTelemetry({ settings: loadTelemetrySettings({ WAYPOINT_TRACE_STORE: dir }) });
    expect(telemetry.traceStore).toBeUndefined();
    expect(telemetry.exporters).toEqual([]);
    // ...and leaves what is there alone.
    expect(mode(dir)).toBe(0o700);
  });
});
