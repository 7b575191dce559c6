/**
 * The trace: a waterfall of the run's spans (GET /api/trips/{id}/trace), errors marked in words
 * and colour, tool calls tagged, and a span's attributes and events shown when its row is
 * opened (each row is a button, so the keyboard works as the mouse does).
 */
import type { TraceSpanNode, TraceTree } from '../../src/telemetry/trace-tree';
import { h, replace } from './dom';
import { duration } from './format';
import { layoutWaterfall } from './waterfall';

export function traceView(tree: TraceTree): HTMLElement {
  const waterfall = layoutWaterfall(tree);
  const details = h(
    'div',
    { class: 'span-details', 'aria-live': 'polite' },
    h('p', { class: 'hint' }, 'Choose a span to see its attributes.'),
  );
  let open: HTMLButtonElement | undefined;

  const rows = waterfall.rows.map((row) => {
    const button = h(
      'button',
      {
        type: 'button',
        class: `span-row${row.isError ? ' error' : ''}${row.isToolCall ? ' tool' : ''}`,
        'aria-expanded': 'false',
        'data-span-id': row.span.spanId,
        'data-span-name': row.span.name,
        style: `--depth:${row.depth}`,
      },
      h(
        'span',
        { class: 'span-label' },
        row.isError ? h('span', { class: 'tag error-tag' }, 'error') : null,
        row.isToolCall ? h('span', { class: 'tag tool-tag' }, 'tool') : null,
        h('span', { class: 'span-name' }, row.span.name),
        row.span.service ? h('span', { class: 'service' }, row.span.service) : null,
      ),
      h(
        'span',
        { class: 'span-track', 'aria-hidden': 'true' },
        h('span', {
          class: 'bar',
          style: `left:${(row.offset * 100).toFixed(3)}%;width:${(row.width * 100).toFixed(3)}%`,
        }),
      ),
      h('span', { class: 'span-time' }, duration(row.span.durationMs)),
    );
    button.addEventListener('click', () => {
      open?.setAttribute('aria-expanded', 'false');
      if (open === button) {
        open = undefined;
        replace(details, h('p', { class: 'hint' }, 'Choose a span to see its attributes.'));
        return;
      }
      open = button;
      button.setAttribute('aria-expanded', 'true');
      replace(details, spanDetails(row.span));
    });
    return h('li', {}, button);
  });

  return h(
    'section',
    { class: 'card trace', 'aria-labelledby': 'trace-title' },
    h('h2', { id: 'trace-title', tabindex: -1 }, 'Trace'),
    h(
      'p',
      { class: 'hint' },
      `Trace ${tree.traceId} · ${tree.spanCount} spans · ${duration(waterfall.totalMs)}`,
      waterfall.errorCount ? ` · ${waterfall.errorCount} with errors` : '',
    ),
    rows.length
      ? h('ol', { class: 'waterfall', 'aria-label': 'Spans in start order' }, rows)
      : h('p', {}, 'No spans were recorded for this run yet.'),
    details,
  );
}

function spanDetails(span: TraceSpanNode): HTMLElement {
  const attributes = Object.entries(span.attributes).sort(([a], [b]) => a.localeCompare(b));
  return h(
    'div',
    {},
    h('h3', {}, span.name),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, 'Status'),
      h('dd', {}, span.status.code, span.status.message ? `: ${span.status.message}` : ''),
      h('dt', {}, 'Kind'),
      h('dd', {}, span.kind),
      h('dt', {}, 'Duration'),
      h('dd', {}, duration(span.durationMs)),
      h('dt', {}, 'Span id'),
      h('dd', {}, h('code', {}, span.spanId)),
    ),
    attributes.length
      ? h(
          'table',
          { class: 'attributes' },
          h('caption', {}, 'Attributes'),
          h(
            'tbody',
            {},
            attributes.map(([key, value]) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row' }, key),
                h('td', {}, Array.isArray(value) ? value.join(', ') : String(value)),
              ),
            ),
          ),
        )
      : null,
    span.events.length
      ? [
          h('h4', {}, 'Events'),
          h(
            'ul',
            { class: 'events' },
            span.events.map((event) =>
              h(
                'li',
                {},
                h('strong', {}, event.name),
                ` at ${event.time}`,
                Object.keys(event.attributes).length
                  ? ` — ${Object.entries(event.attributes)
                      .map(([k, v]) => `${k}=${String(v)}`)
                      .join(', ')}`
                  : '',
              ),
            ),
          ),
        ]
      : null,
  );
}
