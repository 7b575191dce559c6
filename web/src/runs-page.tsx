/**
 * Your trips: the caller's recent runs from the light listing (GET /api/trips?view=summary) —
 * where, when, who, the total and whether it is booked —, filtered by status, refreshed on its
 * own while any trip in it is still going (and the tab is visible).
 */
import type { RunStatusName } from '../../src/agents/run-status';
import type { RunSummary } from '../../src/travel/api/listing';
import { listRuns } from './api';
import { navigate } from './app';
import {
  ACTIVE_STATUSES,
  ago,
  dateRange,
  isFinal,
  money,
  plural,
  RUN_STATUSES,
  STATUS_LABELS,
} from './format';
import { useNow, usePoll } from './hooks';
import { Badge, useTitle } from './ui';

const FILTERS: { value: string; label: string; statuses: readonly RunStatusName[] }[] = [
  { value: '', label: 'All trips', statuses: [] },
  { value: 'active', label: 'In progress or waiting for you', statuses: ACTIVE_STATUSES },
  ...RUN_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status], statuses: [status] })),
];

function badgeOf(run: RunSummary): { tone: string; text: string } {
  if (run.booked) return { tone: 'success', text: 'Booked' };
  if (run.waitingFor === 'input') return { tone: 'attention', text: 'Needs your answer' };
  if (run.waitingFor === 'approval') return { tone: 'attention', text: 'Ready to book' };
  switch (run.status) {
    case 'completed':
      return { tone: 'success', text: 'Completed' };
    case 'failed':
      return { tone: 'error', text: 'Stopped' };
    case 'budget_exceeded':
      return { tone: 'warning', text: 'Over its limit' };
    case 'cancelled':
      return { tone: 'neutral', text: 'Cancelled' };
    default:
      return { tone: 'working', text: STATUS_LABELS[run.status] };
  }
}

export function RunsPage({ filter }: { filter: string }) {
  useTitle('Your trips');
  const chosen = FILTERS.find((f) => f.value === filter) ?? FILTERS[0];
  const polled = usePoll(`runs:${chosen.value}`, () => listRuns(chosen.statuses), {
    done: (runs) => runs.every((r) => isFinal(r.status)),
    waiting: () => true,
  });
  const now = useNow(true, 30_000);
  const runs = polled.value;
  return (
    <section class="runs" aria-labelledby="runs-title">
      <div class="section-head">
        <h1 id="runs-title">Your trips</h1>
        <a class="button primary" href="#/">
          Plan a trip
        </a>
      </div>
      <div class="field inline">
        <label for="runs-filter">Show</label>
        <select
          id="runs-filter"
          value={chosen.value}
          onChange={(e) => {
            const value = e.currentTarget.value;
            navigate(value ? `#/runs?status=${value}` : '#/runs');
          }}
        >
          {FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </div>
      {polled.problem && !polled.problem.unreachable ? (
        <p class="error-summary" role="alert">
          Your trips could not be loaded: {polled.problem.message}
        </p>
      ) : null}
      <div class="runs-list" aria-busy={runs === undefined}>
        {runs === undefined ? (
          <p class="hint">Loading your trips…</p>
        ) : runs.length === 0 ? (
          <p>
            No trips here yet. <a href="#/">Plan a trip</a>.
          </p>
        ) : (
          <table class="runs-table">
            <caption class="visually-hidden">Your trips, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Trip</th>
                <th scope="col">Dates</th>
                <th scope="col">Travellers</th>
                <th scope="col">Total</th>
                <th scope="col">Status</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => {
                const badge = badgeOf(run);
                const stops = run.stops ?? (run.destination ? [run.destination] : []);
                const where =
                  run.origin && stops.length > 0
                    ? [run.origin, ...stops].join(' → ')
                    : stops.length > 0
                      ? stops.join(' → ')
                      : run.request;
                return (
                  <tr key={run.id} data-run-id={run.id}>
                    <th scope="row" class="trip-cell">
                      <a href={`#/runs/${encodeURIComponent(run.id)}`}>{where}</a>
                      {run.destination ? <span class="hint request-text">{run.request}</span> : null}
                    </th>
                    <td data-label="Dates">{dateRange(run.startDate, run.endDate) ?? '—'}</td>
                    <td data-label="Travellers">
                      {run.travellers ? plural(run.travellers, 'traveller') : '—'}
                    </td>
                    <td data-label="Total">
                      {run.total ? money(run.total.amount, run.total.currency) : '—'}
                    </td>
                    <td data-label="Status">
                      <Badge tone={badge.tone}>{badge.text}</Badge>
                    </td>
                    <td data-label="Started">{ago(run.createdAt, now)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </section>
  );
}
