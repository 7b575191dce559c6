/**
 * Checkout: what the traveller approves is what gets booked. Contact details are asked for once
 * the price is on the table; approval names the quote it approves; right before booking every
 * price is looked up again, and each booking carries its approved total, which the bookings
 * server refuses if the price changed. A changed price books nothing: the run quotes again and
 * waits for a new approval (a bounded number of times). Nothing is booked without an approval
 * event, whatever the request or a model says.
 */
import { deadlineFrom, waitForHuman } from '../../../agents/orchestration/human-input';
import { RUN_EVENTS } from '../../../agents/run-status';
import type { Itinerary, Quote, TripFacts, TripResult, TripStatus } from '../../schemas';
import { checkFacts } from '../../validate-facts';
import { buildQuote, costsOf, summaryOf } from '../pricing';
import { BOOKING_AGENT, plannerCalls, type PlannerCall } from '../tool-calls';
import type { Gen, TripRun } from '../trip-run';
import { askWithinRounds } from './ask';
import { detailsCall } from './quote';

/** Quotes a run may show before it gives up on a price that keeps changing. */
export const MAX_QUOTE_ROUNDS = 3;

type Booking = NonNullable<TripResult['bookings']>[number];
type PriceChange = NonNullable<Quote['changes']>[number];

export function* checkout(
  trip: TripRun,
  facts: TripFacts,
  book: boolean,
  quote: Quote,
  itinerary: Itinerary,
): Gen<TripStatus> {
  const { frame } = trip;
  if (!book) return frame.finish('completed', { result: { itinerary } });
  // The day plan is shown with the price while the traveller decides.
  frame.status.result = { itinerary };
  const withContact = yield* askContact(trip, facts);
  if (withContact === undefined) return frame.status;
  frame.status.request = withContact;
  return yield* approveAndBook(trip, withContact, quote, itinerary);
}

/** The travellers' names and a contact e-mail, asked for (with the quote shown) when missing. */
function* askContact(trip: TripRun, facts: TripFacts): Gen<TripFacts | undefined> {
  const { input } = trip;
  const needs = {
    origin: false,
    destination: false,
    dates: false,
    endDate: false,
    travellers: false,
    budget: false,
    contact: true,
  };
  let current = facts;
  for (let round = 1; ; round++) {
    const issues = checkFacts(current, needs, input.createdAt.slice(0, 10));
    if (issues.length === 0) return current;
    const reply = yield* askWithinRounds(trip, issues, round);
    if (!reply) return undefined;
    const { contactEmail, travellerNames } = reply.fields;
    current = {
      ...current,
      ...(contactEmail ? { contactEmail } : {}),
      ...(travellerNames ? { travellerNames } : {}),
    };
  }
}

type Decision = { kind: 'approved' | 'rejected'; note?: string } | { kind: 'timeout' };

function* approveAndBook(
  trip: TripRun,
  facts: TripFacts,
  first: Quote,
  itinerary: Itinerary,
): Gen<TripStatus> {
  const { frame } = trip;
  const bookings: Booking[] = [];
  let quote = first;
  let shown = itinerary;
  for (;;) {
    const decision = yield* awaitApproval(trip, quote);
    if (decision.kind !== 'approved') {
      const note =
        decision.kind === 'timeout' ? 'No approval came in time; nothing was booked.' : decision.note;
      return frame.finish('completed', {
        result: { itinerary: shown, approval: { approved: false, ...(note ? { note } : {}) } },
      });
    }
    const approval = { approved: true, ...(decision.note ? { note: decision.note } : {}) };
    const pending = quote.items.filter((item) => !item.booked);
    const changes = yield* recheckPrices(trip, pending, quote.id);
    if (changes === 'unavailable') {
      return frame.finish('failed', {
        result: { itinerary: shown, bookings, approval },
        error: {
          code: 'tool_unavailable',
          message: 'The offers could not be looked up again before booking; nothing more was booked.',
        },
      });
    }
    let priceChanged = changes;
    if (priceChanged.length === 0) {
      const outcome = yield* bookItems(trip, facts, quote);
      bookings.push(...outcome.bookings);
      quote = markBooked(quote, outcome.bookings);
      if (outcome.failed) {
        return frame.finish('failed', {
          result: { itinerary: shown, bookings, approval },
          error: {
            code: 'booking_failed',
            message: `Booking the ${outcome.failed.item} failed: ${outcome.failed.error ?? 'unknown error'}`,
          },
        });
      }
      priceChanged = outcome.priceChanged;
      if (priceChanged.length === 0) {
        return frame.finish('completed', { result: { itinerary: shown, bookings, approval } });
      }
    }
    if (quote.round >= MAX_QUOTE_ROUNDS) {
      return frame.finish('failed', {
        result: { itinerary: shown, bookings, approval },
        error: {
          code: 'price_unstable',
          message: `The price changed again after ${MAX_QUOTE_ROUNDS} quotes; nothing more was booked.`,
          details: priceChanged,
        },
      });
    }
    quote = requote(trip, facts, quote, priceChanged);
    shown = {
      ...shown,
      costs: costsOf(quote, frame.tracker.usage.modelCost, facts),
      summary: summaryOf(quote, facts, shown.days.length),
    };
    frame.status.result = { itinerary: shown, ...(bookings.length ? { bookings } : {}) };
  }
}

/** Publishes the quote and waits for an approval of exactly this quote (or the deadline). */
function* awaitApproval(trip: TripRun, quote: Quote): Gen<Decision> {
  const { context, frame, input } = trip;
  const { tracker } = frame;
  const step = tracker.begin(
    'approve',
    quote.round === 1 ? 'traveller approval' : `traveller approval of the new price (${quote.id})`,
    frame.now(),
  );
  // The wait ends with the approval timeout or with the wall-time budget, whichever comes first.
  const wallLeft = tracker.limits.wallTimeMs - (frame.now().getTime() - tracker.startedAtMs);
  const waitMs = Math.max(1, Math.min(input.approvalTimeoutMs, wallLeft + 1));
  quote.expiresAt = deadlineFrom(context, waitMs);
  frame.status.quote = quote;
  frame.publish('awaiting_approval');
  const reply = yield* waitForHuman<{ approved?: unknown; note?: unknown; quoteId?: unknown }>(
    context,
    RUN_EVENTS.approval,
    waitMs,
    // An approval names its quote; one without a name (older clients) can only mean the first.
    (value) => (value?.quoteId === undefined ? quote.round === 1 : value.quoteId === quote.id),
  );
  if (reply.ignored > 0)
    tracker.decide('approval.stale_ignored', frame.now(), { quote: quote.id, count: reply.ignored });
  // A wait cut short by the wall-time budget ends the run budget_exceeded, not "not approved".
  if (reply.kind === 'timeout') tracker.check(frame.now());
  const approved = reply.kind === 'reply' && reply.value?.approved === true;
  const note =
    reply.kind === 'reply' && typeof reply.value?.note === 'string'
      ? reply.value.note.slice(0, 500)
      : undefined;
  tracker.end(
    step,
    approved ? 'completed' : 'skipped',
    frame.now(),
    approved ? 'approved' : reply.kind === 'timeout' ? 'timed out' : 'rejected',
  );
  tracker.decide('approval', frame.now(), { approved, timedOut: reply.kind === 'timeout', quote: quote.id });
  if (reply.kind === 'timeout') return { kind: 'timeout' };
  return { kind: approved ? 'approved' : 'rejected', ...(note ? { note } : {}) };
}

/** The items' prices looked up again; the ones that changed since the quote. */
function* recheckPrices(
  trip: TripRun,
  items: Quote['items'],
  quoteId: string,
): Gen<PriceChange[] | 'unavailable'> {
  const calls = items.map((item) => detailsCall(item.kind, item.offerId, `recheck/${quoteId}/${item.kind}`));
  const outputs = yield* plannerCalls(trip.context, trip.frame.run, calls, 'parallel');
  const changes: PriceChange[] = [];
  for (const [i, output] of outputs.entries()) {
    const price = output.ok
      ? (output.data as { offer?: { totalPrice?: { amount?: unknown; currency?: unknown } } })?.offer
          ?.totalPrice
      : undefined;
    if (typeof price?.amount !== 'number' || price.currency !== 'USD') return 'unavailable';
    if (Math.abs(price.amount - items[i].price.amount) > 0.005) {
      changes.push({
        offerId: items[i].offerId,
        from: items[i].price,
        to: { amount: price.amount, currency: 'USD' },
      });
    }
  }
  return changes;
}

/** Books the quote's unbooked items, one after another, each at its approved total. */
function* bookItems(
  trip: TripRun,
  facts: TripFacts,
  quote: Quote,
): Gen<{ bookings: Booking[]; priceChanged: PriceChange[]; failed?: Booking }> {
  const { frame } = trip;
  const names = facts.travellerNames ?? [];
  const items = quote.items.filter((item) => !item.booked);
  const calls: PlannerCall[] = items.map((item) => ({
    agent: BOOKING_AGENT,
    tool: item.kind === 'flight' ? 'bookings.book_flight' : 'bookings.book_hotel',
    arguments: {
      offerId: item.offerId,
      ...(item.kind === 'flight' ? { travellers: names } : { leadGuest: names[0] }),
      contactEmail: facts.contactEmail,
      expectedTotal: item.price,
    },
    stepId: `book/${item.kind}/${item.offerId}/${quote.id}`,
    label: `book ${item.kind}`,
  }));
  frame.publish('booking');
  const outputs = yield* plannerCalls(trip.context, frame.run, calls, 'sequential');
  frame.publish();
  const bookings: Booking[] = [];
  const priceChanged: PriceChange[] = [];
  let failed: Booking | undefined;
  outputs.forEach((output, i) => {
    const item = items[i];
    if (output.ok) {
      const booking = (output.data as { booking?: { bookingId?: string } } | undefined)?.booking;
      bookings.push({
        item: item.kind,
        offerId: item.offerId,
        status: 'confirmed',
        ...(booking?.bookingId ? { bookingId: booking.bookingId } : {}),
        replayed: output.replayed,
      });
      return;
    }
    // The server's own refusal (a tool error): its code and the price it holds now.
    const refusal = (
      output.error.details as { toolError?: { code?: string; details?: { current?: { amount?: unknown } } } }
    )?.toolError;
    const current = refusal?.details?.current;
    if (refusal?.code === 'price_changed' && typeof current?.amount === 'number') {
      priceChanged.push({
        offerId: item.offerId,
        from: item.price,
        to: { amount: current.amount, currency: 'USD' },
      });
      return;
    }
    const failure: Booking = {
      item: item.kind,
      offerId: item.offerId,
      status: 'failed',
      error: output.error.message,
    };
    bookings.push(failure);
    failed ??= failure;
  });
  return { bookings, priceChanged, ...(failed ? { failed } : {}) };
}

function markBooked(quote: Quote, bookings: readonly Booking[]): Quote {
  const booked = new Set(bookings.filter((b) => b.status === 'confirmed').map((b) => b.offerId));
  return {
    ...quote,
    items: quote.items.map((item) => (booked.has(item.offerId) ? { ...item, booked: true } : item)),
  };
}

/** The next quote: the changed items at their servers' new prices, booked items kept as booked. */
function requote(trip: TripRun, facts: TripFacts, quote: Quote, changes: readonly PriceChange[]): Quote {
  const { frame } = trip;
  const byOffer = new Map(changes.map((c) => [c.offerId, c.to]));
  const round = quote.round + 1;
  const next = buildQuote(
    {
      id: `q${round}`,
      round,
      items: quote.items.map(({ display: _display, ...item }) => ({
        ...item,
        price: byOffer.get(item.offerId) ?? item.price,
      })),
      ...(quote.alternatives ? { alternatives: quote.alternatives } : {}),
      changes: [...changes],
    },
    facts,
  );
  frame.tracker.charge({ externalCost: next.total.amount - quote.total.amount }, frame.now());
  frame.tracker.decide('quote.changed', frame.now(), {
    from: quote.id,
    to: next.id,
    total: next.total.amount,
  });
  frame.tracker.check(frame.now());
  return next;
}
