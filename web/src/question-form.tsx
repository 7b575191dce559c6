/**
 * The run's question (`needs_input`): what was understood so far, then a field for each missing
 * fact, prefilled with what the run already has for it, checked in plain words before sending.
 * One form per round; the run merges the answer and goes on (or asks what is still missing).
 */
import { useMemo, useState } from 'preact/hooks';
import type { RunResource } from '../../src/travel/api/run-resource';
import { CURRENCIES } from '../../src/domain/currency';
import { asProblem, sendInput } from './api';
import { dateRange, moment, money, plural } from './format';
import { plainIssue } from './issues';
import { tripFacts } from './trip';
import { ErrorSummary, Field } from './ui';
import { checkTripFields, dayAfter, localToday, type FieldProblem } from './validate';

/**
 * The asked-for paths, top level (`budget.amount` → `budget`), in the order asked, once each. A
 * trip asked for its start date is asked for its end date in the same round, so the traveller
 * answers once.
 */
export function askedPaths(run: RunResource): string[] {
  const paths = [...new Set((run.needsInput?.fields ?? []).map((f) => f.path.split('.')[0]))];
  const start = paths.indexOf('startDate');
  const fullTrip = (run.request.understood?.route ?? 'full_trip') === 'full_trip';
  if (start >= 0 && fullTrip && !paths.includes('endDate') && !tripFacts(run).endDate)
    paths.splice(start + 1, 0, 'endDate');
  return paths;
}

const LABELS: Readonly<Record<string, string>> = {
  origin: 'From',
  destination: 'To',
  startDate: 'Leaving',
  endDate: 'Coming back',
  travellers: 'Travellers',
  contactEmail: 'E-mail for the booking',
  travellerNames: 'Who is travelling',
};

function prefill(run: RunResource, paths: readonly string[]): Record<string, string> {
  const facts = tripFacts(run);
  const understood = run.request.understood;
  const fields = run.request.fields;
  const values: Record<string, string> = { 'budget.currency': facts.budget?.currency ?? 'USD' };
  const put = (path: string, value: string | number | undefined) => {
    if (value !== undefined && paths.includes(path.split('.')[0])) values[path] = String(value);
  };
  put('origin', fields.origin ?? facts.origin);
  put('destination', fields.destination ?? facts.destination);
  put('startDate', facts.startDate);
  put('endDate', facts.endDate);
  put('travellers', facts.travellers);
  put('budget.amount', facts.budget?.amount);
  put('contactEmail', understood?.contactEmail ?? fields.contactEmail);
  const names = understood?.travellerNames ?? fields.travellerNames;
  put('travellerNames', names?.map((n) => `${n.firstName} ${n.lastName}`).join('\n'));
  return values;
}

export function QuestionForm({ run, onSent }: { run: RunResource; onSent: () => void }) {
  const ask = run.needsInput!;
  const paths = useMemo(() => askedPaths(run), [run]);
  const today = useMemo(() => localToday(new Date()), []);
  const [values, setValues] = useState(() => prefill(run, paths));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [message, setMessage] = useState<string>();
  const [state, setState] = useState<'editing' | 'sending' | 'sent'>('editing');
  const facts = tripFacts(run);
  const hintOf = (path: string) => {
    const issue = ask.fields.find((f) => f.path.split('.')[0] === path)?.issue;
    if (issue) return plainIssue(path, issue);
    return path === 'endDate' ? 'When does the trip end?' : undefined;
  };
  const errorOf = (path: string) =>
    problems.find((p) => p.path === path || p.path.startsWith(`${path}.`))?.message;
  const set = (path: string) => (event: Event) => {
    const value = (event.currentTarget as HTMLInputElement).value;
    setValues((v) => ({ ...v, [path]: value }));
  };
  const travellers = facts.travellers ?? 1;

  const submit = (event: Event) => {
    event.preventDefault();
    if (state !== 'editing') return;
    const checked = checkTripFields(values, today, { paths, required: paths });
    setProblems(checked.problems);
    setMessage(undefined);
    if (checked.problems.length) return;
    setState('sending');
    sendInput(run, checked.body)
      .then(() => {
        setState('sent');
        onSent();
      })
      .catch((error: unknown) => {
        const problem = asProblem(error);
        setState('editing');
        setProblems(problem.details.map((d) => ({ path: d.path, message: plainIssue(d.path, d.issue) })));
        setMessage(problem.details.length ? 'Please check the fields marked below.' : problem.message);
      });
  };

  if (state === 'sent')
    return (
      <section class="card attention sent" aria-labelledby="ask-title">
        <h2 id="ask-title">Thanks — planning goes on</h2>
        <p role="status">We have your answer and are using it now.</p>
      </section>
    );

  const known: [string, string | undefined][] = [
    ['From', paths.includes('origin') ? undefined : facts.origin],
    ['To', paths.includes('destination') ? undefined : facts.destination],
    [
      'Dates',
      paths.includes('startDate') || paths.includes('endDate')
        ? undefined
        : dateRange(facts.startDate, facts.endDate),
    ],
    [
      'Travellers',
      paths.includes('travellers') || !facts.travellers ? undefined : plural(facts.travellers, 'traveller'),
    ],
    [
      'Budget',
      paths.includes('budget') || !facts.budget
        ? undefined
        : money(facts.budget.amount, facts.budget.currency),
    ],
  ];
  const shown = known.filter((k): k is [string, string] => Boolean(k[1]));

  const text = (path: string, props: Record<string, unknown> = {}) =>
    function control(a: Record<string, unknown>) {
      return <input {...a} {...props} value={values[path] ?? ''} onInput={set(path)} />;
    };

  return (
    <form
      class="card attention question"
      noValidate
      onSubmit={submit}
      aria-labelledby="ask-title"
      data-round={ask.round}
    >
      <h2 id="ask-title">{run.quote ? 'Who is travelling?' : 'A few details to go on'}</h2>
      {run.quote ? (
        <p class="question">
          Your trip comes to{' '}
          <strong>
            {money(
              (run.quote.displayTotal ?? run.quote.total).amount,
              (run.quote.displayTotal ?? run.quote.total).currency,
            )}
          </strong>
          . To book it, we need the travellers’ names as on their passports and an e-mail for the
          confirmations; you approve the booking next.
        </p>
      ) : (
        <p class="question">{ask.question}</p>
      )}
      {shown.length ? (
        <div class="understood">
          <h3>What we have so far</h3>
          <dl class="facts">
            {shown.map(([label, value]) => (
              <div key={label}>
                <dt>{label}</dt>
                <dd>{value}</dd>
              </div>
            ))}
          </dl>
        </div>
      ) : null}
      <ErrorSummary title="Your answer is not complete yet" problems={problems} message={message} />
      <div class="grid">
        {paths.map((path) => {
          switch (path) {
            case 'startDate':
            case 'endDate':
              return (
                <Field
                  key={path}
                  path={path}
                  label={LABELS[path]}
                  required
                  hint={hintOf(path)}
                  error={errorOf(path)}
                >
                  {text(path, {
                    type: 'date',
                    min: path === 'endDate' && values.startDate ? values.startDate : dayAfter(today),
                  })}
                </Field>
              );
            case 'travellers':
              return (
                <Field
                  key={path}
                  path={path}
                  label={LABELS[path]}
                  required
                  hint={hintOf(path)}
                  error={errorOf(path)}
                >
                  {text(path, { type: 'number', min: 1, max: 9, inputMode: 'numeric' })}
                </Field>
              );
            case 'budget':
              return (
                <div class="pair" key={path}>
                  <Field
                    path="budget.amount"
                    label="Budget"
                    required
                    hint={hintOf(path)}
                    error={errorOf('budget.amount')}
                  >
                    {text('budget.amount', { type: 'number', min: 1, step: 'any', inputMode: 'decimal' })}
                  </Field>
                  <Field path="budget.currency" label="Currency" required error={errorOf('budget.currency')}>
                    {(a) => (
                      <select
                        {...a}
                        value={values['budget.currency'] ?? 'USD'}
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
              );
            case 'contactEmail':
              return (
                <Field
                  key={path}
                  path={path}
                  label={LABELS[path]}
                  required
                  hint={hintOf(path)}
                  error={errorOf(path)}
                >
                  {text(path, { type: 'email', autoComplete: 'email' })}
                </Field>
              );
            case 'travellerNames':
              return (
                <Field
                  key={path}
                  path={path}
                  label={LABELS[path]}
                  required
                  hint={`One person per line, first name then last name, as on the passport (${plural(travellers, 'traveller')}).`}
                  error={errorOf(path)}
                  class="wide"
                >
                  {(a) => (
                    <textarea
                      {...a}
                      rows={Math.max(2, travellers)}
                      autoComplete="off"
                      value={values[path] ?? ''}
                      onInput={set(path)}
                    />
                  )}
                </Field>
              );
            default:
              return (
                <Field
                  key={path}
                  path={path}
                  label={LABELS[path] ?? path}
                  required
                  hint={hintOf(path)}
                  error={errorOf(path)}
                >
                  {text(path, { autoComplete: 'off' })}
                </Field>
              );
          }
        })}
      </div>
      <p class="hint">
        Please answer by {moment(ask.expiresAt)}; after that, planning stops and you can start again.
      </p>
      <div class="actions">
        <button type="submit" class="primary" disabled={state === 'sending'}>
          {state === 'sending' ? 'Sending…' : 'Continue planning'}
        </button>
      </div>
    </form>
  );
}
