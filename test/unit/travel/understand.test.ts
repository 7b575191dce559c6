/**
 * The offline router's reading of requests, in the router's answer shape: a table of what
 * travellers write → the route, the topics and the facts (places as written). `today` is pinned, so relative dates ("next week") are checkable.
 */
import { describe, expect, it } from 'vitest';
import { addDays, understandRequest, type UnderstoodRequest } from '../../../src/travel/understand';

const TODAY = '2026-11-29';
const ALL = ['flights', 'hotels', 'weather', 'restaurants'];

type Row = [
  request: string,
  route: UnderstoodRequest['route'],
  topics: string[],
  facts: UnderstoodRequest['facts'],
];

const table: Row[] = [
  // The README's example: every fact, read from one sentence.
  [
    'Plan a 4-day hiking trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000, and book it',
    'full_trip',
    ALL,
    {
      origin: 'Seattle',
      destination: 'El Calafate',
      destinations: [{ place: 'El Calafate' }],
      startDate: '2027-03-10',
      endDate: '2027-03-14',
      nights: 4,
      party: { adults: 2, children: [], infants: 0 },
      travellers: 2,
      rooms: 1,
      budget: { amount: 5000, currency: 'USD' },
      interests: ['hiking'],
      book: true,
    },
  ],
  // Single questions, one per topic.
  [
    'What is the weather in Lisbon next week?',
    'single_question',
    ['weather'],
    { destination: 'Lisbon', destinations: [{ place: 'Lisbon' }], startDate: '2026-12-06' },
  ],
  [
    'Weather in Reykjavik from 3 to 6 February 2027',
    'single_question',
    ['weather'],
    {
      destination: 'Reykjavik',
      destinations: [{ place: 'Reykjavik' }],
      startDate: '2027-02-03',
      endDate: '2027-02-06',
      nights: 3,
    },
  ],
  [
    'Is it going to rain in Seattle on 2 March 2027?',
    'single_question',
    ['weather'],
    { destination: 'Seattle', destinations: [{ place: 'Seattle' }], startDate: '2027-03-02' },
  ],
  [
    'Find me flights from London to Tokyo on 12 April 2027',
    'single_question',
    ['flights'],
    { origin: 'London', destination: 'Tokyo', destinations: [{ place: 'Tokyo' }], startDate: '2027-04-12' },
  ],
  [
    'How much is a flight from Boston to Miami?',
    'single_question',
    ['flights'],
    { origin: 'Boston', destination: 'Miami', destinations: [{ place: 'Miami' }] },
  ],
  [
    'I need a hotel in Paris from 1 May 2027 to 4 May 2027',
    'single_question',
    ['hotels'],
    {
      destination: 'Paris',
      destinations: [{ place: 'Paris' }],
      startDate: '2027-05-01',
      endDate: '2027-05-04',
      nights: 3,
    },
  ],
  [
    'Any good restaurants in Rome?',
    'single_question',
    ['restaurants'],
    { destination: 'Rome', destinations: [{ place: 'Rome' }] },
  ],
  [
    'Vegetarian food in Berlin?',
    'single_question',
    ['restaurants'],
    {
      destination: 'Berlin',
      destinations: [{ place: 'Berlin' }],
      interests: ['food'],
      dietary: ['vegetarian'],
    },
  ],
  // Out of scope: no facts, a polite reply.
  ['What is the capital of France?', 'out_of_scope', [], {}],
  ['Write me a poem about cats', 'out_of_scope', [], {}],
  // Booking changes.
  ['Please cancel my booking BK-7F3K9Q', 'booking_change', [], { bookingId: 'BK-7F3K9Q' }],
  ['Can I change my hotel reservation to next Friday?', 'booking_change', [], {}],
  // Full trips: currencies by symbol, word, code and "2k"; "a week" is 7 nights; rooms from the party.
  [
    'A week in Barcelona for three people, budget €2000',
    'full_trip',
    ALL,
    {
      destination: 'Barcelona',
      destinations: [{ place: 'Barcelona' }],
      nights: 7,
      party: { adults: 3, children: [], infants: 0 },
      travellers: 3,
      rooms: 2,
      budget: { amount: 2000, currency: 'EUR' },
    },
  ],
  // "Weekend" without dates: two nights, no dates invented.
  [
    'Weekend in Edinburgh for 2 with a budget of £800',
    'full_trip',
    ALL,
    {
      destination: 'Edinburgh',
      destinations: [{ place: 'Edinburgh' }],
      nights: 2,
      party: { adults: 2, children: [], infants: 0 },
      travellers: 2,
      rooms: 1,
      budget: { amount: 800, currency: 'GBP' },
    },
  ],
  [
    'Trip to Lisbon for four, 2k euros',
    'full_trip',
    ALL,
    {
      destination: 'Lisbon',
      destinations: [{ place: 'Lisbon' }],
      party: { adults: 4, children: [], infants: 0 },
      travellers: 4,
      rooms: 2,
      budget: { amount: 2000, currency: 'EUR' },
    },
  ],
  [
    'Plan a trip from Chicago to Denver, 2 adults, budget 1500 dollars',
    'full_trip',
    ALL,
    {
      origin: 'Chicago',
      destination: 'Denver',
      destinations: [{ place: 'Denver' }],
      party: { adults: 2, children: [], infants: 0 },
      travellers: 2,
      rooms: 1,
      budget: { amount: 1500, currency: 'USD' },
    },
  ],
  [
    'Honeymoon in Bali, 10 nights from 2027-06-01, budget USD 6000',
    'full_trip',
    ALL,
    {
      destination: 'Bali',
      destinations: [{ place: 'Bali' }],
      startDate: '2027-06-01',
      endDate: '2027-06-11',
      nights: 10,
      party: { adults: 2, children: [], infants: 0 },
      travellers: 2,
      rooms: 1,
      budget: { amount: 6000, currency: 'USD' },
    },
  ],
  [
    'Plan a trip to Madrid for three from 5 to 9 May 2027 with 4000 CHF',
    'full_trip',
    ALL,
    {
      destination: 'Madrid',
      destinations: [{ place: 'Madrid' }],
      startDate: '2027-05-05',
      endDate: '2027-05-09',
      nights: 4,
      party: { adults: 3, children: [], infants: 0 },
      travellers: 3,
      rooms: 2,
      budget: { amount: 4000, currency: 'CHF' },
    },
  ],
  // "5-day" is four nights.
  [
    'Plan a 5-day trip to Mexico City, budget ¥300000',
    'full_trip',
    ALL,
    {
      destination: 'Mexico City',
      destinations: [{ place: 'Mexico City' }],
      nights: 4,
      budget: { amount: 300_000, currency: 'JPY' },
    },
  ],
  [
    'Solo trip to Lima on 5 January 2027 for 6 days, budget $1200',
    'full_trip',
    ALL,
    {
      destination: 'Lima',
      destinations: [{ place: 'Lima' }],
      startDate: '2027-01-05',
      endDate: '2027-01-10',
      nights: 5,
      party: { adults: 1, children: [], infants: 0 },
      travellers: 1,
      rooms: 1,
      budget: { amount: 1200, currency: 'USD' },
    },
  ],
  // A family of four: two adults and two children of unknown age (an inference the run states).
  [
    'Family of four visiting Orlando from 2027-07-10 to 2027-07-17, budget $7,500',
    'full_trip',
    ALL,
    {
      destination: 'Orlando',
      destinations: [{ place: 'Orlando' }],
      startDate: '2027-07-10',
      endDate: '2027-07-17',
      nights: 7,
      party: { adults: 2, children: [null, null], infants: 0 },
      travellers: 4,
      rooms: 1,
      budget: { amount: 7500, currency: 'USD' },
      interests: ['family'],
    },
  ],
  // A month without days is no date: the run proposes some.
  [
    'Plan a trip to Cape Town for five people in March 2027',
    'full_trip',
    ALL,
    {
      destination: 'Cape Town',
      destinations: [{ place: 'Cape Town' }],
      party: { adults: 5, children: [], infants: 0 },
      travellers: 5,
      rooms: 3,
    },
  ],
  // Durations without dates: the length is kept, no dates are invented.
  [
    'Plan a two-week trip to Sydney',
    'full_trip',
    ALL,
    { destination: 'Sydney', destinations: [{ place: 'Sydney' }], nights: 14 },
  ],
  // Dates as stated, even when validation will refuse them (too long).
  [
    'Plan a trip to Vancouver from 20 December 2026 to 10 February 2027',
    'full_trip',
    ALL,
    {
      destination: 'Vancouver',
      destinations: [{ place: 'Vancouver' }],
      startDate: '2026-12-20',
      endDate: '2027-02-10',
      nights: 52,
    },
  ],
  // An unknown place is not guessed; a vague date is not made certain.
  ['Plan a trip to Narnia next month', 'full_trip', ALL, {}],
  [
    'Book a trip for us: Rome from 1 to 5 June 2027, two people, $4000, please book',
    'full_trip',
    ALL,
    {
      destination: 'Rome',
      destinations: [{ place: 'Rome' }],
      startDate: '2027-06-01',
      endDate: '2027-06-05',
      nights: 4,
      party: { adults: 2, children: [], infants: 0 },
      travellers: 2,
      rooms: 1,
      budget: { amount: 4000, currency: 'USD' },
      book: true,
    },
  ],
];

describe('understandRequest', () => {
  it('has a table of at least 25 requests', () => {
    expect(table.length).toBeGreaterThanOrEqual(25);
  });

  it.each(table)('%s → %s', (request, route, topics, facts) => {
    const understood = understandRequest(request, TODAY);
    expect(understood.route).toBe(route);
    expect(understood.topics).toEqual(topics);
    expect(understood.facts).toEqual(facts);
  });

  it('answers out-of-scope requests politely and with no facts', () => {
    const understood = understandRequest('What is the capital of France?', TODAY);
    expect(understood.reply).toMatch(/travel planner/);
    expect(understood.reply).toMatch(/can't help with that/);
  });

  it('treats "plan" with a booking word as a trip, not a booking change', () => {
    expect(understandRequest('Plan a trip to Rome and change the hotel if needed', TODAY).route).toBe(
      'full_trip',
    );
  });

  it('reads relative dates from the given today, not the clock', () => {
    expect(understandRequest('Weather in Oslo tomorrow', '2027-02-27').facts.startDate).toBe('2027-02-28');
    expect(understandRequest('Weather in Oslo tomorrow', '2028-02-28').facts.startDate).toBe('2028-02-29');
  });
});

describe('addDays', () => {
  it('adds calendar days across months, years and leap days', () => {
    expect(addDays('2027-01-31', 1)).toBe('2027-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2027-03-10', 0)).toBe('2027-03-10');
  });
});
