import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, trace } from '@opentelemetry/api';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DurableStore } from '../../../src/local-host/durable/store';
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

  it('holds the spans of one turn, and writes them before a durable commit or at the end of the turn', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'waypoint-traces-'));
    dirs.push(dir);
    const path = join(dir, 'traces.sqlite');
    initTelemetry({ settings: loadTelemetrySettings({ WAYPOINT_TRACE_STORE: path }) });
    const durable = new DurableStore(join(dir, 'durable.sqlite'));
    // Another connection, as a process reading the file after this one was killed would see it.
    const file = new Database(path, { readonly: true });
    const stored = () => (file.prepare('SELECT COUNT(*) AS n FROM spans').get() as { n: number }).n;
    try {
      const tracer = trace.getTracer('test');
      tracer.startSpan('chat').end();
      tracer.startSpan('execute_tool').end();
      expect(stored()).toBe(0);
      // The commit that would make the activity's result final: its spans are in the file first.
      durable.transaction(() => undefined);
      expect(stored()).toBe(2);

      // A span ended inside the commit (an execution's own span, when it ends) is in the file too.
      durable.transaction(() => {
        tracer.startSpan('invoke_workflow').end();
        expect(stored()).toBe(2);
      });
      expect(stored()).toBe(3);

      tracer.startSpan('invoke_agent').end();
      expect(stored()).toBe(3);
      await new Promise((resolve) => setImmediate(resolve));
      expect(stored()).toBe(4);
    } finally {
      file.close();
      durable.close();
    }
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
