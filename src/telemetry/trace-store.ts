import { closeSync, fchmodSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { diag, TraceFlags, type Attributes, type HrTime } from '@opentelemetry/api';
import { ExportResultCode, hrTimeToMicroseconds, type ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { withoutStack } from '../domain/without-stack';
import { IN_MEMORY, openSqliteDatabase, type SqliteDatabase } from '../stores/sqlite/database';
import { flushHeldWrites, holdWrites } from './held-writes';
import { ATTR_SERVICE_NAME, ATTR_WAYPOINT_RUN_ID } from './semconv';
import {
  AttributesSchema,
  buildTraceTree,
  SpanEventSchema,
  SpanLinkSchema,
  type FlatSpan,
  type TraceSpanNode,
  type TraceTree,
} from './trace-tree';

export interface TraceStoreOptions {
  /** SQLite file, or `:memory:`. */
  path: string;
  /** Spans stored longer ago than this are pruned. */
  maxAgeMs: number;
  /** At most this many spans are kept (the oldest go first). */
  maxSpans: number;
  /** Milliseconds since the epoch; injectable for retention tests. */
  now?: () => number;
  /** Prune after this many spans were written since the last prune (default: 1% of maxSpans, at least 100). */
  pruneEverySpans?: number;
  /** Rows deleted per prune statement, so a prune never holds the write lock long (default 5000). */
  pruneBatchSize?: number;
}

interface SpanRow {
  trace_id: string;
  span_id: string;
  parent_span_id: string | null;
  name: string;
  kind: number;
  service: string | null;
  start_us: number;
  end_us: number;
  status_code: number;
  status_message: string | null;
  attributes: string;
  events: string;
  links: string;
}

// seq orders spans by arrival for count-based pruning; (trace_id, span_id) is unique and serves
// lookups by trace; run_id is copied out of the attributes so a run's trace is one index probe.
const schema = `
  CREATE TABLE IF NOT EXISTS spans (
    seq            INTEGER PRIMARY KEY,
    trace_id       TEXT NOT NULL,
    span_id        TEXT NOT NULL,
    parent_span_id TEXT,
    run_id         TEXT,
    name           TEXT NOT NULL,
    kind           INTEGER NOT NULL,
    service        TEXT,
    start_us       INTEGER NOT NULL,
    end_us         INTEGER NOT NULL,
    status_code    INTEGER NOT NULL,
    status_message TEXT,
    attributes     TEXT NOT NULL,
    events         TEXT NOT NULL,
    links          TEXT NOT NULL DEFAULT '[]',
    stored_at      INTEGER NOT NULL,
    UNIQUE (trace_id, span_id)
  );
  CREATE INDEX IF NOT EXISTS spans_run_id ON spans (run_id) WHERE run_id IS NOT NULL;
  CREATE INDEX IF NOT EXISTS spans_stored_at ON spans (stored_at);
`;

const KIND_NAMES = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUS_NAMES = ['UNSET', 'OK', 'ERROR'] as const;

/**
 * The local trace store: finished spans in SQLite (WAL, file mode 0600, beside the durable store),
 * bounded by age and count, read back as one trace's tree for `GET /api/trips/{id}/trace`. Several
 * processes (the local host, a stand-alone MCP server) may write to one file.
 */
export class TraceStore {
  private readonly db: SqliteDatabase;
  private readonly now: () => number;
  private readonly pruneEverySpans: number;
  private readonly pruneBatchSize: number;
  private writtenSincePrune = 0;
  private closed = false;
  private readonly statements;

  private constructor(
    db: SqliteDatabase,
    private readonly options: TraceStoreOptions,
  ) {
    this.db = db;
    this.now = options.now ?? Date.now;
    this.pruneEverySpans = options.pruneEverySpans ?? Math.max(100, Math.floor(options.maxSpans / 100));
    this.pruneBatchSize = options.pruneBatchSize ?? 5_000;
    db.exec(schema);
    addMissingColumns(db);
    this.statements = {
      insert: db.prepare(
        `INSERT INTO spans (trace_id, span_id, parent_span_id, run_id, name, kind, service, start_us, end_us,
                            status_code, status_message, attributes, events, links, stored_at)
         VALUES (@trace_id, @span_id, @parent_span_id, @run_id, @name, @kind, @service, @start_us, @end_us,
                 @status_code, @status_message, @attributes, @events, @links, @stored_at)
         ON CONFLICT (trace_id, span_id) DO NOTHING`,
      ),
      byTrace: db.prepare<[string], SpanRow>('SELECT * FROM spans WHERE trace_id = ?'),
      tracesOfRun: db.prepare<[string], { trace_id: string }>(
        `SELECT trace_id FROM spans WHERE run_id = ? GROUP BY trace_id ORDER BY MIN(start_us), trace_id`,
      ),
      pruneOlderThan: db.prepare<[number, number]>(
        `DELETE FROM spans WHERE seq IN (SELECT seq FROM spans WHERE stored_at < ? ORDER BY seq LIMIT ?)`,
      ),
      newestBeyond: db.prepare<[number], { seq: number }>(
        'SELECT seq FROM spans ORDER BY seq DESC LIMIT 1 OFFSET ?',
      ),
      pruneUpTo: db.prepare<[number, number]>(
        `DELETE FROM spans WHERE seq IN (SELECT seq FROM spans WHERE seq <= ? ORDER BY seq LIMIT ?)`,
      ),
      count: db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM spans'),
    };
  }

  /** Opens (creating if needed, owner-only) the store at `options.path`. */
  static open(options: TraceStoreOptions): TraceStore {
    if (options.path !== IN_MEMORY && !options.path.startsWith('file:')) createPrivateFile(options.path);
    const db = openSqliteDatabase(options.path);
    return new TraceStore(db, options);
  }

  /** Stores finished spans in one transaction, then prunes if enough were written since the last prune. */
  write(spans: readonly ReadableSpan[]): void {
    if (this.closed) throw new Error('The trace store is closed.');
    const storedAt = this.now();
    const insert = this.statements.insert;
    this.db.transaction(() => {
      for (const span of spans) insert.run(toRow(span, storedAt));
    })();
    this.writtenSincePrune += spans.length;
    if (this.writtenSincePrune >= this.pruneEverySpans) this.prune();
  }

  /**
   * Applies the retention bounds: spans stored before `maxAgeMs` ago, then the oldest beyond
   * `maxSpans`. Deletes in batches; returns how many spans were removed.
   */
  prune(): number {
    this.writtenSincePrune = 0;
    const { pruneOlderThan, newestBeyond, pruneUpTo } = this.statements;
    let removed = 0;
    const cutoff = this.now() - this.options.maxAgeMs;
    for (;;) {
      const { changes } = pruneOlderThan.run(cutoff, this.pruneBatchSize);
      removed += changes;
      if (changes < this.pruneBatchSize) break;
    }
    // The maxSpans-th newest span is the oldest one kept; everything that arrived before it goes.
    const oldestKept = newestBeyond.get(this.options.maxSpans - 1);
    if (oldestKept) {
      for (;;) {
        const { changes } = pruneUpTo.run(oldestKept.seq - 1, this.pruneBatchSize);
        removed += changes;
        if (changes < this.pruneBatchSize) break;
      }
    }
    return removed;
  }

  /**
   * One trace as a tree: by trace id, or the trace of a run (spans carrying `waypoint.run.id`;
   * when a run somehow has several traces, the one that started first). Undefined when unknown.
   */
  readTraceTree(query: string | { runId: string }): TraceTree | undefined {
    flushHeldWrites();
    const runId = typeof query === 'string' ? undefined : query.runId;
    const traceId = runId === undefined ? (query as string) : this.traceIdsForRun(runId)[0];
    if (traceId === undefined) return undefined;
    const rows = this.statements.byTrace.all(traceId.toLowerCase());
    if (rows.length === 0) return undefined;
    return buildTraceTree(traceId.toLowerCase(), rows.map(fromRow), runId);
  }

  /** The traces holding spans of `runId`, first-started first. */
  traceIdsForRun(runId: string): string[] {
    flushHeldWrites();
    return this.statements.tracesOfRun.all(runId).map((row) => row.trace_id);
  }

  /** How many spans are stored. */
  count(): number {
    flushHeldWrites();
    return this.statements.count.get()?.n ?? 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

/**
 * Writes spans to the store as they end, batched: the spans that end in one turn of the event loop
 * go in one transaction at its end (a transaction per span was a visible share of a run's CPU).
 * Nothing that a durable commit makes final is ever only in memory: the durable store flushes the
 * held spans before each commit (held-writes.ts), so a process killed right after an activity's
 * result or a run's completion was committed has its spans in the file. Reads of the store flush
 * first too. Spans with derived ids (span-ids.ts) recorded again by a rerun keep their first copy.
 * A failed write is reported through the SDK's diagnostics and never throws into the code that
 * ended the span.
 */
export class TraceStoreSpanProcessor implements SpanProcessor {
  private stopped = false;
  private held: ReadableSpan[] = [];
  private flushScheduled = false;
  private readonly release: () => void;

  constructor(
    readonly store: TraceStore,
    /** Close the store on shutdown (true when the processor owns it). */
    private readonly closeOnShutdown = true,
    /** Spans held at most before they are written at once. */
    private readonly maxHeld = 512,
  ) {
    this.release = holdWrites(() => this.flush());
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.stopped || (span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.held.push(span);
    if (this.held.length >= this.maxHeld) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes the held spans in one transaction. */
  flush(): void {
    this.flushScheduled = false;
    if (this.held.length === 0) return;
    const spans = this.held;
    this.held = [];
    try {
      this.store.write(spans);
    } catch (error) {
      diag.warn(`the local trace store could not record ${spans.length} span(s)`, error);
    }
  }

  async forceFlush(): Promise<void> {
    this.flush();
  }

  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.flush();
    this.stopped = true;
    this.release();
    if (this.closeOnShutdown) this.store.close();
  }
}

/**
 * The SpanExporter that writes to a TraceStore (for a batching pipeline). A failed write
 * fails that batch (the SDK logs it) and never throws into the code that ended the spans.
 */
export class TraceStoreSpanExporter implements SpanExporter {
  private stopped = false;

  constructor(
    readonly store: TraceStore,
    /** Close the store on shutdown (true when the exporter owns it). */
    private readonly closeOnShutdown = true,
  ) {}

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    if (this.stopped) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: new Error('The trace store exporter is shut down.'),
      });
      return;
    }
    try {
      this.store.write(spans);
      resultCallback({ code: ExportResultCode.SUCCESS });
    } catch (error) {
      resultCallback({
        code: ExportResultCode.FAILED,
        error: error instanceof Error ? error : new Error(String(error)),
      });
    }
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {
    this.stopped = true;
    if (this.closeOnShutdown) this.store.close();
  }
}

/** Files written by an earlier version lack later columns: add them (SQLite fills in the default). */
function addMissingColumns(db: SqliteDatabase): void {
  const columns = new Set(
    (db.prepare('PRAGMA table_info(spans)').all() as { name: string }[]).map((column) => column.name),
  );
  if (!columns.has('links')) db.exec(`ALTER TABLE spans ADD COLUMN links TEXT NOT NULL DEFAULT '[]'`);
}

/** Creates the file (and folder) readable by its owner only, before SQLite opens it. */
function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Append mode creates without truncating, and fails (EISDIR) on a directory before anything changes.
  const fd = openSync(path, 'a', 0o600);
  try {
    // An existing file keeps its mode on open: tighten it. SQLite gives -wal and -shm the same mode.
    fchmodSync(fd, 0o600);
  } finally {
    closeSync(fd);
  }
}

function isoTime(time: HrTime): string {
  return new Date(Math.floor(hrTimeToMicroseconds(time) / 1000)).toISOString();
}

function toRow(span: ReadableSpan, storedAt: number): Record<string, unknown> {
  const { traceId, spanId } = span.spanContext();
  const runId = span.attributes[ATTR_WAYPOINT_RUN_ID];
  const service = span.resource.attributes[ATTR_SERVICE_NAME];
  return {
    trace_id: traceId,
    span_id: spanId,
    parent_span_id: span.parentSpanContext?.spanId ?? null,
    run_id: typeof runId === 'string' ? runId : null,
    name: span.name,
    kind: span.kind,
    service: typeof service === 'string' ? service : null,
    start_us: Math.round(hrTimeToMicroseconds(span.startTime)),
    end_us: Math.round(hrTimeToMicroseconds(span.endTime)),
    status_code: span.status.code,
    status_message: span.status.message === undefined ? null : withoutStack(span.status.message),
    attributes: JSON.stringify(span.attributes),
    events: JSON.stringify(
      span.events.map((event) => ({
        name: event.name,
        time: isoTime(event.time),
        attributes: withoutStacks(event.attributes ?? {}),
      })),
    ),
    links: JSON.stringify(
      span.links.map((link) => ({
        traceId: link.context.traceId,
        spanId: link.context.spanId,
        attributes: link.attributes ?? {},
      })),
    ),
    stored_at: storedAt,
  };
}

/**
 * The store answers the trace API, which callers read: exception events keep their type and
 * message, never the stack (file paths and internals stay in the log).
 */
function withoutStacks(attributes: Attributes): Attributes {
  const kept: Attributes = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (key === 'exception.stacktrace') continue;
    kept[key] = typeof value === 'string' && key === 'exception.message' ? withoutStack(value) : value;
  }
  return kept;
}

const EventsSchema = SpanEventSchema.array();
const LinksSchema = SpanLinkSchema.array();

function fromRow(row: SpanRow): FlatSpan {
  // The file may be written by other processes and versions: anything unreadable degrades to empty.
  const attributes = AttributesSchema.safeParse(safeJson(row.attributes));
  const events = EventsSchema.safeParse(safeJson(row.events));
  const links = LinksSchema.safeParse(safeJson(row.links));
  const status: TraceSpanNode['status'] = {
    code: STATUS_NAMES[row.status_code] ?? 'UNSET',
    message: row.status_message,
  };
  return {
    spanId: row.span_id,
    parentSpanId: row.parent_span_id,
    name: row.name,
    kind: KIND_NAMES[row.kind] ?? 'INTERNAL',
    service: row.service,
    startTime: new Date(Math.floor(row.start_us / 1000)).toISOString(),
    endTime: new Date(Math.floor(row.end_us / 1000)).toISOString(),
    durationMs: Math.max(0, row.end_us - row.start_us) / 1000,
    status,
    attributes: attributes.success ? attributes.data : {},
    events: events.success ? events.data : [],
    links: links.success ? links.data : [],
    startUnixMicros: row.start_us,
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
