/**
 * Varied requests end to end, as a traveller would send them: the app on the local host with its
 * default offline model and the real MCP servers over loopback. Each reaches the right status;
 * completed trips have valid dates and stay within budget; refusals call no tool.
 */
import { describe, expect, it } from 'vitest';
import type { RunResource } from '../../src/travel/api/run-resource';
import { runAppForTests } from '../support/trips-app';
import type { TripsClient } from '../support/trips-client';

let trips: TripsClient;
runAppForTests((_app, client) => {
  trips = client;
});

const SETTLED = ['needs_input', 'awaiting_approval', 'completed', 'failed', 'budget_exceeded', 'cancelled'];

/** Runs a request to a settled status; a run left waiting (for input or approval) is cancelled. */
async function run(body: Record<string, unknown>): Promise<RunResource> {
  const id = await trips.start(body);
  const resource = await trips.waitFor(id, SETTLED);
  if (resource.status === 'needs_input' || resource.status === 'awaiting_approval') {
    await trips.api('POST', `/api/trips/${id}/cancel`, {});
  }
  return resource;
}

type Expectation = {
  status: string;
  missing?: string[];
  route?: string;
  budget?: string;
  error?: string;
  overBudget?: boolean;
};

const cases: [string, Record<string, unknown>, Expectation][] = [
  [
    "the brief's Patagonia trip",
    {
      request:
        'Plan a 4-day hiking trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000',
    },
    { status: 'completed', route: 'full_trip' },
  ],
  [
    'a week in Lisbon in euros',
    { request: 'Plan a week in Lisbon from London, 3–9 May 2027, for 2 people, budget €4000' },
    { status: 'completed', route: 'full_trip' },
  ],
  [
    'a solo weekend',
    { request: 'Weekend trip from New York to Chicago, 2027-04-16 to 2027-04-18, solo, $1,500' },
    { status: 'completed', route: 'full_trip' },
  ],
  [
    'accents and Swiss francs',
    { request: 'Trip from Zürich to Köln, 5–8 March 2027, for one, budget 2000 CHF' },
    { status: 'completed', route: 'full_trip' },
  ],
  [
    'a multi-airport city',
    { request: 'Plan a trip from London to New York, 1–6 May 2027, for 2, budget $9000' },
    { status: 'completed', route: 'full_trip' },
  ],
  [
    'fields instead of text',
    {
      request: 'Plan my holiday',
      origin: 'Madrid',
      destination: 'Praha',
      startDate: '2027-09-10',
      endDate: '2027-09-13',
      travellers: 2,
      budget: { amount: 3000, currency: 'EUR' },
    },
    { status: 'completed', route: 'full_trip' },
  ],
  [
    'a weather question',
    { request: "What's the weather in Reykjavik from 2027-02-01 to 2027-02-05?" },
    { status: 'completed', route: 'single_question' },
  ],
  [
    'a restaurants question',
    { request: 'Good restaurants in Tokyo?' },
    { status: 'completed', route: 'single_question' },
  ],
  [
    'a flights question',
    { request: 'Find flights from London to New York on 2027-02-03 for 2 passengers' },
    { status: 'completed', route: 'single_question' },
  ],
  [
    'a hotels question',
    { request: 'Hotels in Paris from 2027-06-01 to 2027-06-04 for 2 guests' },
    { status: 'completed', route: 'single_question' },
  ],
  ['a poem', { request: 'Write me a poem about cats' }, { status: 'completed', route: 'out_of_scope' }],
  ['arithmetic', { request: 'What is 17 times 23?' }, { status: 'completed', route: 'out_of_scope' }],
  [
    'a booking change',
    { request: 'Please cancel my booking BK-7F3A9C21' },
    { status: 'completed', route: 'booking_change' },
  ],
  [
    'dates in the past',
    { request: 'Trip from Berlin to Rome, 2020-05-01 to 2020-05-05, for 2, budget $2000' },
    { status: 'needs_input', missing: ['startDate'] },
  ],
  [
    'the end before the start',
    {
      request: 'Trip from Berlin to Rome for 2, budget $2000',
      startDate: '2027-05-10',
      endDate: '2027-05-05',
    },
    { status: 'needs_input', missing: ['endDate'] },
  ],
  [
    'a 45-day trip',
    {
      request: 'Trip from Berlin to Rome for 2, budget $20000',
      startDate: '2027-05-01',
      endDate: '2027-06-14',
    },
    { status: 'needs_input', missing: ['endDate'] },
  ],
  [
    'an unknown place',
    {
      request: 'Plan a trip for 2, budget $3000, 1–5 April 2027',
      origin: 'Seattle',
      // Not "Atlantis": towns of that name exist (Western Cape, Florida) and the gazetteer knows them.
      destination: 'Narnia',
    },
    { status: 'needs_input', missing: ['destination'] },
  ],
  [
    'the same place twice',
    { request: 'Plan a trip from Paris to Paris, 1–5 April 2027, for 2, budget $3000' },
    { status: 'needs_input', missing: ['destination'] },
  ],
  [
    'almost nothing',
    { request: 'Plan me a trip' },
    { status: 'needs_input', missing: ['origin', 'destination', 'startDate', 'travellers', 'budget'] },
  ],
  [
    'a tiny budget: still a plan, marked over',
    { request: 'Plan a trip from Seattle to Tokyo, 1–7 April 2027, for 2, budget $300' },
    { status: 'completed', route: 'full_trip', overBudget: true },
  ],
  [
    'a booking that needs approval',
    {
      request:
        'Plan a trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000, and book it',
      contactEmail: 'ada@example.org',
      travellerNames: [
        { firstName: 'Ada', lastName: 'Lovelace' },
        { firstName: 'Charles', lastName: 'Babbage' },
      ],
    },
    { status: 'awaiting_approval' },
  ],
];

describe('varied requests reach the right status', () => {
  it.each(cases)('%s', async (_name, body, expected) => {
    const resource = await run(body);
    expect(resource.status, JSON.stringify(resource.error ?? resource.needsInput ?? {})).toBe(
      expected.status,
    );
    if (expected.route) expect(resource.request.understood?.route).toBe(expected.route);
    if (expected.missing)
      expect(resource.needsInput?.fields.map((f) => f.path).sort()).toEqual([...expected.missing].sort());
    if (expected.budget) expect(resource.error?.details).toMatchObject({ budget: expected.budget });
    if (expected.route === 'out_of_scope') {
      expect(resource.result?.answer).toMatch(/travel planner/);
      expect(resource.budgets.usage.toolCalls).toBe(0);
    }
    if (expected.route === 'single_question') expect(resource.result?.answer).toBeTruthy();
    const itinerary = resource.result?.itinerary;
    if (expected.route === 'full_trip' && resource.status === 'completed') {
      const facts = resource.request.understood!;
      const dates = itinerary!.days.map((d) => d.date);
      expect(dates[0]).toBe(facts.startDate);
      expect(dates.at(-1)).toBe(facts.endDate);
      expect(facts.startDate! > resource.createdAt.slice(0, 10)).toBe(true);
      for (let i = 1; i < dates.length; i++) {
        expect(Date.parse(dates[i]) - Date.parse(dates[i - 1])).toBe(86_400_000);
      }
      // Within the traveller's budget, or marked over it by exactly how much.
      const over = itinerary!.costs.total - facts.budget!.usd;
      if (over > 0) expect(resource.quote?.overBudget?.by.amount).toBeCloseTo(over, 2);
      else expect(resource.quote?.overBudget).toBeUndefined();
      expect(Boolean(resource.quote?.overBudget)).toBe(expected.overBudget ?? false);
      expect(resource.budgets.usage.money).toBeLessThanOrEqual(resource.budgets.limits.money);
    }
  });
});

/** A completed trip as the traveller reads it: the plan's text, day by day. */
const planText = (resource: RunResource) =>
  resource.result!.itinerary!.days.map((d) => `${d.date} ${d.title}: ${d.plan.join(' | ')}`).join('\n');

describe('trips as travellers write them', () => {
  it('two cities in a row: a stay in each, the flights between them, every part quoted', async () => {
    const resource = await run({
      request:
        'From London: Rome then Florence, 4 nights each, leaving 10 March 2027, 2 adults, budget €4,000',
    });
    expect(resource.status, JSON.stringify(resource.error ?? resource.needsInput ?? {})).toBe('completed');
    const itinerary = resource.result!.itinerary!;
    expect(itinerary.stays?.map((s) => [s.place, s.checkIn, s.checkOut])).toEqual([
      ['Rome', '2027-03-10', '2027-03-14'],
      ['Florence', '2027-03-14', '2027-03-18'],
    ]);
    expect(itinerary.journeys?.map((j) => [j.part, j.date])).toEqual([
      ['flights:1', '2027-03-10'],
      ['flights:2', '2027-03-14'],
      ['flights:return', '2027-03-18'],
    ]);
    expect(resource.quote?.items.map((i) => i.part).sort()).toEqual(
      ['flights:1', 'flights:2', 'flights:return', 'hotels:1', 'hotels:2'].sort(),
    );
    expect(itinerary.summary).toMatch(/Rome \(4 nights\) and Florence \(4 nights\)/);
    expect(itinerary.summary).toMatch(/EUR/);
    const text = planText(resource);
    expect(text).toMatch(/2027-03-14 On to Florence: .*Fly to Florence/);
    expect(text).not.toMatch(/2027-03-14[^\n]*Fly home/);
    // The quote's total is the sum of the servers' prices, one per part.
    const sum = resource.quote!.items.reduce((total, i) => total + i.price.amount, 0);
    expect(resource.quote!.total.amount).toBeCloseTo(sum, 2);
  });

  it('a family to a town without an airport, in German: rooms for five, the way over land', async () => {
    const resource = await run({
      request:
        'Familienurlaub von München nach Zermatt, 2 Erwachsene und 3 Kinder (4, 7, 12), 12. bis 19. Juli 2027, Budget 6000 Euro',
    });
    expect(resource.status, JSON.stringify(resource.error ?? resource.needsInput ?? {})).toBe('completed');
    const facts = resource.request.understood!;
    expect(facts.travellers).toBe(5);
    expect(facts.party).toMatchObject({ adults: 2, children: [4, 7, 12] });
    const hotel = resource.quote!.items.find((i) => i.kind === 'hotel')!;
    expect(hotel.offer).toMatchObject({ guests: 5 });
    expect((hotel.offer as { rooms: number }).rooms).toBeGreaterThanOrEqual(2);
    const flight = resource.quote!.items.find((i) => i.kind === 'flight')!;
    expect(flight.offer).toMatchObject({ passengers: 5 });
    expect(resource.result!.itinerary!.summary).toMatch(/Zermatt for 2 adults and 3 children/);
    expect(planText(resource)).toMatch(/By train or road from [A-Z]{3} \(\d+ km, about/);
  });
});
