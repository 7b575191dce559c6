/**
 * One trip, live. The trip first: its heading, then what is happening (the live banner while the
 * agents work, the question or the checkout when the traveller is needed, how it ended with a way
 * forward when it is over), then the itinerary; budgets, steps and the trace under "Under the
 * hood". Polls GET /api/trips/{id} until the run ends (paused while the tab is hidden, backing off
 * while the host is unreachable); every part updates in place, so focus and typing survive polls.
 */
import type { RunResource } from '../../src/travel/api/run-resource';
import { cancelRun, getRun } from './api';
import { AnswerDetails } from './answer';
import { CheaperOptions, Checkout } from './checkout';
import { isFinal, STATUS_LABELS } from './format';
import { useNow, usePoll } from './hooks';
import { ItineraryView, PartialFindings } from './itinerary';
import { Outcome } from './outcome';
import { QuestionForm } from './question-form';
import { StatusBanner } from './status-banner';
import { outcomeOf, tripHeading } from './trip';
import { Badge, ConfirmButton, useTitle } from './ui';
import { UnderTheHood } from './under-the-hood';

const waitingForPerson = (run: RunResource) =>
  run.status === 'needs_input' || run.status === 'awaiting_approval';

export function RunPage({ id }: { id: string }) {
  const polled = usePoll(id, () => getRun(id), {
    done: (run) => isFinal(run.status),
    waiting: waitingForPerson,
  });
  const run = polled.value;
  const heading = run ? tripHeading(run) : undefined;
  useTitle(
    heading ? heading.documentTitle : polled.problem?.status === 404 ? 'Trip not found' : 'Loading your trip',
  );

  if (!run) {
    if (polled.problem?.status === 404) return <NotFound id={id} />;
    return (
      <article class="trip loading-trip" aria-busy="true">
        <h1>Loading your trip…</h1>
        <div class="skeleton" aria-hidden="true">
          <span />
          <span />
          <span />
        </div>
        {polled.problem && !polled.problem.unreachable ? (
          <p class="error-summary" role="alert">
            {polled.problem.message}
          </p>
        ) : null}
      </article>
    );
  }
  return <Trip run={run} refresh={polled.refresh} />;
}

function Trip({ run, refresh }: { run: RunResource; refresh: () => void }) {
  const active = !isFinal(run.status);
  const now = useNow(active);
  const heading = tripHeading(run);
  const outcome = outcomeOf(run);
  const result = run.result;
  const tone = outcome?.tone ?? (waitingForPerson(run) ? 'attention' : 'working');
  return (
    <article class="trip" aria-labelledby="trip-title" data-status={run.status}>
      <header class="trip-head">
        <div>
          <h1 id="trip-title">{heading.title}</h1>
          {heading.subtitle ? <p class="trip-sub">{heading.subtitle}</p> : null}
        </div>
        <p class="trip-state" data-testid="run-status">
          <span class="visually-hidden">Status: </span>
          <Badge tone={tone}>{outcome?.badge ?? STATUS_LABELS[run.status]}</Badge>
        </p>
      </header>

      {/* While the traveller is asked, the question or the checkout says so: no banner above it. */}
      {active && !waitingForPerson(run) ? <StatusBanner run={run} now={now} /> : null}
      {outcome ? <Outcome run={run} outcome={outcome} /> : null}
      {outcome?.badge === 'Over budget' && run.quote?.alternatives?.length ? (
        <section class="card" aria-label="Cheaper options">
          <CheaperOptions
            run={run}
            level={2}
            hint="To take one, change the request: say the hotel or flight you prefer, or a lower budget."
          />
        </section>
      ) : null}
      {run.status === 'needs_input' && run.needsInput ? (
        <QuestionForm key={`ask-${run.needsInput.round}`} run={run} onSent={refresh} />
      ) : null}
      {run.status === 'awaiting_approval' && run.quote ? <Checkout run={run} onDecided={refresh} /> : null}

      {result?.itinerary ? (
        <ItineraryView run={run} itinerary={result.itinerary} />
      ) : result?.answer ? (
        // The answer itself is the outcome's message; here what it was read from.
        <AnswerDetails topic={run.request.understood?.topics?.[0]} data={result.data} />
      ) : result?.data ? (
        <PartialFindings data={result.data} />
      ) : null}

      {active && run.status !== 'booking' ? (
        <div class="cancel-row">
          <ConfirmButton
            label="Stop planning"
            question="Stop planning this trip?"
            explain="Nothing has been booked. You can start it again later."
            confirmLabel="Yes, stop planning"
            keepLabel="Keep planning"
            onConfirm={() => cancelRun(run.links).then(refresh)}
          />
        </div>
      ) : null}
      <UnderTheHood run={run} now={now} />
    </article>
  );
}

function NotFound({ id }: { id: string }) {
  return (
    <article class="trip not-found" aria-labelledby="nf-title">
      <h1 id="nf-title">We can’t find that trip</h1>
      <p class="lead">
        There is no trip <code>{id.length > 60 ? `${id.slice(0, 59)}…` : id}</code> for you. The link may be
        mistyped, or the trip belongs to someone else or was removed.
      </p>
      <div class="actions">
        <a class="button primary" href="#/">
          Plan a trip
        </a>
        <a class="button secondary" href="#/runs">
          See your trips
        </a>
      </div>
    </article>
  );
}
