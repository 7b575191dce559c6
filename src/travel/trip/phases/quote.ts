/**
 * Quote: money from tool data only. The offers the specialists chose are looked up by id on
 * their servers and checked against the facts (route, dates, party, cabin, rooms); an offer that
 * does not fit — or does not exist — is never quoted: its specialist gets one chance to choose
 * again, told what is wrong, then the run fails before any price is shown. The quote carries the
 * servers' prices, totals computed here, the traveller's budget and currency, and — when it is
 * over that budget — by how much and the cheaper offers the tools returned.
 */
import type { Issue } from '../../../agents/contracts';
import { runSpecialists } from '../../../agents/orchestration/specialists';
import { roundCents } from '../../../domain/currency';
import { SPECIALISTS } from '../../agents';
import type { Quote, QuoteItem, TripFacts } from '../../schemas';
import {
  checkFlightOffer,
  checkHotelOffer,
  describeFlight,
  describeHotel,
  flightOfferSchema,
  hotelOfferSchema,
  needsOf,
  type TripNeeds,
} from '../offers';
import { buildQuote, displayAmount } from '../pricing';
import { plannerCalls, QUOTE_AGENT, type PlannerCall } from '../tool-calls';
import { ended, next, type Gen, type PhaseOutcome, type TripRun, type VerifiedOffers } from '../trip-run';
import type { Briefs } from '../briefs';
import { topicOf } from '../shape';

export interface Quoted {
  quote: Quote;
  offers: VerifiedOffers;
}

type Lookup = { offers: VerifiedOffers; issues: Issue[]; unavailable?: string };

export function* quoteTrip(trip: TripRun, facts: TripFacts, briefs: Briefs): Gen<PhaseOutcome<Quoted>> {
  const { frame, findings } = trip;
  const needs = needsOf(facts);
  let looked = yield* lookUpChosen(trip, needs, 'quote');
  if (looked.issues.length > 0 && looked.unavailable === undefined) {
    frame.tracker.decide('quote.offer_refused', frame.now(), {
      issues: looked.issues.map((i) => i.path).join(','),
    });
    yield* chooseAgain(trip, briefs, looked.issues);
    looked = yield* lookUpChosen(trip, needs, 'quote-again');
  }
  if (looked.unavailable !== undefined) {
    return ended(
      frame.finish('failed', {
        error: { code: 'tool_unavailable', message: looked.unavailable },
        result: { data: findings },
      }),
    );
  }
  if (looked.issues.length > 0) {
    return ended(
      frame.finish('failed', {
        error: {
          code: 'offer_mismatch',
          message: 'The offers found do not match the trip, so nothing was quoted.',
          details: looked.issues,
        },
        result: { data: findings },
      }),
    );
  }
  const items = itemsOf(looked.offers);
  let quote = buildQuote({ id: 'q1', round: 1, items }, facts);
  if (quote.overBudget) {
    const alternatives = yield* cheaperOptions(trip, facts, needs, briefs, items);
    quote = buildQuote({ id: 'q1', round: 1, items, alternatives }, facts);
  }
  // The quoted trip counts against the run's own money budget (a hard stop, unlike the traveller's).
  frame.tracker.charge({ externalCost: quote.total.amount }, frame.now());
  frame.tracker.decide('budget.checked', frame.now(), {
    money: frame.tracker.usage.money,
    limit: frame.tracker.limits.money,
    overTravellerBudget: quote.overBudget !== undefined,
  });
  frame.tracker.check(frame.now());
  frame.status.quote = quote;
  frame.publish();
  return next({ quote, offers: looked.offers });
}

/** The chosen offers, looked up by id on their servers and checked against what each part needs. */
function* lookUpChosen(trip: TripRun, needs: TripNeeds, tag: string): Gen<Lookup> {
  const { findings } = trip;
  const issues: Issue[] = [];
  const parts = [
    ...Object.keys(needs.flights).map((part) => ({ part, kind: 'flight' as const })),
    ...Object.keys(needs.hotels).map((part) => ({ part, kind: 'hotel' as const })),
  ];
  const asked: { part: string; kind: 'flight' | 'hotel'; call: PlannerCall }[] = [];
  for (const { part, kind } of parts) {
    const offerId = (findings[part] as { offerId?: string } | undefined)?.offerId;
    if (!offerId) issues.push({ path: `${part}.offerId`, issue: `no ${kind} offer was chosen` });
    else asked.push({ part, kind, call: detailsCall(kind, offerId, `${tag}/${part}`) });
  }
  const outputs = yield* plannerCalls(
    trip.context,
    trip.frame.run,
    asked.map((a) => a.call),
    'parallel',
  );
  const offers: VerifiedOffers = { flights: {}, hotels: {} };
  let unavailable: string | undefined;
  outputs.forEach((output, i) => {
    const { part, kind } = asked[i];
    if (!output.ok) {
      if (output.error.code === 'unavailable') unavailable = `The ${kind}s server is not answering.`;
      issues.push({
        path: `${part}.offerId`,
        issue: `the offer could not be looked up: ${output.error.message}`,
      });
      return;
    }
    const raw = (output.data as { offer?: unknown })?.offer;
    if (kind === 'flight') {
      const parsed = flightOfferSchema.safeParse(raw);
      if (!parsed.success)
        return void issues.push({ path: `${part}.offerId`, issue: 'the server sent no readable offer' });
      const found = checkFlightOffer(parsed.data, needs.flights[part], part);
      if (found.length === 0) offers.flights[part] = parsed.data;
      issues.push(...found);
    } else {
      const parsed = hotelOfferSchema.safeParse(raw);
      if (!parsed.success)
        return void issues.push({ path: `${part}.offerId`, issue: 'the server sent no readable offer' });
      const found = checkHotelOffer(parsed.data, needs.hotels[part], part);
      if (found.length === 0) offers.hotels[part] = parsed.data;
      issues.push(...found);
    }
  });
  return { offers, issues, ...(unavailable ? { unavailable } : {}) };
}

export function detailsCall(kind: 'flight' | 'hotel', offerId: string, stepId: string): PlannerCall {
  return {
    agent: QUOTE_AGENT,
    tool: kind === 'flight' ? 'flights.get_flight_details' : 'hotels.get_hotel_details',
    arguments: { offerId },
    stepId: `${stepId}/${offerId}`,
    label: `check ${kind} offer`,
  };
}

/** The part of an issue's path ("hotels:2.checkIn" → "hotels:2"). */
const partOfIssue = (issue: Issue) => issue.path.slice(0, issue.path.indexOf('.'));

/** The specialists whose offers were refused choose again, told exactly what did not fit. */
function* chooseAgain(trip: TripRun, briefs: Briefs, issues: readonly Issue[]): Gen<void> {
  const { context, frame, findings } = trip;
  const parts = [...new Set(issues.map(partOfIssue))].filter((part) => briefs[part] !== undefined);
  const jobs = parts.map((part) => ({
    agent: SPECIALISTS[topicOf(part)],
    task: JSON.stringify({
      ...briefs[part],
      feedback:
        'The offer you chose cannot be quoted: ' +
        issues
          .filter((i) => partOfIssue(i) === part)
          .map((i) => `${i.path.slice(part.length + 1)} ${i.issue}`)
          .join('; ') +
        '. Choose an offer from the search results that matches the request exactly.',
    }),
    round: 1,
    key: `quote-${part.replace(':', '-')}`,
  }));
  const results = yield* runSpecialists(context, frame.run, jobs);
  results.forEach((r, i) => {
    if (r.status === 'completed') findings[parts[i]] = r.output;
  });
  frame.publish();
}

/** Quote items from the verified offers, by part: descriptions and prices from the servers' data. */
export function itemsOf(offers: VerifiedOffers): Omit<QuoteItem, 'display'>[] {
  const flights = Object.entries(offers.flights).map(([part, offer]) => ({
    kind: 'flight' as const,
    part,
    offerId: offer.offerId,
    description: describeFlight(offer),
    price: { amount: offer.totalPrice.amount, currency: 'USD' },
    offer,
  }));
  const hotels = Object.entries(offers.hotels).map(([part, offer]) => ({
    kind: 'hotel' as const,
    part,
    offerId: offer.offerId,
    description: describeHotel(offer),
    price: { amount: offer.totalPrice.amount, currency: 'USD' },
    offer,
  }));
  return [...flights, ...hotels];
}

/** Up to two cheaper offers per part that fit the trip, from the tools' own search results. */
function* cheaperOptions(
  trip: TripRun,
  facts: TripFacts,
  needs: TripNeeds,
  briefs: Briefs,
  items: readonly Omit<QuoteItem, 'display'>[],
): Gen<NonNullable<Quote['alternatives']>> {
  const calls: PlannerCall[] = items.map((item) => ({
    agent: QUOTE_AGENT,
    tool: item.kind === 'flight' ? 'flights.search_flights' : 'hotels.search_hotels',
    arguments: pick(
      briefs[item.part ?? ''] ?? {},
      item.kind === 'flight'
        ? ['origin', 'destination', 'departDate', 'returnDate', 'passengers', 'cabin']
        : ['city', 'checkIn', 'checkOut', 'guests', 'rooms'],
    ),
    stepId: `quote/cheaper/${item.part ?? item.kind}`,
    label: `look for cheaper ${item.kind}s`,
  }));
  const outputs = yield* plannerCalls(trip.context, trip.frame.run, calls, 'parallel');
  const alternatives: NonNullable<Quote['alternatives']> = [];
  items.forEach((chosen, i) => {
    const output = outputs[i];
    const part = chosen.part ?? '';
    if (!output.ok) return;
    const fitting =
      chosen.kind === 'flight'
        ? offersIn(
            output.data,
            flightOfferSchema,
            (o) => checkFlightOffer(o, needs.flights[part], part),
            describeFlight,
          )
        : offersIn(
            output.data,
            hotelOfferSchema,
            (o) => checkHotelOffer(o, needs.hotels[part], part),
            describeHotel,
          );
    fitting
      .filter((o) => o.price < chosen.price.amount)
      .sort((a, b) => a.price - b.price)
      .slice(0, 2)
      .forEach((o) => {
        const display = displayAmount(o.price, facts);
        alternatives.push({
          kind: chosen.kind,
          part,
          offerId: o.offerId,
          description: o.description,
          price: { amount: o.price, currency: 'USD' },
          ...(display ? { display } : {}),
          saves: { amount: roundCents(chosen.price.amount - o.price), currency: 'USD' },
        });
      });
  });
  return alternatives;
}

/** The offers of a search result that parse and fit. */
function offersIn<T extends { offerId: string; totalPrice: { amount: number } }>(
  data: unknown,
  schema: { safeParse: (v: unknown) => { success: true; data: T } | { success: false } },
  check: (offer: T) => Issue[],
  describe: (offer: T) => string,
): { offerId: string; price: number; description: string }[] {
  const list = (data as { offers?: unknown[] } | undefined)?.offers ?? [];
  const fitting: { offerId: string; price: number; description: string }[] = [];
  for (const raw of list) {
    const parsed = schema.safeParse(raw);
    if (parsed.success && check(parsed.data).length === 0) {
      fitting.push({
        offerId: parsed.data.offerId,
        price: parsed.data.totalPrice.amount,
        description: describe(parsed.data),
      });
    }
  }
  return fitting;
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => source[k] !== undefined).map((k) => [k, source[k]]));
}
