/**
 * The money path against models that lie or err, through the local host, the trips API and the
 * real MCP servers: whatever a specialist claims, the quote carries the servers' prices for offers
 * that fit the trip; an offer that does not fit (first class, 30 nights, 8 guests) or does not
 * exist is refused before any price is shown; what is booked is what was quoted and approved.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeFlightOfferId } from '../../src/mcp-servers/flights/flight-offer-id';
import { encodeHotelOfferId } from '../../src/mcp-servers/hotels/hotel-offer-id';
import { ScriptedModel, turn, type Script, type ScriptedTurn } from '../../src/models/scripted-model';
import type { ModelRequest } from '../../src/models/types';
import { TRAVEL_OFFLINE_POLICIES, taskOf } from '../../src/travel/offline/policies';
import { startAppHost, type AppHost } from '../support/app-host';
import { tripsClient, type TripsClient } from '../support/trips-client';

let app: AppHost;
let trips: TripsClient;

beforeAll(async () => {
  app = await startAppHost({ TRIP_APPROVAL_TIMEOUT_MS: '60000' });
  trips = tripsClient(app);
});
afterAll(async () => {
  await app.host.stop();
});
afterEach(() => app.useModel(undefined));

const offline = (agent: string) => (request: ModelRequest) =>
  TRAVEL_OFFLINE_POLICIES[agent](request) as ScriptedTurn;

/** The offline policies, with `overrides` for the agents a test makes misbehave. */
function script(
  overrides: Record<string, (request: ModelRequest, call: number) => ScriptedTurn> = {},
): ScriptedModel {
  const entries: Script = Object.fromEntries(
    Object.keys(TRAVEL_OFFLINE_POLICIES).map((agent) => [agent, overrides[agent] ?? offline(agent)]),
  );
  const model = new ScriptedModel(entries);
  app.useModel(model);
  return model;
}

/** Searches as the offline specialist would, then answers with `answer(offlineChoice)` instead. */
function afterSearch(
  agent: 'flights' | 'hotels',
  answer: (choice: Record<string, unknown>, request: ModelRequest) => unknown,
) {
  return (request: ModelRequest): ScriptedTurn => {
    const decision = offline(agent)(request) as { toolCalls?: unknown; output?: Record<string, unknown> };
    return decision.toolCalls
      ? (decision as ScriptedTurn)
      : turn.output(answer(decision.output ?? {}, request));
  };
}

/** True when the specialist is choosing again after its offer was refused at the quote. */
const toldToChooseAgain = (request: ModelRequest) =>
  /cannot be quoted/.test(String(taskOf<{ feedback?: string }>(request).feedback ?? ''));

const START = '2027-03-10';
const END = '2027-03-14';
const trip = {
  request: `Plan a trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000`,
  book: true,
  contactEmail: 'ada@example.org',
  travellerNames: [
    { firstName: 'Ada', lastName: 'Lovelace' },
    { firstName: 'Charles', lastName: 'Babbage' },
  ],
};

/** A real offer, but first class for eight: it exists, and fits nobody in this trip. */
const FIRST_CLASS_FOR_EIGHT = encodeFlightOfferId({
  origin: 'SEA',
  destination: 'FTE',
  departDate: START,
  returnDate: END,
  cabin: 'first',
  passengers: 8,
  index: 0,
});
/** A real hotel offer, but thirty nights for eight guests. */
const THIRTY_NIGHTS_FOR_EIGHT = encodeHotelOfferId({
  cityKey: 'FTE',
  hotelIndex: 0,
  checkIn: START,
  checkOut: '2027-04-09',
  guests: 8,
});

describe('the quote comes from the tool servers, never from a model', () => {
  it('refuses a model’s first-class, 30-night, 8-guest picks claimed at $1, before any price is shown', async () => {
    const before = await trips.bookings();
    script({
      flights: afterSearch('flights', () => ({
        found: true,
        offerId: FIRST_CLASS_FOR_EIGHT,
        description: 'cheap',
        totalUsd: 1,
      })),
      hotels: afterSearch('hotels', () => ({
        found: true,
        offerId: THIRTY_NIGHTS_FOR_EIGHT,
        description: 'cheap',
        totalUsd: 1,
      })),
    });
    const run = await trips.waitFor(await trips.start(trip), ['failed']);
    expect(run.error?.code).toBe('offer_mismatch');
    const paths = (run.error?.details as { path: string }[]).map((d) => d.path);
    expect(paths).toEqual(
      expect.arrayContaining(['flights.passengers', 'flights.cabin', 'hotels.checkOut', 'hotels.guests']),
    );
    expect(run.quote).toBeUndefined();
    expect(await trips.bookings()).toBe(before);
  });

  it('lets the specialist choose again when told what did not fit, and quotes the servers’ prices', async () => {
    const model = script({
      flights: (request) =>
        toldToChooseAgain(request)
          ? offline('flights')(request)
          : afterSearch('flights', () => ({
              found: true,
              offerId: FIRST_CLASS_FOR_EIGHT,
              description: 'x',
              totalUsd: 1,
            }))(request),
    });
    const id = await trips.start(trip);
    const run = await trips.waitFor(id, ['awaiting_approval']);
    const flight = run.quote!.items.find((i) => i.kind === 'flight')!;
    expect(flight.offerId).not.toBe(FIRST_CLASS_FOR_EIGHT);
    expect(flight.offer).toMatchObject({ cabin: 'economy', passengers: 2 });
    expect(flight.price.amount).toBe((flight.offer as { totalPrice: { amount: number } }).totalPrice.amount);
    expect(model.requestsFor('flights').some((r) => toldToChooseAgain(r))).toBe(true);
    await trips.api('POST', `/api/trips/${id}/approval`, { approved: false });
    await trips.waitFor(id, ['completed']);
  });

  it('refuses an offer id that does not exist, before the quote', async () => {
    script({
      hotels: afterSearch('hotels', () => ({
        found: true,
        offerId: 'HT-FTE-99-20270310-20270314-G2',
        description: 'x',
        totalUsd: 10,
      })),
    });
    const run = await trips.waitFor(await trips.start(trip), ['failed']);
    expect(run.error?.code).toBe('offer_mismatch');
    expect(JSON.stringify(run.error?.details)).toMatch(/could not be looked up/);
    expect(run.quote).toBeUndefined();
  });

  it('quotes and books the servers’ prices when a sloppy model misreports its totals', async () => {
    const halve = (choice: Record<string, unknown>) => ({ ...choice, totalUsd: Number(choice.totalUsd) / 2 });
    script({ flights: afterSearch('flights', halve), hotels: afterSearch('hotels', halve) });
    const id = await trips.start(trip);
    const run = await trips.waitFor(id, ['awaiting_approval']);
    const quote = run.quote!;
    for (const item of quote.items) {
      expect(item.price.amount).toBe((item.offer as { totalPrice: { amount: number } }).totalPrice.amount);
    }
    const total = quote.items.reduce((sum, item) => sum + item.price.amount, 0);
    expect(quote.total.amount).toBeCloseTo(total, 2);
    expect(run.result?.itinerary?.costs.total).toBe(quote.total.amount);
    expect(run.result?.itinerary?.summary).toContain(
      quote.total.amount.toLocaleString('en-US').split('.')[0],
    );

    expect(
      (await trips.api('POST', `/api/trips/${id}/approval`, { approved: true, quoteId: quote.id })).status,
    ).toBe(202);
    const done = await trips.waitFor(id, ['completed']);
    const booked = await trips.bookedTotals(done.result!.bookings!.map((b) => b.bookingId!));
    expect(booked.map((b) => b.amount)).toEqual(quote.items.map((i) => i.price.amount));
    expect(booked.reduce((sum, b) => sum + b.amount, 0)).toBeCloseTo(quote.total.amount, 2);
  });

  it('refuses an approval that names another quote (409), and books nothing for it', async () => {
    script();
    const before = await trips.bookings();
    const id = await trips.start(trip);
    await trips.waitFor(id, ['awaiting_approval']);
    const stale = await trips.api('POST', `/api/trips/${id}/approval`, { approved: true, quoteId: 'q7' });
    expect(stale.status).toBe(409);
    expect((stale.body as { error: { code: string } }).error.code).toBe('quote_changed');
    expect(await trips.bookings()).toBe(before);
    await trips.api('POST', `/api/trips/${id}/cancel`, {});
    await trips.waitFor(id, ['cancelled']);
  });

  it('shows the quote, total and budget in the traveller’s currency', async () => {
    script();
    const run = await trips.waitFor(
      await trips.start({
        request: 'Plan a trip from London to Lisbon, 3–9 May 2027, for 2 people, budget €4000',
      }),
      ['completed'],
    );
    const quote = run.quote!;
    expect(quote.displayTotal?.currency).toBe('EUR');
    expect(quote.ratesDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(quote.items.every((i) => i.display?.currency === 'EUR')).toBe(true);
    const costs = run.result!.itinerary!.costs;
    expect(costs.display).toMatchObject({ currency: 'EUR', budget: 4000 });
    expect(run.result!.itinerary!.summary).toMatch(/EUR/);
  });
});
