/**
 * The run's trace as people know it from Jaeger or Temporal: a collapsible span tree beside a
 * timeline with a sticky time axis, the chosen span's details in a side panel (tool arguments
 * and results when recorded, tokens and cost), retries grouped as attempts, and a jump to the
 * first error. An ARIA treegrid: arrow keys move and open/close rows, Home/End jump, Enter or
 * Space shows a row's details; one row is in the tab order at a time.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { TraceTree } from '../../src/telemetry/trace-tree';
import { count, duration, money } from './format';
import {
  axisTicks,
  buildTraceModel,
  initiallyExpanded,
  labelOf,
  pathToFirstError,
  spanOf,
  usageOf,
  visibleRows,
  type DisplayNode,
  type Row,
} from './trace-model';

export function TraceViewer({ tree }: { tree: TraceTree }) {
  const model = useMemo(() => buildTraceModel(tree), [tree]);
  const [expanded, setExpanded] = useState(() => initiallyExpanded(model));
  const rows = useMemo(() => visibleRows(model, expanded), [model, expanded]);
  const [focusId, setFocusId] = useState<string | undefined>(() => rows[0]?.node.id);
  const [selectedId, setSelectedId] = useState<string>();
  const grid = useRef<HTMLDivElement>(null);
  const wantFocus = useRef(false);
  const errorPath = useMemo(() => pathToFirstError(model), [model]);
  const ticks = useMemo(() => axisTicks(model.totalMs), [model]);
  const selected = rows.find((r) => r.node.id === selectedId);

  useEffect(() => {
    if (!wantFocus.current || !focusId) return;
    wantFocus.current = false;
    grid.current?.querySelector<HTMLElement>(`[data-node-id="${CSS.escape(focusId)}"]`)?.focus();
  }, [focusId, rows]);

  const moveTo = (id: string | undefined) => {
    if (!id) return;
    wantFocus.current = true;
    setFocusId(id);
  };
  const toggle = (id: string, open?: boolean) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (open ?? !next.has(id)) next.add(id);
      else next.delete(id);
      return next;
    });

  const onKeyDown = (event: KeyboardEvent) => {
    const index = rows.findIndex((r) => r.node.id === focusId);
    const row = rows[index];
    if (!row) return;
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(rows[index + 1]?.node.id),
      ArrowUp: () => moveTo(rows[index - 1]?.node.id),
      Home: () => moveTo(rows[0]?.node.id),
      End: () => moveTo(rows[rows.length - 1]?.node.id),
      ArrowRight: () =>
        row.hasChildren && !row.expanded
          ? toggle(row.node.id, true)
          : row.expanded
            ? moveTo(rows[index + 1]?.node.id)
            : undefined,
      ArrowLeft: () => (row.expanded ? toggle(row.node.id, false) : moveTo(row.parentId)),
      Enter: () => setSelectedId(row.node.id),
      ' ': () => setSelectedId(row.node.id),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  const jumpToError = () => {
    if (!errorPath) return;
    setExpanded((current) => new Set([...current, ...errorPath.slice(0, -1)]));
    const target = errorPath[errorPath.length - 1];
    setSelectedId(target);
    moveTo(target);
  };

  return (
    <div class="trace">
      <div class="trace-toolbar">
        <p class="trace-summary">
          {count(model.spanCount)} spans · {duration(model.totalMs)}
          {model.errorCount ? (
            <>
              {' · '}
              <span class="error-count">{model.errorCount} with errors</span>
            </>
          ) : null}
        </p>
        <div class="actions">
          {errorPath ? (
            <button type="button" class="secondary small" onClick={jumpToError}>
              Jump to first error
            </button>
          ) : null}
          <button
            type="button"
            class="secondary small"
            onClick={() => setExpanded(new Set(allIds(model.roots)))}
          >
            Expand all
          </button>
          <button type="button" class="secondary small" onClick={() => setExpanded(new Set())}>
            Collapse all
          </button>
        </div>
      </div>
      {model.flat ? (
        <p class="hint">This trace is not nested: its spans are listed under the request in start order.</p>
      ) : null}
      <div class="trace-layout">
        <div class="trace-scroll">
          <div
            role="treegrid"
            aria-label="Spans of the run"
            aria-readonly="true"
            class="trace-grid"
            ref={grid}
            onKeyDown={onKeyDown}
          >
            <div role="rowgroup" class="trace-axis">
              <div role="row" class="trace-row head">
                <span role="columnheader" class="cell-name">
                  Span
                </span>
                <span role="columnheader" class="cell-bar">
                  <span class="visually-hidden">Timeline</span>
                  {ticks.map((t) => (
                    <span
                      key={t}
                      class="tick"
                      style={{ left: `${(t / model.totalMs) * 100}%` }}
                      aria-hidden="true"
                    >
                      {duration(t)}
                    </span>
                  ))}
                </span>
                <span role="columnheader" class="cell-time">
                  Duration
                </span>
              </div>
            </div>
            <div role="rowgroup">
              {rows.map((row) => (
                <SpanRow
                  key={row.node.id}
                  row={row}
                  focusable={row.node.id === focusId}
                  selected={row.node.id === selectedId}
                  onSelect={() => {
                    setFocusId(row.node.id);
                    setSelectedId(row.node.id);
                  }}
                  onToggle={() => toggle(row.node.id)}
                />
              ))}
            </div>
          </div>
        </div>
        <aside class="span-panel" aria-labelledby="span-panel-title" aria-live="polite">
          {selected ? (
            <SpanDetails node={selected.node} startMs={model.startMs} />
          ) : (
            <>
              <h4 id="span-panel-title">Span details</h4>
              <p class="hint">Choose a span (click it, or Enter) to see its details here.</p>
            </>
          )}
        </aside>
      </div>
    </div>
  );
}

function allIds(nodes: readonly DisplayNode[]): string[] {
  return nodes.flatMap((n) => [n.id, ...allIds(n.children)]);
}

function SpanRow({
  row,
  focusable,
  selected,
  onSelect,
  onToggle,
}: {
  row: Row;
  focusable: boolean;
  selected: boolean;
  onSelect: () => void;
  onToggle: () => void;
}) {
  const span = spanOf(row.node);
  const usage = usageOf(span);
  const kindClass = span.attributes['gen_ai.operation.name'] ?? span.attributes['durabletask.type'] ?? '';
  return (
    <div
      role="row"
      class={`trace-row${row.isError ? ' error' : ''}${selected ? ' selected' : ''} op-${String(kindClass).replace(/\W/g, '')}`}
      aria-level={row.depth + 1}
      aria-posinset={row.position}
      aria-setsize={row.siblings}
      aria-selected={selected}
      {...(row.hasChildren ? { 'aria-expanded': row.expanded } : {})}
      tabIndex={focusable ? 0 : -1}
      data-node-id={row.node.id}
      onClick={onSelect}
    >
      <span role="gridcell" class="cell-name" style={{ '--depth': row.depth }}>
        {row.hasChildren ? (
          <span
            class="twisty"
            aria-hidden="true"
            onClick={(e) => {
              e.stopPropagation();
              onToggle();
            }}
          >
            {row.expanded ? '▾' : '▸'}
          </span>
        ) : (
          <span class="twisty" aria-hidden="true" />
        )}
        <span class="span-name">{breakable(labelOf(row.node))}</span>
        {row.isError ? <span class="tag error-tag">error</span> : null}
        {row.service ? <span class="service">{row.service}</span> : null}
        {usage.input !== undefined ? (
          <span class="tokens" title="tokens in / out">
            {count(usage.input)}/{count(usage.output ?? 0)} tok
          </span>
        ) : null}
      </span>
      <span role="gridcell" class="cell-bar">
        <span class="bar" style={{ left: `${row.offset * 100}%`, width: `${row.width * 100}%` }} />
      </span>
      <span role="gridcell" class="cell-time">
        {duration(row.node.type === 'span' ? span.durationMs : attemptsDuration(row.node))}
      </span>
    </div>
  );
}

/** From the first attempt's start to the last one's end. */
function attemptsDuration(node: DisplayNode): number {
  const first = node.type === 'attempts' ? node.children[0].span : spanOf(node);
  return Math.max(0, Date.parse(spanOf(node).endTime) - Date.parse(first.startTime));
}

const KINDS: Readonly<Record<string, string>> = {
  CLIENT: 'outgoing call',
  SERVER: 'incoming request',
  INTERNAL: 'internal',
  PRODUCER: 'message sent',
  CONSUMER: 'message received',
};

function SpanDetails({ node, startMs }: { node: DisplayNode; startMs: number }) {
  const span = spanOf(node);
  const a = span.attributes;
  const usage = usageOf(span);
  const isTool = a['gen_ai.operation.name'] === 'execute_tool' || a['mcp.method.name'] === 'tools/call';
  const facts: [string, string | undefined][] = [
    [
      'Status',
      span.status.code === 'ERROR' ? `Error${span.status.message ? `: ${span.status.message}` : ''}` : 'OK',
    ],
    ['Service', span.service ?? undefined],
    ['Kind', KINDS[span.kind] ?? span.kind],
    ['Starts at', `+${duration(Date.parse(span.startTime) - startMs)}`],
    ['Duration', duration(span.durationMs)],
    ['Agent', str(a['gen_ai.agent.name']) ?? str(a['waypoint.agent'])],
    ['Model', str(a['gen_ai.response.model']) ?? str(a['gen_ai.request.model'])],
    ['Tool', str(a['gen_ai.tool.name'])],
    ['Server', str(a['waypoint.tool.server'])],
    [
      'Tokens',
      usage.input !== undefined ? `${count(usage.input)} in, ${count(usage.output ?? 0)} out` : undefined,
    ],
    ['Cost', usage.costUsd !== undefined ? money(usage.costUsd, 'USD', { cents: true }) : undefined],
    ['Error type', str(a['error.type'])],
  ];
  const args = str(a['gen_ai.tool.call.arguments']);
  const result = str(a['gen_ai.tool.call.result']);
  const attributes = Object.entries(a).sort(([x], [y]) => x.localeCompare(y));
  return (
    <div class="span-details">
      <h4 id="span-panel-title">{labelOf(node)}</h4>
      <dl class="facts">
        {facts
          .filter((f): f is [string, string] => Boolean(f[1]))
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      {node.type === 'attempts' ? (
        <>
          <h5>Attempts</h5>
          <ol class="attempts">
            {node.children.map((attempt, i) => (
              <li key={attempt.id} class={attempt.span.status.code === 'ERROR' ? 'error' : 'ok'}>
                Attempt {i + 1}:{' '}
                {attempt.span.status.code === 'ERROR'
                  ? `failed${attempt.span.status.message ? ` — ${attempt.span.status.message}` : ''}`
                  : 'succeeded'}{' '}
                ({duration(attempt.span.durationMs)})
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {isTool ? (
        args || result ? (
          <>
            {args ? <Json title="Arguments" text={args} /> : null}
            {result ? <Json title="Result" text={result} /> : null}
          </>
        ) : (
          <p class="hint">
            Arguments and results are recorded only with content capture on
            (OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true).
          </p>
        )
      ) : null}
      {span.events.length ? (
        <>
          <h5>Events</h5>
          <ul class="events-list">
            {span.events.map((event, i) => (
              <li key={i}>
                <strong>{event.name}</strong> at +{duration(Date.parse(event.time) - startMs)}
                {Object.keys(event.attributes ?? {}).length
                  ? ` — ${Object.entries(event.attributes)
                      .map(([k, v]) => `${k}=${String(v)}`)
                      .join(', ')}`
                  : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <details class="attributes">
        <summary>All attributes ({attributes.length})</summary>
        <table class="attribute-table">
          <tbody>
            {attributes.map(([key, value]) => (
              <tr key={key}>
                <th scope="row">{key}</th>
                <td>{Array.isArray(value) ? value.join(', ') : String(value)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">span id</th>
              <td>
                <code>{span.spanId}</code>
              </td>
            </tr>
          </tbody>
        </table>
      </details>
    </div>
  );
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : typeof value === 'number' ? String(value) : undefined;
}

function Json({ title, text }: { title: string; text: string }) {
  let pretty = text;
  try {
    pretty = JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    // Not JSON: shown as recorded.
  }
  return (
    <>
      <h5>{title}</h5>
      <pre class="json">{pretty}</pre>
    </>
  );
}

/**
 * A span name with line-break opportunities after its separators ("activity:|callTool",
 * "get_|flight_|details"), so a narrow column wraps it between words, not inside them.
 */
function breakable(name: string) {
  return name.split(/(?<=[:_/.])/).flatMap((piece, i) => (i === 0 ? [piece] : [<wbr key={i} />, piece]));
}
