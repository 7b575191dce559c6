/**
 * The local host's Durable spans, in the shapes of the Durable Task tracing specification (as the
 * extension's distributed tracing V2 emits them): `orchestration:{name}` SERVER once per instance
 * when it ends, however often it replayed, and not again after a restart; per activity attempt an
 * `activity:{name}` CLIENT span under the orchestration and the SERVER span under it, whose
 * context is the activity's InvocationContext.traceContext; a sub-orchestration under its
 * parent's CLIENT span; a fired timer as `orchestration:{name}:timer`. The orchestrator itself is
 * handed its orchestration span as trace context. Spans are collected by the real telemetry setup
 * with an in-memory exporter.
 */
import { join } from 'node:path';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import { loadTelemetrySettings } from '../../../src/telemetry/settings';
import { initTelemetry, shutdownTelemetry } from '../../../src/telemetry/setup';
import { startHost, tempDir, testKeys } from '../../support/local-host';

const exporter = new InMemorySpanExporter();
const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';
const TRACEPARENT = `00-${TRACE_ID}-${CALLER_SPAN}-01`;

/** The traceparent each activity invocation was handed, recorded by a real pre-invocation hook. */
const seen: { functionName: string; traceParent: string | null | undefined }[] = [];

function recordTraceContexts(host: LocalHost): void {
  const hooks = host.app.hooks.get('preInvocation') ?? [];
  hooks.push((context: Record<string, unknown>) => {
    const invocation = context.invocationContext as {
      functionName: string;
      traceContext?: { traceParent?: string | null };
    };
    seen.push({ functionName: invocation.functionName, traceParent: invocation.traceContext?.traceParent });
  });
  host.app.hooks.set('preInvocation', hooks);
}

/** Starts `name` through the management API with a caller's traceparent, as DurableClient does. */
async function start(host: LocalHost, name: string, input: unknown): Promise<string> {
  const response = await host.fetch(
    `/runtime/webhooks/durabletask/orchestrators/${name}?code=${testKeys.systemKey}`,
    {
      method: 'POST',
      body: JSON.stringify(input),
      headers: { 'content-type': 'application/json', traceparent: TRACEPARENT },
    },
  );
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

async function spans(prefix: string, instanceId: string): Promise<ReadableSpan[]> {
  return exporter
    .getFinishedSpans()
    .filter((s) => s.name.startsWith(prefix) && s.attributes['durabletask.task.instance_id'] === instanceId)
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
}

beforeAll(() => {
  initTelemetry({
    settings: loadTelemetrySettings({ WAYPOINT_TRACE_STORE: 'off' }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
});
afterAll(async () => {
  await shutdownTelemetry();
});
beforeEach(() => {
  exporter.reset();
  seen.length = 0;
});

describe('Durable spans on the local host', () => {
  it('emits an activity span per attempt and hands each attempt its own span as trace context', async () => {
    const host = await startHost();
    recordTraceContexts(host);
    try {
      const id = await start(host, 'retrying', {
        key: `trace-${Date.now()}`,
        failTimes: 1,
        retry: { first: 50, attempts: 3 },
      });
      const final = await host.waitForInstance(id, { timeoutMs: 20_000 });
      expect(final.runtimeStatus).toBe('Completed');

      const all = await spans('activity:flaky', id);
      const attempts = all.filter((span) => span.kind === SpanKind.SERVER);
      const waits = all.filter((span) => span.kind === SpanKind.CLIENT);
      expect(attempts).toHaveLength(2);
      expect(waits).toHaveLength(2);
      const [orchestration] = await spans('orchestration:retrying', id);
      for (const [index, span] of attempts.entries()) {
        expect(span.spanContext().traceId).toBe(TRACE_ID);
        // SERVER under its own CLIENT span, the CLIENT under the orchestration.
        expect(span.parentSpanContext?.spanId).toBe(waits[index].spanContext().spanId);
        expect(waits[index].parentSpanContext?.spanId).toBe(orchestration.spanContext().spanId);
        expect(span.attributes).toMatchObject({
          'durabletask.type': 'activity',
          'durabletask.task.name': 'flaky',
          'durabletask.task.instance_id': id,
        });
        expect(typeof span.attributes['durabletask.task.task_id']).toBe('number');
        expect(waits[index].attributes['durabletask.task.task_id']).toBe(
          span.attributes['durabletask.task.task_id'],
        );
      }
      // Each attempt is its own task id, so its own pair of spans.
      expect(new Set(attempts.map((s) => s.attributes['durabletask.task.task_id'])).size).toBe(2);
      // The first attempt threw: both its spans failed with error.type; the exception event is
      // left to the app's own spans (one Exception per failure in Application Insights).
      expect(attempts[0].status).toEqual({ code: SpanStatusCode.ERROR, message: 'flaky attempt 1 failed' });
      expect(attempts[0].attributes['error.type']).toBe('Error');
      expect(waits[0].status.code).toBe(SpanStatusCode.ERROR);
      expect(attempts[0].events).toEqual([]);
      expect(attempts[1].status.code).toBe(SpanStatusCode.UNSET);
      expect(attempts[1].attributes).not.toHaveProperty('error.type');

      // What each attempt saw as InvocationContext.traceContext is its own activity SERVER span.
      const handed = seen.filter((s) => s.functionName === 'flaky').map((s) => s.traceParent);
      expect(handed).toEqual(attempts.map((s) => `00-${TRACE_ID}-${s.spanContext().spanId}-01`));
      // Every orchestrator episode is handed the orchestration span: no per-episode span.
      const episodes = seen.filter((s) => s.functionName === 'retrying');
      expect(episodes.length).toBeGreaterThanOrEqual(3);
      for (const episode of episodes) {
        expect(episode.traceParent).toBe(`00-${TRACE_ID}-${orchestration.spanContext().spanId}-01`);
      }
    } finally {
      await host.stop();
    }
  });

  it('emits the orchestration span once although the orchestrator replays many times', async () => {
    const host = await startHost();
    recordTraceContexts(host);
    try {
      const id = await start(host, 'sequence', null);
      const final = await host.waitForInstance(id, { timeoutMs: 20_000 });
      expect(final.runtimeStatus).toBe('Completed');
      // Three activities: four episodes, each replaying what came before.
      expect(seen.filter((s) => s.functionName === 'sequence').length).toBeGreaterThanOrEqual(4);
      expect(await spans('activity:hello', id)).toHaveLength(6); // a CLIENT and a SERVER span each

      const orchestration = await spans('orchestration:', id);
      expect(orchestration).toHaveLength(1);
      const [span] = orchestration;
      expect(span.name).toBe('orchestration:sequence');
      expect(span.kind).toBe(SpanKind.SERVER);
      expect(span.spanContext().traceId).toBe(TRACE_ID);
      expect(span.parentSpanContext?.spanId).toBe(CALLER_SPAN);
      expect(span.attributes).toMatchObject({
        'durabletask.type': 'orchestration',
        'durabletask.task.name': 'sequence',
        'durabletask.task.status': 'Completed',
      });
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      // From the instance's creation to its end: it covers every activity span.
      const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
      expect(ms(span.startTime)).toBe(Date.parse(final.createdTime));
      expect(ms(span.endTime)).toBe(Date.parse(final.lastUpdatedTime));
      for (const activity of await spans('activity:', id)) {
        expect(ms(activity.startTime)).toBeGreaterThanOrEqual(ms(span.startTime) - 1);
      }
    } finally {
      await host.stop();
    }
  });

  it('marks a failed orchestration and gives a sub-orchestration the parent’s trace context', async () => {
    const host = await startHost();
    try {
      const id = await start(host, 'uncaughtFailure', null);
      const final = await host.waitForInstance(id, { timeoutMs: 20_000 });
      expect(final.runtimeStatus).toBe('Failed');
      const [span] = await spans('orchestration:', id);
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('OrchestrationFailed');

      const parent = await start(host, 'parent', null);
      expect((await host.waitForInstance(parent, { timeoutMs: 20_000 })).runtimeStatus).toBe('Completed');
      const [parentSpan] = await spans('orchestration:parent', parent);
      const finished = exporter.getFinishedSpans();
      const children = finished.filter(
        (s) =>
          s.name === 'orchestration:child' &&
          s.kind === SpanKind.SERVER &&
          s.spanContext().traceId === TRACE_ID,
      );
      expect(children.length).toBeGreaterThanOrEqual(3);
      for (const child of children) {
        // The child's SERVER span hangs under the parent's CLIENT span for it, that under the parent.
        const client = finished.find((s) => s.spanContext().spanId === child.parentSpanContext?.spanId);
        expect(client).toMatchObject({ name: 'orchestration:child', kind: SpanKind.CLIENT });
        expect(client?.parentSpanContext?.spanId).toBe(parentSpan.spanContext().spanId);
      }
      // The child that failed: its CLIENT span failed too.
      const failedChild = children.find((c) => c.status.code === SpanStatusCode.ERROR);
      const failedClient = finished.find(
        (s) => s.spanContext().spanId === failedChild?.parentSpanContext?.spanId,
      );
      expect(failedClient?.status.code).toBe(SpanStatusCode.ERROR);
    } finally {
      await host.stop();
    }
  });

  it('records a fired durable timer as orchestration:{name}:timer, from its creation to its firing', async () => {
    const host = await startHost();
    try {
      const id = await start(host, 'timer', { delayMs: 300 });
      expect((await host.waitForInstance(id, { timeoutMs: 20_000 })).runtimeStatus).toBe('Completed');
      const [orchestration] = (await spans('orchestration:timer', id)).filter(
        (s) => s.kind === SpanKind.SERVER,
      );
      const timers = exporter.getFinishedSpans().filter((s) => s.name === 'orchestration:timer:timer');
      expect(timers).toHaveLength(1);
      const [timer] = timers;
      expect(timer.kind).toBe(SpanKind.INTERNAL);
      expect(timer.parentSpanContext?.spanId).toBe(orchestration.spanContext().spanId);
      expect(timer.attributes).toMatchObject({
        'durabletask.type': 'timer',
        'durabletask.task.instance_id': id,
      });
      const ms = (t: [number, number]) => t[0] * 1000 + t[1] / 1e6;
      expect(ms(timer.endTime) - ms(timer.startTime)).toBeGreaterThanOrEqual(290);
      expect(Date.parse(String(timer.attributes['durabletask.fire_at']))).toBeLessThanOrEqual(
        ms(timer.endTime),
      );
    } finally {
      await host.stop();
    }
  });

  it('does not emit an ended orchestration’s span again after a restart', async () => {
    const storePath = join(tempDir('waypoint-tracing-'), 'durable.sqlite');
    const first = await startHost({ storePath });
    const id = await start(first, 'sequence', null);
    await first.waitForInstance(id, { timeoutMs: 20_000 });
    await first.stop();
    expect(await spans('orchestration:', id)).toHaveLength(1);

    const second = await startHost({ storePath });
    try {
      // A new instance ending proves the restarted host has recovered and run its queues.
      const later = await start(second, 'sequence', null);
      await second.waitForInstance(later, { timeoutMs: 20_000 });
      expect(await spans('orchestration:', id)).toHaveLength(1);
      expect(await spans('orchestration:', later)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
