import { SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  TraceStore,
  TraceStoreSpanExporter,
  TraceStoreSpanProcessor,
} from '../../../src/telemetry/trace-store';
import { buildTraceTree, TraceTreeSchema, type FlatSpan } from '../../../src/telemetry/trace-tree';

const TRACE = 'a'.repeat(32);
const OTHER_TRACE = 'b'.repeat(32);
const id = (n: number) => n.toString(16).padStart(16, '0');
const hr = (ms: number): HrTime => [Math.floor(ms / 1000), (ms % 1000) * 1e6];
const resource = resourceFromAttributes({ 'service.name': 'waypoint-agents' });

/** A finished span as the SDK hands it to exporters (only the fields exporters read). */
function span(options: {
  trace?: string;
  n: number;
  parent?: number;
  name?: string;
  startMs?: number;
  durationMs?: number;
  runId?: string;
  error?: string;
  links?: ReadableSpan['links'];
  sampled?: boolean;
}): ReadableSpan {
  const startMs = options.startMs ?? 1_700_000_000_000 + options.n;
  const durationMs = options.durationMs ?? 5;
  return {
    name: options.name ?? `span ${options.n}`,
    kind: SpanKind.INTERNAL,
    spanContext: () => ({
      traceId: options.trace ?? TRACE,
      spanId: id(options.n),
      traceFlags: options.sampled === false ? 0 : 1,
    }),
    parentSpanContext:
      options.parent === undefined
        ? undefined
        : { traceId: options.trace ?? TRACE, spanId: id(options.parent), traceFlags: 1 },
    startTime: hr(startMs),
    endTime: hr(startMs + durationMs),
    duration: hr(durationMs),
    status: options.error
      ? { code: SpanStatusCode.ERROR, message: options.error }
      : { code: SpanStatusCode.UNSET },
    attributes: {
      ...(options.runId ? { 'waypoint.run.id': options.runId } : {}),
      ...(options.error ? { 'error.type': 'tool_error' } : {}),
      'gen_ai.usage.input_tokens': 10,
      'gen_ai.response.finish_reasons': ['stop'],
    },
    links: options.links ?? [],
    events: [{ name: 'waypoint.retry', time: hr(startMs + 1), attributes: { 'waypoint.retry.attempt': 2 } }],
    ended: true,
    resource,
    instrumentationScope: { name: 'test' },
    droppedAttributesCount: 0,
    droppedEventsCount: 0,
    droppedLinksCount: 0,
  } as ReadableSpan;
}

let store: TraceStore | undefined;
afterEach(() => store?.close());

function open(options: Partial<Parameters<typeof TraceStore.open>[0]> = {}): TraceStore {
  store = TraceStore.open({ path: ':memory:', maxAgeMs: 3_600_000, maxSpans: 1_000, ...options });
  return store;
}

describe('trace store', () => {
  it('reads back a trace as a tree: parents first, children by start time, every field', () => {
    const s = open();
    // Written out of order and in two batches, as several processes' exporters would.
    s.write([
      span({ n: 3, parent: 1, startMs: 1_700_000_000_300 }),
      span({ n: 2, parent: 1, startMs: 1_700_000_000_200 }),
    ]);
    s.write([
      span({ n: 1, name: 'POST /api/trips', startMs: 1_700_000_000_000, durationMs: 900, runId: 'run-1' }),
      span({ n: 4, parent: 3, startMs: 1_700_000_000_310, error: 'boom' }),
    ]);

    const tree = s.readTraceTree(TRACE)!;
    expect(TraceTreeSchema.parse(tree)).toEqual(tree);
    expect(tree.spanCount).toBe(4);
    expect(tree.spans).toHaveLength(1);
    const [root] = tree.spans;
    expect(root).toMatchObject({
      spanId: id(1),
      parentSpanId: null,
      name: 'POST /api/trips',
      kind: 'INTERNAL',
      service: 'waypoint-agents',
      startTime: '2023-11-14T22:13:20.000Z',
      endTime: '2023-11-14T22:13:20.900Z',
      durationMs: 900,
      status: { code: 'UNSET', message: null },
      attributes: {
        'waypoint.run.id': 'run-1',
        'gen_ai.usage.input_tokens': 10,
        'gen_ai.response.finish_reasons': ['stop'],
      },
      events: [
        {
          name: 'waypoint.retry',
          time: '2023-11-14T22:13:20.001Z',
          attributes: { 'waypoint.retry.attempt': 2 },
        },
      ],
    });
    expect(root.children.map((c) => c.spanId)).toEqual([id(2), id(3)]);
    const failed = root.children[1].children[0];
    expect(failed).toMatchObject({ spanId: id(4), status: { code: 'ERROR', message: 'boom' } });
    expect(failed.attributes['error.type']).toBe('tool_error');
  });

  it('finds a run’s trace by the waypoint.run.id attribute, and nothing for unknown ids', () => {
    const s = open();
    s.write([
      span({ n: 1, runId: 'run-7' }),
      span({ n: 2, parent: 1 }),
      span({ trace: OTHER_TRACE, n: 9, runId: 'run-8' }),
    ]);
    expect(s.readTraceTree({ runId: 'run-7' })).toMatchObject({
      traceId: TRACE,
      runId: 'run-7',
      spanCount: 2,
    });
    expect(s.readTraceTree({ runId: 'run-8' })?.traceId).toBe(OTHER_TRACE);
    expect(s.readTraceTree({ runId: 'nope' })).toBeUndefined();
    expect(s.readTraceTree('c'.repeat(32))).toBeUndefined();
    // Upper-case trace ids (as some UIs show them) are the same trace.
    expect(s.readTraceTree(TRACE.toUpperCase())?.spanCount).toBe(2);
  });

  it('ignores a span exported twice', () => {
    const s = open();
    s.write([span({ n: 1 })]);
    s.write([span({ n: 1 })]);
    expect(s.count()).toBe(1);
  });

  it('keeps at most maxSpans, dropping the oldest, pruning on write in batches', () => {
    const s = open({ maxSpans: 100, pruneEverySpans: 50, pruneBatchSize: 7 });
    for (let batch = 0; batch < 10; batch++) {
      s.write(Array.from({ length: 25 }, (_, i) => span({ n: batch * 25 + i + 1 })));
    }
    // Pruned after every second batch; the last prune ran after batch 10 → exactly the newest 100.
    expect(s.count()).toBe(100);
    const tree = s.readTraceTree(TRACE)!;
    const ids = tree.spans.map((node) => node.spanId).sort();
    expect(ids[0]).toBe(id(151));
    expect(ids.at(-1)).toBe(id(250));
  });

  it('drops spans older than maxAgeMs', () => {
    let now = 1_000_000;
    const s = open({ maxAgeMs: 60_000, now: () => now, pruneEverySpans: 1_000_000 });
    s.write([span({ n: 1 }), span({ n: 2 })]);
    now += 30_000;
    s.write([span({ n: 3 })]);
    now += 40_000; // the first two are now 70 s old, the third 40 s
    expect(s.prune()).toBe(2);
    expect(s.readTraceTree(TRACE)?.spans.map((node) => node.spanId)).toEqual([id(3)]);
  });

  it('exports through the SpanExporter contract and fails cleanly once shut down', async () => {
    const s = open();
    const exporter = new TraceStoreSpanExporter(s, false);
    const results: number[] = [];
    exporter.export([span({ n: 1 })], (result) => results.push(result.code));
    await exporter.shutdown();
    exporter.export([span({ n: 2 })], (result) => results.push(result.code));
    expect(results).toEqual([0, 1]); // SUCCESS, then FAILED
    expect(s.count()).toBe(1);
  });
});

describe('TraceStoreSpanProcessor', () => {
  it('stores a span as it ends, keeps the first copy of an id, and skips unsampled spans', async () => {
    const s = open();
    const processor = new TraceStoreSpanProcessor(s, false);
    processor.onEnd(span({ n: 1, name: 'first' }));
    // On disk before anything is flushed: a process killed now has lost nothing.
    expect(s.count()).toBe(1);
    // A rerun records the same derived id again: the first copy stays.
    processor.onEnd(span({ n: 1, name: 'again' }));
    processor.onEnd(span({ n: 2, sampled: false }));
    expect(s.count()).toBe(1);
    expect(s.readTraceTree(TRACE)?.spans[0].name).toBe('first');
    await processor.shutdown();
    processor.onEnd(span({ n: 3 }));
    expect(s.count()).toBe(1);
  });

  it('opens a file written before links were stored, and reads its spans with no links', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'waypoint-old-traces-')), 'traces.sqlite');
    const old = new Database(path);
    old.exec(`CREATE TABLE spans (seq INTEGER PRIMARY KEY, trace_id TEXT NOT NULL, span_id TEXT NOT NULL,
      parent_span_id TEXT, run_id TEXT, name TEXT NOT NULL, kind INTEGER NOT NULL, service TEXT,
      start_us INTEGER NOT NULL, end_us INTEGER NOT NULL, status_code INTEGER NOT NULL, status_message TEXT,
      attributes TEXT NOT NULL, events TEXT NOT NULL, stored_at INTEGER NOT NULL, UNIQUE (trace_id, span_id))`);
    old
      .prepare(
        `INSERT INTO spans (trace_id, span_id, name, kind, start_us, end_us, status_code, attributes, events, stored_at)
         VALUES (?, ?, 'old', 0, 1, 2, 0, '{}', '[]', 1)`,
      )
      .run(TRACE, id(7));
    old.close();
    const s = open({ path });
    s.write([span({ n: 8, parent: 7 })]);
    const tree = s.readTraceTree(TRACE);
    expect(tree?.spans[0]).toMatchObject({ name: 'old', links: [], children: [{ spanId: id(8) }] });
  });

  it('keeps links', () => {
    const s = open();
    new TraceStoreSpanProcessor(s, false).onEnd(
      span({
        n: 1,
        links: [
          {
            context: { traceId: OTHER_TRACE, spanId: id(9), traceFlags: 1 },
            attributes: { 'waypoint.link': 'request' },
          },
        ],
      }),
    );
    expect(s.readTraceTree(TRACE)?.spans[0].links).toEqual([
      { traceId: OTHER_TRACE, spanId: id(9), attributes: { 'waypoint.link': 'request' } },
    ]);
  });
});

describe('buildTraceTree', () => {
  const flat = (spanId: string, parentSpanId: string | null, start: number): FlatSpan => ({
    spanId,
    parentSpanId,
    name: spanId,
    kind: 'INTERNAL',
    service: null,
    startTime: '',
    endTime: '',
    durationMs: 0,
    status: { code: 'UNSET', message: null },
    attributes: {},
    events: [],
    startUnixMicros: start,
  });

  it('makes spans whose parent is missing roots, in start order', () => {
    const tree = buildTraceTree(TRACE, [
      flat(id(2), id(99), 20),
      flat(id(1), null, 10),
      flat(id(3), id(1), 30),
    ]);
    expect(tree.spans.map((s) => s.spanId)).toEqual([id(1), id(2)]);
    expect(tree.spans[0].children.map((s) => s.spanId)).toEqual([id(3)]);
  });

  it('never loops on a parent cycle and never loses a span', () => {
    const tree = buildTraceTree(TRACE, [
      flat(id(1), id(2), 10),
      flat(id(2), id(1), 20),
      flat(id(3), id(3), 30),
    ]);
    const seen: string[] = [];
    const walk = (nodes: typeof tree.spans) => nodes.forEach((n) => (seen.push(n.spanId), walk(n.children)));
    walk(tree.spans);
    expect(seen.sort()).toEqual([id(1), id(2), id(3)]);
    expect(tree.spanCount).toBe(3);
  });

  it('orders equal start times by span id, so the tree is deterministic', () => {
    const tree = buildTraceTree(TRACE, [flat(id(5), null, 10), flat(id(4), null, 10)]);
    expect(tree.spans.map((s) => s.spanId)).toEqual([id(4), id(5)]);
  });
});
