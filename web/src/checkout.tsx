/**
 * Approval as a checkout: the trip, who travels and the contact the bookings go to, each item
 * and its price, the total against the traveller's budget, how long the price is held, and what
 * approving or rejecting does. Approve and Reject stay in reach (a sticky bar on phones); a
 * double click sends one decision.
 */
import { useState } from 'preact/hooks';
import type { RunResource } from '../../src/travel/api/run-resource';
import { asProblem, sendApproval } from './api';
import { calendarDate, dateRange, moment, money, plural } from './format';
import { FlightsCard, HotelCard } from './itinerary';
import { flightPlanOf, hotelStayOf } from './itinerary-model';
import { tripFacts, tripHeading } from './trip';
import { itemsByStop, partRef } from './trip-parts';

type Quote = NonNullable<RunResource['quote']>;
type QuoteItem = Quote['items'][number];

/**
 * A quote item's description as lines: the tools write "out …; back …; total" in one run, with
 * ISO dates ("2027-03-10 08:55" reads "Wed 10 Mar, 08:55"); the total is shown beside it already.
 */
function itemLines(item: QuoteItem): string[] {
  return item.description
    .split(/;\s+/)
    .map((line) =>
      line
        .trim()
        .replace(/\b(\d{4}-\d{2}-\d{2})(?: (\d{2}:\d{2}))?/g, (_, day: string, time?: string) =>
          time ? `${calendarDate(day, { year: false })}, ${time}` : calendarDate(day, { year: false }),
        )
        .replace(/^out\b/, 'Out:')
        .replace(/^back\b/, 'Back:'),
    )
    .filter((line) => line && !/\d+(\.\d+)? [A-Z]{3} in total/.test(line));
}

/** An item's price as the traveller reads it: in their currency when the quote gives it. */
function shown(
  amount: { amount: number; currency: string },
  display?: { amount: number; currency: string },
): string {
  return display ? money(display.amount, display.currency) : money(amount.amount, amount.currency);
}

/** The item's offer as the server stated it, as the itinerary's cards show it. */
function offerCard(item: QuoteItem, label: string) {
  if (!item.offer) return null;
  if (item.kind === 'flight') {
    const plan = flightPlanOf({ found: true, details: item.offer });
    return plan?.legs.length ? <FlightsCard plan={plan} title={label} /> : null;
  }
  const stay = hotelStayOf({ found: true, details: item.offer });
  return stay ? <HotelCard stay={stay} title={label} /> : null;
}

function QuoteItems({ items }: { items: { item: QuoteItem; label: string }[] }) {
  return (
    <ul class="quote-items">
      {items.map(({ item, label }) => (
        <li key={`${item.kind}-${item.offerId}`} class="quote-item" data-kind={item.kind}>
          <div class="quote-item-head">
            <p class="quote-kind">
              {label}
              {item.booked ? <span class="badge tone-success">Booked</span> : null}
            </p>
            <p class="quote-price">{shown(item.price, item.display)}</p>
          </div>
          {offerCard(item, `To book: ${label}`) ??
            itemLines(item).map((line, i) => (
              <p key={i} class="quote-line">
                {line}
              </p>
            ))}
        </li>
      ))}
    </ul>
  );
}

/** "Flight to Rome: " before a cheaper option, on a trip with several stops. */
function alternativeFor(run: RunResource, alternative: { kind: 'flight' | 'hotel'; part?: string }) {
  const ref = partRef(alternative.part, alternative.kind);
  if (ref.stop === undefined) return null;
  const group = itemsByStop(run, run.quote?.items ?? []).find((g) => g.key === String(ref.stop));
  const label = group?.items.find(({ item }) => item.kind === alternative.kind)?.label;
  return label ? <strong>{label}: </strong> : null;
}

export function Checkout({ run, onDecided }: { run: RunResource; onDecided: () => void }) {
  const quote = run.quote!;
  const facts = tripFacts(run);
  const heading = tripHeading(run);
  const understood = run.request.understood;
  const names = understood?.travellerNames ?? run.request.fields.travellerNames ?? [];
  const email = understood?.contactEmail ?? run.request.fields.contactEmail;
  const [note, setNote] = useState('');
  const [sent, setSent] = useState<'approve' | 'reject'>();
  const [problem, setProblem] = useState<string>();
  const budget = facts.budget ?? quote.budget;
  const total = quote.displayTotal ?? quote.total;
  const left =
    budget && budget.currency === total.currency
      ? Math.round((budget.amount - total.amount) * 100) / 100
      : undefined;
  const held = quote.expiresAt;

  const decide = (approved: boolean) => {
    if (sent) return;
    setSent(approved ? 'approve' : 'reject');
    setProblem(undefined);
    sendApproval(run, approved, note.trim() || undefined)
      .then(onDecided)
      .catch((error: unknown) => {
        setSent(undefined);
        setProblem(asProblem(error).message);
      });
  };

  return (
    <section class="card checkout" aria-labelledby="checkout-title">
      <h2 id="checkout-title">Review and book</h2>
      <p class="lead">Nothing is booked until you approve. Check the details, then book in one step.</p>
      {quote.changes?.length ? (
        <p class="note" role="status">
          A price changed since the last quote:{' '}
          {quote.changes
            .map((c) => `${money(c.from.amount, c.from.currency)} → ${money(c.to.amount, c.to.currency)}`)
            .join(', ')}
          . Please check it before you approve.
        </p>
      ) : null}

      <div class="checkout-grid">
        <div class="checkout-who">
          <h3>Your trip</h3>
          <p>
            <strong>{heading.title}</strong>
            <br />
            {facts.stops.length > 1 && facts.origin ? `From ${facts.origin}, ` : ''}
            {dateRange(facts.startDate, facts.endDate)}
          </p>
          <h3>Who is travelling</h3>
          {names.length ? (
            <ul class="travellers">
              {names.map((n, i) => (
                <li key={i}>
                  {n.firstName} {n.lastName}
                </li>
              ))}
            </ul>
          ) : (
            <p>{facts.travellers ? plural(facts.travellers, 'traveller') : '—'}</p>
          )}
          {email ? (
            <>
              <h3>Confirmations go to</h3>
              <p>{email}</p>
            </>
          ) : null}
        </div>

        <div class="checkout-items">
          <h3>What you are booking</h3>
          {itemsByStop(run, quote.items).map((group) =>
            group.title ? (
              <section key={group.key} class="stop-group" aria-labelledby={`stop-${group.key}`}>
                <h4 id={`stop-${group.key}`}>
                  {group.title}
                  {group.when ? <span class="stop-when"> · {group.when}</span> : null}
                </h4>
                <QuoteItems items={group.items} />
              </section>
            ) : (
              <QuoteItems key={group.key} items={group.items} />
            ),
          )}
          <dl class="quote-total">
            <div>
              <dt>Total</dt>
              <dd>{money(total.amount, total.currency)}</dd>
            </div>
            {budget ? (
              <div class={left !== undefined && left < 0 ? 'over' : ''}>
                <dt>Your budget</dt>
                <dd>
                  {money(budget.amount, budget.currency)}
                  {left !== undefined
                    ? ` · ${money(Math.abs(left), budget.currency)} ${left >= 0 ? 'under' : 'over'}`
                    : ''}
                </dd>
              </div>
            ) : null}
          </dl>
          {quote.displayTotal && quote.displayTotal.currency !== quote.total.currency ? (
            <p class="hint">
              {money(quote.total.amount, quote.total.currency)} as the providers charge it
              {quote.ratesDate ? `, converted at the rates of ${quote.ratesDate}` : ''}.
            </p>
          ) : null}
          <CheaperOptions run={run} hint="To take one, reject this quote and change the request." />
        </div>
      </div>

      <div class="checkout-terms">
        <p>
          <strong>Price held:</strong>{' '}
          {held
            ? `until ${moment(held)}.`
            : 'while this page waits for you. Prices are checked again when you approve.'}
        </p>
        <p>
          <strong>If you approve,</strong> we book each item once and show your confirmations here.{' '}
          <strong>If you reject,</strong> nothing is booked or charged, and your plan stays here to change.
        </p>
      </div>

      <div class="field">
        <label for="approval-note">
          Note for the booking <span class="optional">(optional)</span>
        </label>
        <textarea
          id="approval-note"
          rows={2}
          maxLength={500}
          value={note}
          onInput={(e) => setNote(e.currentTarget.value)}
        />
      </div>
      {problem ? (
        <p class="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      <div class="checkout-bar">
        <p class="checkout-bar-total" aria-hidden="true">
          {money(total.amount, total.currency)}
        </p>
        <div class="actions">
          <button type="button" class="primary" disabled={sent !== undefined} onClick={() => decide(true)}>
            {sent === 'approve' ? 'Booking…' : `Approve and book`}
          </button>
          <button type="button" class="secondary" disabled={sent !== undefined} onClick={() => decide(false)}>
            {sent === 'reject' ? 'Rejecting…' : 'Reject'}
          </button>
        </div>
      </div>
    </section>
  );
}

/**
 * The cheaper offers the tools returned for a quote over the traveller's budget, each with what it
 * saves (and, on a trip with several stops, which flight or hotel it would replace).
 */
export function CheaperOptions({ run, hint, level = 3 }: { run: RunResource; hint: string; level?: 2 | 3 }) {
  const alternatives = run.quote?.alternatives ?? [];
  if (!alternatives.length) return null;
  const Heading = level === 2 ? 'h2' : 'h3';
  return (
    <div class="alternatives">
      <Heading>Cheaper options we found</Heading>
      <ul>
        {alternatives.map((a) => (
          <li key={a.offerId}>
            {alternativeFor(run, a)}
            {a.description} — {shown(a.price, a.display)} (saves {money(a.saves.amount, a.saves.currency)})
          </li>
        ))}
      </ul>
      <p class="hint">{hint}</p>
    </div>
  );
}
