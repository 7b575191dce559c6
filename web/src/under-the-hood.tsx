/**
 * "Under the hood": for the curious and for support. The run's budgets as meters (in calm
 * colours until one is nearly used up), its steps (keyed, so a poll updates rows in place), the
 * run id, and the trace viewer, loaded when asked for.
 */
import { useState } from 'preact/hooks';
import type { RunResource } from '../../src/travel/api/run-resource';
import type { TraceTree } from '../../src/telemetry/trace-tree';
import { asProblem, getTrace } from './api';
import { count, duration, money, moment } from './format';
import { breachedBudget } from './trip';
import { TraceViewer } from './trace-viewer';

type Budget = 'steps' | 'tokens' | 'wallTimeMs' | 'toolCalls' | 'money';
const METERS: [Budget, string, (n: number) => string][] = [
  ['money', 'Money (trip and AI)', (n) => money(n)],
  ['steps', 'Steps', count],
  ['tokens', 'AI tokens', count],
  ['toolCalls', 'Searches and bookings', count],
  ['wallTimeMs', 'Time', duration],
];

const STEP_STATUS: Readonly<Record<string, string>> = {
  running: 'working',
  completed: 'done',
  failed: 'failed',
  skipped: 'skipped',
};

export function UnderTheHood({ run, now }: { run: RunResource; now: number }) {
  const [trace, setTrace] = useState<{ tree?: TraceTree; problem?: string; loading?: boolean }>({});
  const breached = run.status === 'budget_exceeded' ? breachedBudget(run) : undefined;
  const loadTrace = () => {
    setTrace({ loading: true });
    getTrace(run)
      .then((tree) => setTrace({ tree }))
      .catch((error: unknown) => setTrace({ problem: asProblem(error).message }));
  };
  const steps = run.progress.steps;
  return (
    <details class="hood">
      <summary>
        <span class="hood-title">Under the hood</span>
        <span class="hint"> budgets, steps and the trace</span>
      </summary>
      <div class="hood-body">
        <section aria-labelledby="budgets-title" class="budgets">
          <h3 id="budgets-title">Budgets</h3>
          <ul class="meters">
            {METERS.map(([key, label, format]) => {
              const used = run.budgets.usage[key] ?? 0;
              const limit = run.budgets.limits[key] ?? 0;
              const share = limit > 0 ? used / limit : 0;
              // Money is the trip's price plus AI spend against the traveller's budget: near it is
              // normal for a trip that fits, so only a breach is marked.
              const level = breached === key ? 'over' : key !== 'money' && share >= 0.9 ? 'high' : 'ok';
              const id = `meter-${key}`;
              return (
                <li key={key} class={`meter-row ${level}`}>
                  <label for={id}>{label}</label>
                  <meter id={id} min={0} max={limit || 1} value={Math.min(used, limit)}>
                    {`${format(used)} of ${format(limit)}`}
                  </meter>
                  <span class="meter-text">
                    {format(used)} of {format(limit)}
                  </span>
                </li>
              );
            })}
          </ul>
        </section>
        <section aria-labelledby="steps-title" class="steps-section">
          <h3 id="steps-title">Steps</h3>
          {steps.length ? (
            <ol class="steps" tabIndex={0} aria-label={`${steps.length} steps, oldest first`}>
              {steps.map((step) => {
                const end = step.endedAt ? Date.parse(step.endedAt) : now;
                // A fact check that asked the traveller is a question, not a failure.
                const status =
                  step.kind === 'validate' && step.status === 'failed'
                    ? 'asked you'
                    : STEP_STATUS[step.status];
                return (
                  <li key={step.id} class={`step ${step.status}`} data-kind={step.kind}>
                    <span class="step-kind">{step.kind}</span>
                    <span class="step-name">{step.name}</span>
                    <span class="step-status">{status ?? step.status}</span>
                    <span class="step-time">{duration(end - Date.parse(step.startedAt))}</span>
                    {step.detail ? <span class="step-detail">{step.detail}</span> : null}
                  </li>
                );
              })}
            </ol>
          ) : (
            <p class="hint">No steps yet.</p>
          )}
          {run.progress.step > steps.length ? (
            <p class="hint">{run.progress.step - steps.length} earlier steps are not shown.</p>
          ) : null}
        </section>
        <p class="hint run-meta">
          Run <code>{run.id}</code> · started {moment(run.createdAt)}
          {run.traceId ? (
            <>
              {' '}
              · trace <code>{run.traceId}</code>
            </>
          ) : null}
        </p>
        <section aria-labelledby="trace-title" class="trace-section">
          <div class="section-head">
            <h3 id="trace-title">Trace</h3>
            <button type="button" class="secondary small" onClick={loadTrace} disabled={trace.loading}>
              {trace.tree ? 'Refresh the trace' : trace.loading ? 'Loading…' : 'Show the trace'}
            </button>
          </div>
          {trace.problem ? (
            <p class="error-summary" role="alert">
              The trace could not be loaded: {trace.problem}
            </p>
          ) : null}
          {trace.tree ? <TraceViewer tree={trace.tree} /> : null}
        </section>
      </div>
    </details>
  );
}
