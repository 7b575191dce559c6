/**
 * How a finished run ended, in plain words, with its ways forward: Retry (the same request,
 * a new run), Edit request, Raise budget, More room (for a limit other than money), Plan another
 * trip. The technical detail (the API's code and message) is behind a disclosure.
 */
import { useState } from 'preact/hooks';
import type { RunResource } from '../../src/travel/api/run-resource';
import { asProblem, startTrip } from './api';
import { navigate } from './app';
import { requestBodyOf, withMoreRoom, type Outcome as OutcomeModel } from './trip';

export function Outcome({ run, outcome }: { run: RunResource; outcome: OutcomeModel }) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const start = (body: ReturnType<typeof requestBodyOf>) => {
    setBusy(true);
    setProblem(undefined);
    startTrip(body, crypto.randomUUID())
      .then((next) => navigate(`#/runs/${encodeURIComponent(next.id)}`))
      .catch((error: unknown) => setProblem(asProblem(error).message))
      .finally(() => setBusy(false));
  };
  const from = encodeURIComponent(run.id);
  const buttons = {
    retry: (
      <button type="button" class="primary" disabled={busy} onClick={() => start(requestBodyOf(run))}>
        {run.status === 'cancelled' || outcome.badge === 'Rejected' || outcome.badge === 'Expired'
          ? 'Plan it again'
          : 'Try again'}
      </button>
    ),
    'more-room': (
      <button type="button" class="primary" disabled={busy} onClick={() => start(withMoreRoom(run))}>
        Try again with more room
      </button>
    ),
    'raise-budget': (
      <a class="button primary" href={`#/?from=${from}&raise=1`}>
        Raise the budget
      </a>
    ),
    edit: (
      <a class="button secondary" href={`#/?from=${from}`}>
        Change the request
      </a>
    ),
    'plan-again': (
      <a class="button secondary" href="#/">
        Plan another trip
      </a>
    ),
  } as const;
  return (
    <section class={`outcome card tone-${outcome.tone}`} aria-labelledby="outcome-title">
      <h2 id="outcome-title">{outcome.title}</h2>
      {outcome.message ? <p>{outcome.message}</p> : null}
      {problem ? (
        <p class="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div class="actions">
        {outcome.actions.map((action) => (
          <span key={action} class="action">
            {buttons[action]}
          </span>
        ))}
      </div>
      {outcome.detail ? (
        <details class="technical">
          <summary>Technical details</summary>
          <dl>
            <dt>Code</dt>
            <dd>
              <code>{outcome.detail.code}</code>
            </dd>
            <dt>Message</dt>
            <dd>{outcome.detail.message}</dd>
            <dt>Run</dt>
            <dd>
              <code>{run.id}</code>
            </dd>
          </dl>
        </details>
      ) : null}
    </section>
  );
}
