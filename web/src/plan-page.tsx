/**
 * Plan a trip: the request in the traveller's words and, optionally, the facts as fields. Checked
 * here in plain words first (validate.ts), then sent to POST /api/trips with an Idempotency-Key
 * that belongs to the request's content, so a double click or a retry starts one run. Opened from
 * an earlier run (`from`), it starts from that request; with `raise`, with a higher budget.
 * Names and an e-mail are not asked here: the run asks for them once there is a price.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CURRENCIES } from '../../src/domain/currency';
import { asProblem, getRun, startTrip } from './api';
import { navigate } from './app';
import { suggestedBudget, tripFacts } from './trip';
import { ErrorSummary, Field, useTitle } from './ui';
import { checkPlan, dayAfter, localToday, type FieldProblem, type FormValues } from './validate';
import { plainIssue } from './issues';

const EXAMPLE = 'A 4-day hiking trip from Seattle to El Calafate for two in March, budget $5,000';

export function PlanPage({ from, raise }: { from?: string; raise: boolean }) {
  useTitle(from ? 'Change your trip' : 'Plan a trip');
  const today = useMemo(() => localToday(new Date()), []);
  const [values, setValues] = useState<Record<string, string | boolean>>({ 'budget.currency': 'USD' });
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [message, setMessage] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [loadedFrom, setLoadedFrom] = useState<string>();
  const key = useRef<{ body: string; key: string } | undefined>(undefined);
  const amountRef = useRef<HTMLInputElement>(null);

  // Starting from an earlier run: its words and facts, the budget raised when asked.
  useEffect(() => {
    if (!from) return;
    getRun(from)
      .then((run) => {
        const facts = tripFacts(run);
        const budget = raise ? (suggestedBudget(run) ?? facts.budget) : facts.budget;
        setValues({
          request: run.request.text,
          ...(facts.origin ? { origin: facts.origin } : {}),
          ...(facts.destination ? { destination: facts.destination } : {}),
          ...(facts.startDate && facts.startDate > today ? { startDate: facts.startDate } : {}),
          ...(facts.endDate && facts.endDate > today ? { endDate: facts.endDate } : {}),
          ...(facts.travellers ? { travellers: String(facts.travellers) } : {}),
          ...(budget ? { 'budget.amount': String(budget.amount), 'budget.currency': budget.currency } : {}),
          ...(facts.book ? { book: true } : {}),
        });
        setLoadedFrom(run.id);
        if (raise) setTimeout(() => amountRef.current?.focus(), 0);
      })
      .catch((error: unknown) =>
        setMessage(`The earlier request could not be loaded: ${asProblem(error).message}`),
      );
  }, [from, raise, today]);

  const set = (path: string) => (event: Event) => {
    const target = event.currentTarget as HTMLInputElement;
    setValues((v) => ({ ...v, [path]: target.type === 'checkbox' ? target.checked : target.value }));
  };
  const errorOf = (path: string) => problems.find((p) => p.path === path)?.message;

  const submit = (event: Event) => {
    event.preventDefault();
    if (busy) return;
    const checked = checkPlan(values as FormValues, today);
    setMessage(undefined);
    setProblems(checked.problems);
    if (checked.problems.length) return;
    const text = JSON.stringify(checked.body);
    if (key.current?.body !== text) key.current = { body: text, key: crypto.randomUUID() };
    setBusy(true);
    startTrip(checked.body, key.current.key)
      .then((run) => navigate(`#/runs/${encodeURIComponent(run.id)}`))
      .catch((error: unknown) => {
        const problem = asProblem(error);
        setProblems(problem.details.map((d) => ({ path: d.path, message: plainIssue(d.path, d.issue) })));
        setMessage(
          problem.unreachable
            ? 'Waypoint cannot be reached right now. Your request is kept here: try again in a moment.'
            : problem.details.length
              ? 'Please check the fields marked below.'
              : problem.message,
        );
      })
      .finally(() => setBusy(false));
  };

  const input = (path: string, props: Record<string, unknown> = {}) =>
    function control(a: Record<string, unknown>) {
      return <input {...a} {...props} value={(values[path] as string) ?? ''} onInput={set(path)} />;
    };

  return (
    <form class="plan card" noValidate onSubmit={submit} aria-labelledby="plan-title">
      <h1 id="plan-title">{from ? 'Change your trip' : 'Where to next?'}</h1>
      <p class="lead">
        Tell us the trip in your own words. We find flights, a hotel, the weather and places to eat, and book
        only when you approve the price.
      </p>
      {loadedFrom && raise ? (
        <p class="note" role="status">
          We suggested a budget that covers what was found last time. Change it if you like.
        </p>
      ) : null}
      <ErrorSummary title="Your trip could not be planned yet" problems={problems} message={message} />
      <Field
        path="request"
        label="Your trip"
        required
        hint={`For example: “${EXAMPLE}”.`}
        error={errorOf('request')}
      >
        {(a) => (
          <textarea
            {...a}
            rows={3}
            maxLength={2000}
            autoComplete="off"
            value={(values.request as string) ?? ''}
            onInput={set('request')}
          />
        )}
      </Field>
      <fieldset class="details">
        <legend>Details you already know</legend>
        <p class="hint">Anything left empty is read from your words, or we ask.</p>
        <div class="grid">
          <Field path="origin" label="From" error={errorOf('origin')}>
            {input('origin', { autoComplete: 'off', placeholder: 'City or airport' })}
          </Field>
          <Field path="destination" label="To" error={errorOf('destination')}>
            {input('destination', { autoComplete: 'off', placeholder: 'City or airport' })}
          </Field>
          <Field path="startDate" label="Leaving" error={errorOf('startDate')}>
            {input('startDate', { type: 'date', min: dayAfter(today) })}
          </Field>
          <Field path="endDate" label="Coming back" error={errorOf('endDate')}>
            {input('endDate', { type: 'date', min: (values.startDate as string) || dayAfter(today) })}
          </Field>
          <Field path="travellers" label="Travellers" error={errorOf('travellers')}>
            {input('travellers', { type: 'number', min: 1, max: 9, inputMode: 'numeric' })}
          </Field>
          <div class="pair">
            <Field path="budget.amount" label="Budget" error={errorOf('budget.amount') ?? errorOf('budget')}>
              {(a) => (
                <input
                  {...a}
                  ref={amountRef}
                  type="number"
                  min={1}
                  step="any"
                  inputMode="decimal"
                  value={(values['budget.amount'] as string) ?? ''}
                  onInput={set('budget.amount')}
                />
              )}
            </Field>
            <Field path="budget.currency" label="Currency" required error={errorOf('budget.currency')}>
              {(a) => (
                <select
                  {...a}
                  value={(values['budget.currency'] as string) ?? 'USD'}
                  onChange={set('budget.currency')}
                >
                  {CURRENCIES.map((code) => (
                    <option key={code} value={code}>
                      {code}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </div>
      </fieldset>
      <div class="check">
        <input
          type="checkbox"
          id="plan-book"
          data-path="book"
          checked={values.book === true}
          onChange={set('book')}
        />
        <label for="plan-book">Book it for me once I approve the price</label>
      </div>
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Starting…' : from ? 'Plan it again' : 'Plan my trip'}
        </button>
      </div>
    </form>
  );
}
