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
  type FlightNeed,
  type HotelNeed,
} from '../offers';
import { buildQuote, displayAmount } from '../pricing';
import { plannerCalls, QUOTE_AGENT, type PlannerCall } from '../tool-calls';
import { ended, next, type Gen, type PhaseOutcome, type TripRun, type VerifiedOffers } from '../trip-run';
import type { Briefs } from './research';

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

/** The chosen offers, looked up by id on their servers and checked against what the trip needs. */
function* lookUpChosen(
  trip: TripRun,
  needs: { flight?: FlightNeed; hotel?: HotelNeed },
  tag: string,
): Gen<Lookup> {
  const { findings } = trip;
  const issues: Issue[] = [];
  const calls: PlannerCall[] = [];
  const flightId = findings.flights?.offerId;
  const hotelId = findings.hotels?.offerId;
  if (!flightId) issues.push({ path: 'flights.offerId', issue: 'no flight offer was chosen' });
  else calls.push(detailsCall('flight', flightId, `${tag}/flight`));
  if (!hotelId) issues.push({ path: 'hotels.offerId', issue: 'no hotel offer was chosen' });
  else calls.push(detailsCall('hotel', hotelId, `${tag}/hotel`));
  const outputs = yield* plannerCalls(trip.context, trip.frame.run, calls, 'parallel');
  const offers: VerifiedOffers = {};
  let unavailable: string | undefined;
  outputs.forEach((output, i) => {
    const kind = calls[i].tool.startsWith('flights.') ? 'flights' : 'hotels';
    if (!output.ok) {
      if (output.error.code === 'unavailable') unavailable = `The ${kind} server is not answering.`;
      issues.push({
        path: `${kind}.offerId`,
        issue: `the offer could not be looked up: ${output.error.message}`,
      });
      return;
    }
    if (kind === 'flights') {
      const parsed = flightOfferSchema.safeParse((output.data as { offer?: unknown })?.offer);
      if (!parsed.success)
        issues.push({ path: 'flights.offerId', issue: 'the server sent no readable offer' });
      else if (needs.flight) {
        const found = checkFlightOffer(parsed.data, needs.flight);
        if (found.length === 0) offers.flight = parsed.data;
        issues.push(...found);
      }
    } else {
      const parsed = hotelOfferSchema.safeParse((output.data as { offer?: unknown })?.offer);
      if (!parsed.success)
        issues.push({ path: 'hotels.offerId', issue: 'the server sent no readable offer' });
      else if (needs.hotel) {
        const found = checkHotelOffer(parsed.data, needs.hotel);
        if (found.length === 0) offers.hotel = parsed.data;
        issues.push(...found);
      }
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

/** The specialists whose offers were refused choose again, told exactly what did not fit. */
function* chooseAgain(trip: TripRun, briefs: Briefs, issues: readonly Issue[]): Gen<void> {
  const { context, frame, findings } = trip;
  const agents = (['flights', 'hotels'] as const).filter((a) =>
    issues.some((i) => i.path.startsWith(`${a}.`)),
  );
  const jobs = agents.map((agent) => ({
    agent: SPECIALISTS[agent],
    task: JSON.stringify({
      ...briefs[agent],
      feedback:
        'The offer you chose cannot be quoted: ' +
        issues
          .filter((i) => i.path.startsWith(`${agent}.`))
          .map((i) => `${i.path.slice(agent.length + 1)} ${i.issue}`)
          .join('; ') +
        '. Choose an offer from the search results that matches the request exactly.',
    }),
    round: 1,
    key: 'quote',
  }));
  const results = yield* runSpecialists(context, frame.run, jobs);
  for (const r of results)
    if (r.status === 'completed') (findings as Record<string, unknown>)[r.agent] = r.output;
  frame.publish();
}

/** Quote items from the verified offers: descriptions and prices from the servers' data. */
export function itemsOf(offers: VerifiedOffers): Omit<QuoteItem, 'display'>[] {
  const items: Omit<QuoteItem, 'display'>[] = [];
  if (offers.flight) {
    items.push({
      kind: 'flight',
      offerId: offers.flight.offerId,
      description: describeFlight(offers.flight),
      price: { amount: offers.flight.totalPrice.amount, currency: 'USD' },
      offer: offers.flight,
    });
  }
  if (offers.hotel) {
    items.push({
      kind: 'hotel',
      offerId: offers.hotel.offerId,
      description: describeHotel(offers.hotel),
      price: { amount: offers.hotel.totalPrice.amount, currency: 'USD' },
      offer: offers.hotel,
    });
  }
  return items;
}

/** Up to two cheaper offers per item that fit the trip, from the tools' own search results. */
function* cheaperOptions(
  trip: TripRun,
  facts: TripFacts,
  needs: { flight?: FlightNeed; hotel?: HotelNeed },
  briefs: Briefs,
  items: readonly Omit<QuoteItem, 'display'>[],
): Gen<NonNullable<Quote['alternatives']>> {
  const f = briefs.flights;
  const h = briefs.hotels;
  const calls: PlannerCall[] = [
    {
      agent: QUOTE_AGENT,
      tool: 'flights.search_flights',
      arguments: pick(f, ['origin', 'destination', 'departDate', 'returnDate', 'passengers', 'cabin']),
      stepId: 'quote/cheaper/flights',
      label: 'look for cheaper flights',
    },
    {
      agent: QUOTE_AGENT,
      tool: 'hotels.search_hotels',
      arguments: pick(h, ['city', 'checkIn', 'checkOut', 'guests']),
      stepId: 'quote/cheaper/hotels',
      label: 'look for cheaper hotels',
    },
  ];
  const [flights, hotels] = yield* plannerCalls(trip.context, trip.frame.run, calls, 'parallel');
  const alternatives: NonNullable<Quote['alternatives']> = [];
  const add = (
    kind: 'flight' | 'hotel',
    offers: { offerId: string; price: number; description: string }[],
  ) => {
    const chosen = items.find((i) => i.kind === kind);
    if (!chosen) return;
    offers
      .filter((o) => o.price < chosen.price.amount)
      .sort((a, b) => a.price - b.price)
      .slice(0, 2)
      .forEach((o) => {
        const display = displayAmount(o.price, facts);
        alternatives.push({
          kind,
          offerId: o.offerId,
          description: o.description,
          price: { amount: o.price, currency: 'USD' },
          ...(display ? { display } : {}),
          saves: { amount: roundCents(chosen.price.amount - o.price), currency: 'USD' },
        });
      });
  };
  if (flights.ok && needs.flight) {
    const need = needs.flight;
    add(
      'flight',
      offersIn(flights.data, flightOfferSchema, (o) => checkFlightOffer(o, need), describeFlight),
    );
  }
  if (hotels.ok && needs.hotel) {
    const need = needs.hotel;
    add(
      'hotel',
      offersIn(hotels.data, hotelOfferSchema, (o) => checkHotelOffer(o, need), describeHotel),
    );
  }
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
