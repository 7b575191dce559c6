/** Runs: the caller's recent runs (GET /api/trips), filtered by status, each openable and cancellable. */
import { RUN_STATUSES, type RunStatusName } from '../../src/agents/run-status';
import { isFinal, type RunResource } from '../../src/travel/api/run-resource';
import { ApiProblem, cancelRun, listRuns } from './api';
import { h, replace } from './dom';
import { dateTime, STATUS_LABELS } from './format';
import { problemBox, showProblem } from './forms';

const FILTERS: { value: string; label: string; statuses: RunStatusName[] }[] = [
  { value: '', label: 'All', statuses: [] },
  {
    value: 'active',
    label: 'In progress or waiting',
    statuses: ['pending', 'running', 'needs_input', 'awaiting_approval', 'booking'],
  },
  ...RUN_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status], statuses: [status] })),
];

export function runsView(initialFilter: string, onFilter: (filter: string) => void): HTMLElement {
  const problem = problemBox();
  const list = h('div', { class: 'runs-list', 'aria-live': 'polite', 'aria-busy': 'true' });
  const select = h(
    'select',
    { id: 'runs-filter' },
    FILTERS.map((f) => h('option', { value: f.value, selected: f.value === initialFilter }, f.label)),
  );
  select.addEventListener('change', () => onFilter(select.value));
  const element = h(
    'section',
    { class: 'card runs', 'aria-labelledby': 'runs-title' },
    h('h1', { id: 'runs-title' }, 'Runs'),
    h('div', { class: 'field inline' }, h('label', { for: 'runs-filter' }, 'Status'), select),
    problem,
    list,
  );

  const load = async (): Promise<void> => {
    list.setAttribute('aria-busy', 'true');
    try {
      const filter = FILTERS.find((f) => f.value === initialFilter) ?? FILTERS[0];
      const runs = await listRuns(filter.statuses);
      replace(
        list,
        runs.length
          ? table(runs)
          : h('p', {}, 'No runs here yet. ', h('a', { href: '#/' }, 'Plan a trip'), '.'),
      );
    } catch (error) {
      showProblem(
        element,
        problem,
        error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error)),
      );
    } finally {
      list.setAttribute('aria-busy', 'false');
    }
  };

  const table = (runs: RunResource[]): HTMLElement =>
    h(
      'table',
      { class: 'runs-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, 'Request'),
          h('th', { scope: 'col' }, 'Status'),
          h('th', { scope: 'col' }, 'Started'),
          h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
        ),
      ),
      h(
        'tbody',
        {},
        runs.map((run) =>
          h(
            'tr',
            { 'data-run-id': run.id },
            h(
              'td',
              {},
              h(
                'a',
                { href: `#/runs/${encodeURIComponent(run.id)}` },
                run.request.text.length > 90 ? `${run.request.text.slice(0, 88)}…` : run.request.text,
              ),
            ),
            h('td', {}, h('span', { class: `badge status-${run.status}` }, STATUS_LABELS[run.status])),
            h('td', {}, dateTime(run.createdAt)),
            h(
              'td',
              {},
              isFinal(run.status)
                ? null
                : h(
                    'button',
                    {
                      type: 'button',
                      class: 'danger small',
                      'aria-label': `Cancel run: ${run.request.text.slice(0, 60)}`,
                      onclick: () => {
                        cancelRun(run)
                          .then(() => load())
                          .catch((error: unknown) =>
                            showProblem(
                              element,
                              problem,
                              error instanceof ApiProblem ? error : new ApiProblem(0, 'error', String(error)),
                            ),
                          );
                      },
                    },
                    'Cancel',
                  ),
            ),
          ),
        ),
      ),
    );

  void load();
  return element;
}
