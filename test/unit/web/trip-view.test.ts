/**
 * The web UI's pure parts: dates and money as travel sites write them, the trip heading, the
 * specialists' cards, how an ended run reads (and its ways forward), the itinerary model (flight
 * legs in local time, hotel times, costs in the traveller's currency), the calendar file, and the
 * plain-language form checks.
 */
import { describe, expect, it } from 'vitest';
import type { RunResource } from '../../../src/travel/api/run-resource';
import { forecastOf, picksOf } from '../../../web/src/answer-model';
import { clock, dateRange, money } from '../../../web/src/format';
import { escapeText, foldLine, itineraryCalendar, utcStamp } from '../../../web/src/ics';
import { plainIssue } from '../../../web/src/issues';
import { budgetNote, costView, dayViews, flightPlanOf, hotelStayOf } from '../../../web/src/itinerary-model';
import {
  outcomeOf,
  phaseOf,
  requestBodyOf,
  specialistCards,
  suggestedBudget,
  tripHeading,
  withMoreRoom,
} from '../../../web/src/trip';
import { checkPlan, checkTripFields, parseNames } from '../../../web/src/validate';

const segment = (from: string, to: string, departure: string, arrival: string, flightNumber: string) => ({
  flightNumber,
  airline: { code: 'AA', name: 'American Airlines' },
  from,
  to,
  departure,
  arrival,
  durationMinutes: 925,
  aircraft: 'Boeing 787-9',
});

const itinerary = {
  summary: '5 days in El Calafate for 2.',
  days: [
    {
      date: '2027-03-10',
      title: 'Arrive in El Calafate',
      plan: ['Fly in: American Airlines', 'Check in at Corvus Suites', 'An easy evening walk'],
      weather: 'partly cloudy',
      meals: ['Dinner: Lotus Room'],
    },
    { date: '2027-03-11', title: 'Hiking day', plan: ['A full-day hike'] },
    { date: '2027-03-14', title: 'Departure', plan: ['Check out of Corvus Suites', 'Fly home'] },
  ],
  flights: {
    found: true,
    offerId: 'FL-1',
    description: 'American Airlines …',
    totalUsd: 3911.48,
    details: {
      cabin: 'economy',
      passengers: 2,
      outbound: {
        from: 'SEA',
        to: 'FTE',
        stops: 0,
        segments: [segment('SEA', 'FTE', '2027-03-10T08:55:00-08:00', '2027-03-11T05:20:00-03:00', 'AA1466')],
      },
      inbound: {
        from: 'FTE',
        to: 'SEA',
        stops: 0,
        segments: [segment('FTE', 'SEA', '2027-03-14T09:30:00-03:00', '2027-03-14T20:55:00-07:00', 'AA697')],
      },
      fare: { refundable: false, changeFee: { amount: 150, currency: 'USD' }, checkedBags: 1 },
    },
  },
  hotel: {
    found: true,
    name: 'Corvus Suites',
    description: 'Corvus Suites (5★)',
    totalUsd: 1056.25,
    nightlyUsd: 264.06,
    details: {
      hotel: {
        name: 'Corvus Suites',
        stars: 5,
        guestRating: 9.5,
        neighbourhood: 'Old Town',
        city: 'El Calafate',
        checkInFrom: '14:00',
        checkOutUntil: '11:00',
      },
      checkIn: '2027-03-10',
      checkOut: '2027-03-14',
      nights: 4,
      guests: 2,
      rooms: 1,
      roomType: 'Superior double room',
      cancellation: { refundable: true, freeCancellationUntil: '2027-03-08' },
    },
  },
  costs: {
    flights: 3911.48,
    hotel: 1056.25,
    ai: 0.003,
    total: 4967.733,
    budget: 5000,
    remaining: 32.267,
    currency: 'USD' as const,
  },
};

function run(overrides: Partial<RunResource> = {}): RunResource {
  return {
    id: 'trip-0123',
    status: 'running',
    createdAt: '2026-12-06T10:00:00.000Z',
    updatedAt: '2026-12-06T10:00:20.000Z',
    request: {
      text: 'Plan a 4-day hiking trip from Seattle to El Calafate for two, budget £4,000',
      fields: {},
      understood: {
        route: 'full_trip',
        topics: ['flights', 'hotels', 'weather', 'restaurants'],
        origin: { query: 'Seattle', name: 'Seattle', country: 'United States', airport: 'SEA' },
        destination: { query: 'El Calafate', name: 'El Calafate', country: 'Argentina', airport: 'FTE' },
        startDate: '2027-03-10',
        endDate: '2027-03-14',
        travellers: 2,
        budget: { amount: 4000, currency: 'GBP', usd: 5080 },
      },
    },
    progress: { step: 0, steps: [] },
    budgets: {
      limits: { steps: 80, tokens: 200000, wallTimeMs: 7200000, toolCalls: 40, money: 5080 },
      usage: { steps: 0, tokens: 0, wallTimeMs: 0, toolCalls: 0, money: 0, modelCost: 0, externalCost: 0 },
    },
    links: { self: '/s', input: '/i', approval: '/a', cancel: '/c', trace: '/t' },
    ...overrides,
  } as RunResource;
}

const step = (
  name: string,
  kind: string,
  status: string,
  startedAt: string,
  endedAt?: string,
  detail?: string,
) =>
  ({
    id: name,
    name,
    kind,
    status,
    startedAt,
    ...(endedAt ? { endedAt } : {}),
    ...(detail ? { detail } : {}),
  }) as RunResource['progress']['steps'][number];

describe('format', () => {
  it('writes date ranges and money as travel sites do', () => {
    expect(dateRange('2027-03-10', '2027-03-14')).toBe('10–14 Mar 2027');
    expect(dateRange('2027-02-28', '2027-03-03')).toBe('28 Feb – 3 Mar 2027');
    expect(dateRange('2027-12-30', '2028-01-02')).toBe('30 Dec 2027 – 2 Jan 2028');
    expect(dateRange('2027-03-10', undefined)).toBe('10 Mar 2027');
    expect(dateRange('2027-02-30', '2027-03-01')).toBeUndefined();
    expect(money(5000, 'USD')).toBe('$5,000');
    expect(money(4967.73, 'EUR')).toBe('€4,967.73');
    expect(money(10, 'XYZ')).toMatch(/10/);
    expect(clock(65_000)).toBe('1:05');
    expect(clock(3_725_000)).toBe('1:02:05');
  });
});

describe('the trip', () => {
  it('is headed by its route, dates and party', () => {
    expect(tripHeading(run())).toEqual({
      title: 'Seattle → El Calafate',
      subtitle: '10–14 Mar 2027 · 2 travellers',
      documentTitle: 'Seattle → El Calafate',
    });
    const bare = run({ request: { text: 'Somewhere warm please', fields: {} } });
    expect(tripHeading(bare)).toEqual({
      title: 'Somewhere warm please',
      subtitle: '',
      documentTitle: 'Your trip',
    });
  });

  it('shows the dispatched specialists working, and each done once its steps arrive', () => {
    const steps = [
      step(
        'router turn 1',
        'agent',
        'completed',
        '2026-12-06T10:00:00.000Z',
        '2026-12-06T10:00:01.000Z',
        'answered',
      ),
      step(
        'planner turn 1',
        'agent',
        'completed',
        '2026-12-06T10:00:01.000Z',
        '2026-12-06T10:00:02.000Z',
        'answered',
      ),
    ];
    const now = Date.parse('2026-12-06T10:00:07.000Z');
    const working = specialistCards(run({ progress: { step: 2, steps } }), now);
    expect(working.map((c) => [c.agent, c.state, c.elapsedMs])).toEqual([
      ['flights', 'working', 5000],
      ['hotels', 'working', 5000],
      ['weather', 'working', 5000],
      ['restaurants', 'working', 5000],
    ]);
    const weatherDone = [
      ...steps,
      step(
        'weather turn 1',
        'agent',
        'completed',
        '2026-12-06T10:00:02.000Z',
        '2026-12-06T10:00:03.000Z',
        '1 tool call(s)',
      ),
      step(
        'weather.get_forecast',
        'tool',
        'completed',
        '2026-12-06T10:00:03.000Z',
        '2026-12-06T10:00:04.000Z',
      ),
      step(
        'weather turn 2',
        'agent',
        'completed',
        '2026-12-06T10:00:04.000Z',
        '2026-12-06T10:00:04.500Z',
        'answered',
      ),
    ];
    const cards = specialistCards(run({ progress: { step: 5, steps: weatherDone } }), now);
    expect(cards.find((c) => c.agent === 'weather')).toMatchObject({
      state: 'done',
      text: 'Weather checked',
      elapsedMs: 2500,
    });
    expect(
      specialistCards(run({ status: 'cancelled', progress: { step: 2, steps: steps.slice(0, 1) } }), now)[0],
    ).toMatchObject({
      state: 'waiting',
      text: 'Not started',
    });
  });

  it('says what the run is doing from the steps it publishes while agents work', () => {
    const t = (s: number) => `2026-12-06T10:00:${String(s).padStart(2, '0')}.000Z`;
    const before = [
      step('router turn 1', 'agent', 'completed', t(0), t(1), 'answered'),
      step('router', 'route', 'completed', t(1), t(1), 'full_trip'),
      step('check facts', 'validate', 'completed', t(1), t(1)),
    ];
    const at = (steps: ReturnType<typeof step>[], status: RunResource['status'] = 'running') =>
      run({ status, progress: { step: steps.length, steps } });
    expect(phaseOf(at(before.slice(0, 1)))).toBe('Reading your request…');
    const planning = [...before, step('planner turn 1', 'agent', 'running', t(2))];
    expect(phaseOf(at(planning))).toBe('Planning the search…');
    // The specialists, dispatched together, each a running step named for the agent.
    const planned = [...before, step('planner turn 1', 'agent', 'completed', t(2), t(3), 'answered')];
    const dispatched = [
      ...planned,
      ...['flights', 'hotels', 'weather', 'restaurants'].map((a) => step(a, 'agent', 'running', t(3))),
    ];
    expect(phaseOf(at(dispatched))).toBe('Searching flights, hotels, weather and restaurants…');
    const cards = specialistCards(at(dispatched), Date.parse(t(9)));
    expect(cards.map((c) => [c.agent, c.state, c.text, c.elapsedMs])).toEqual([
      ['flights', 'working', 'Searching flights', 6000],
      ['hotels', 'working', 'Finding a hotel', 6000],
      ['weather', 'working', 'Checking the weather', 6000],
      ['restaurants', 'working', 'Picking restaurants', 6000],
    ]);
    // A lone agent at work, its model turn waiting (published by its loop).
    const single = [...before, step('weather turn 1', 'agent', 'running', t(2))];
    expect(phaseOf(at(single))).toBe('Checking the weather…');
    // The reviewer sends one agent back: its revision runs, and its card is working again.
    const found = [
      ...planned,
      step('flights turn 1', 'agent', 'completed', t(3), t(4), '1 tool call(s)'),
      step('flights.search_flights', 'tool', 'completed', t(4), t(5)),
      step('flights turn 2', 'agent', 'completed', t(5), t(6), 'answered'),
      step('supervisor turn 1', 'agent', 'completed', t(6), t(7), 'answered'),
    ];
    expect(phaseOf(at(found.slice(0, -1)))).toBe('Comparing what we found…');
    expect(phaseOf(at([...found.slice(0, -1), step('supervisor turn 1', 'agent', 'running', t(6))]))).toBe(
      'Checking the plan against your wishes…',
    );
    const revising = [...found, step('flights, revision 1', 'agent', 'running', t(7))];
    expect(phaseOf(at(revising))).toBe('Searching flights…');
    const revisingTwo = [...revising, step('hotels, revision 1', 'agent', 'running', t(7))];
    expect(phaseOf(at(revisingTwo))).toBe('Looking again at flights and hotels…');
    const flights = specialistCards(at(revising), Date.parse(t(9)))[0];
    expect(flights).toMatchObject({ state: 'working', text: 'Searching flights, again' });
    const revised = [
      ...found,
      step('flights, revision 1 turn 1', 'agent', 'completed', t(7), t(8), 'answered'),
    ];
    expect(specialistCards(at(revised), Date.parse(t(9)))[0]).toMatchObject({ state: 'done' });
    expect(phaseOf(at([...revised, step('check flight offer', 'tool', 'running', t(8))]))).toBe(
      'Checking the prices…',
    );
    expect(phaseOf(at([...revised, step('itinerary turn 1', 'agent', 'running', t(8))]))).toBe(
      'Writing your day-by-day plan…',
    );
    expect(phaseOf(at(revised, 'needs_input'))).toBe('Waiting for your answer');
  });

  it('reads a rejected quote as Rejected, never Completed, with ways forward', () => {
    const outcome = outcomeOf(
      run({
        status: 'completed',
        result: { itinerary, approval: { approved: false } },
      } as Partial<RunResource>),
    );
    expect(outcome).toMatchObject({ badge: 'Rejected', tone: 'neutral', actions: ['edit', 'retry'] });
    const expired = outcomeOf(
      run({
        status: 'completed',
        result: {
          itinerary,
          approval: { approved: false, note: 'No approval came in time; nothing was booked.' },
        },
      } as Partial<RunResource>),
    );
    expect(expired?.badge).toBe('Expired');
  });

  it('answers a single question in the outcome itself, with the forecast or the picks it was read from', () => {
    const weather = {
      summary: 'Lisbon: highs around 21°C.',
      days: [
        { date: '2027-05-03', highC: 21.4, lowC: 12.6, conditions: 'sunny', precipitationMm: 0 },
        { date: 'soon', highC: 20 },
      ],
      note: 'Climate normals, not a forecast.',
    };
    const answered = outcomeOf(
      run({ status: 'completed', result: { answer: 'Lisbon: highs around 21°C.', data: weather } }),
    );
    expect(answered).toMatchObject({ badge: 'Answered', message: 'Lisbon: highs around 21°C.' });
    expect(forecastOf(weather)).toEqual({
      days: [{ date: '2027-05-03', highC: 21.4, lowC: 12.6, conditions: 'sunny', precipitationMm: 0 }],
      note: 'Climate normals, not a forecast.',
    });
    expect(forecastOf({ summary: 'none', days: [] })).toBeUndefined();
    expect(
      picksOf({
        picks: [
          { name: 'Taberna', cuisine: 'Portuguese', priceLevel: 2, rating: 4.6, neighbourhood: 'Alfama' },
          { cuisine: 'nameless' },
        ],
      }),
    ).toEqual([{ name: 'Taberna', details: 'Portuguese · $$ · 4.6/5 · Alfama' }]);
  });

  it('says a failure in plain words and keeps the technical detail apart', () => {
    const failed = run({
      status: 'failed',
      error: { code: 'run_failed', message: "Activity function 'callTool' failed: connect ECONNREFUSED" },
    });
    const outcome = outcomeOf(failed)!;
    expect(outcome.title).toBe('Something went wrong on our side');
    expect(outcome.message).not.toMatch(/ECONNREFUSED|callTool/);
    expect(outcome.detail).toEqual({
      code: 'run_failed',
      message: "Activity function 'callTool' failed: connect ECONNREFUSED",
    });
    expect(outcome.actions).toEqual(['retry', 'edit']);
    expect(outcomeOf(run())).toBeUndefined();
  });

  it('offers a raised budget when the plan is over the traveller’s budget, more room when a run limit stopped it', () => {
    const overQuote = run({
      status: 'completed',
      quote: {
        id: 'q1',
        round: 1,
        items: [],
        total: { amount: 6350, currency: 'USD' },
        displayTotal: { amount: 5000, currency: 'GBP' },
        overBudget: { by: { amount: 1270, currency: 'USD' }, display: { amount: 1000, currency: 'GBP' } },
      },
      result: { itinerary },
    } as Partial<RunResource>);
    const outcome = outcomeOf(overQuote)!;
    expect(outcome).toMatchObject({ badge: 'Over budget', actions: ['raise-budget', 'edit'] });
    expect(outcome.message).toContain('£5,000, £1,000 more than your budget');
    expect(suggestedBudget(overQuote)).toEqual({ amount: 5500, currency: 'GBP' });
    const money = run({
      status: 'budget_exceeded',
      error: {
        code: 'budget_exceeded',
        message: 'money',
        details: { budget: 'money', limit: 5080, used: 6350 },
      },
    });
    expect(outcomeOf(money)).toMatchObject({ badge: 'Over its limit', actions: ['more-room', 'edit'] });
    expect(withMoreRoom(money).budgets).toEqual({ money: 10160 });
    const steps = run({
      status: 'budget_exceeded',
      error: { code: 'budget_exceeded', message: 'steps', details: { budget: 'steps', limit: 80, used: 81 } },
    });
    expect(outcomeOf(steps)!.actions).toEqual(['more-room', 'edit']);
    expect(withMoreRoom(steps).budgets).toEqual({ steps: 160 });
    expect(requestBodyOf(steps)).toEqual({ request: steps.request.text });
  });
});

describe('the itinerary', () => {
  it('reads flight legs in the airports’ local time and the hotel’s times', () => {
    const flights = flightPlanOf(itinerary.flights)!;
    expect(
      flights.legs.map((l) => [l.direction, l.from, l.to, l.segments[0].departure, l.segments[0].arrival]),
    ).toEqual([
      [
        'outbound',
        'SEA',
        'FTE',
        { date: '2027-03-10', time: '08:55' },
        { date: '2027-03-11', time: '05:20' },
      ],
      ['return', 'FTE', 'SEA', { date: '2027-03-14', time: '09:30' }, { date: '2027-03-14', time: '20:55' }],
    ]);
    expect(flights.fareNotes).toEqual(['Not refundable', 'changes $150', '1 checked bag each']);
    expect(hotelStayOf(itinerary.hotel)).toMatchObject({
      name: 'Corvus Suites',
      checkInFrom: '14:00',
      checkOutUntil: '11:00',
      nights: 4,
    });
    expect(flightPlanOf({ found: false, description: 'none' })).toBeUndefined();
    expect(flightPlanOf('nonsense')).toBeUndefined();
  });

  it('puts timed events first on each day and drops plan lines they restate', () => {
    const days = dayViews(itinerary);
    // The room is theirs from 14:00 on the 10th, but they land on the 11th: check-in follows the
    // flight and says when they land, rather than 14:00 while they are in the air.
    expect(days[0].events.map((e) => [e.time, e.title, e.detail])).toEqual([
      ['08:55', 'Flight SEA → FTE · American Airlines AA1466', 'arrives Thu 11 Mar 05:20 · 15 h 25 min'],
      [undefined, 'Check in at Corvus Suites', 'room from 14:00; you land Thu 11 Mar, 05:20'],
    ]);
    expect(days[0].activities).toEqual(['An easy evening walk']);
    expect(days[1].events.map((e) => e.title)).toEqual(['Land in FTE']);
    // Check-out is a deadline, not an appointment: before a flight that leaves earlier, it comes
    // first and says so, rather than listed at 11:00 after a 09:30 departure.
    expect(days[2].events.map((e) => [e.time, e.title, e.detail])).toEqual([
      [undefined, 'Check out of Corvus Suites', 'before your 09:30 flight'],
      ['09:30', 'Flight FTE → SEA · American Airlines AA697', 'arrives 20:55 · 15 h 25 min'],
    ]);
    expect(days[2].activities).toEqual([]);
  });

  it('gives costs in the traveller’s currency against their budget', () => {
    const pounds = costView(itinerary, { amount: 4000, currency: 'GBP', usd: 5080 });
    expect(pounds.currency).toBe('GBP');
    expect(pounds.total).toBeCloseTo(3911.6, 1);
    expect(pounds.usdTotal).toBe(4967.733);
    expect(budgetNote(pounds)).toBe('£88.40 under budget');
    const dollars = costView(itinerary);
    expect(budgetNote(dollars)).toBe('$32.27 under budget');
    expect(budgetNote(costView({ ...itinerary, costs: { ...itinerary.costs, total: 5100 } }))).toBe(
      '$100 over budget',
    );
  });

  it('exports a calendar file: flights at their UTC times, the stay and the days, escaped and folded', () => {
    const ics = itineraryCalendar(
      'trip-0123',
      itinerary,
      'Seattle → El Calafate',
      '2026-12-06T10:00:00.000Z',
    );
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics).toContain('DTSTART:20270310T165500Z\r\nDTEND:20270311T082000Z');
    expect(ics).toContain('DTSTART;VALUE=DATE:20270310\r\nDTEND;VALUE=DATE:20270314');
    expect(ics).toContain('UID:trip-0123-day-2027-03-14@waypoint');
    expect(ics.split('\r\n').every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
    expect(escapeText('a;b,c\\d\ne')).toBe('a\\;b\\,c\\\\d\\ne');
    expect(foldLine('x'.repeat(80)).split('\r\n ')).toEqual(['x'.repeat(75), 'x'.repeat(5)]);
    expect(utcStamp('nope')).toBeUndefined();
  });
});

describe('the forms', () => {
  const today = '2026-12-06';

  it('checks the plan in plain words: past and reversed dates, party size, currency', () => {
    const checked = checkPlan(
      {
        request: ' ',
        startDate: '2026-12-01',
        endDate: '2026-11-30',
        travellers: '12',
        'budget.amount': 'lots',
        'budget.currency': 'XYZ',
      },
      today,
    );
    expect(checked.problems.map((p) => p.path)).toEqual([
      'request',
      'startDate',
      'endDate',
      'travellers',
      'budget.amount',
      'budget.currency',
    ]);
    expect(checked.problems.map((p) => p.message).join(' ')).not.toMatch(/expected|>=|Too small|\$/);
    const reversed = checkPlan({ request: 'Lisbon', startDate: '2027-05-09', endDate: '2027-05-03' }, today);
    expect(reversed.problems).toEqual([
      { path: 'endDate', message: 'The return date is before the departure date.' },
    ]);
    const good = checkPlan(
      {
        request: 'Lisbon',
        startDate: '2027-05-03',
        endDate: '2027-05-09',
        travellers: '2',
        'budget.amount': '4,000',
        'budget.currency': 'eur',
        book: true,
      },
      today,
    );
    expect(good).toEqual({
      body: {
        request: 'Lisbon',
        startDate: '2027-05-03',
        endDate: '2027-05-09',
        travellers: 2,
        budget: { amount: 4000, currency: 'EUR' },
        book: true,
      },
      problems: [],
    });
  });

  it('asks for every required answer and reads names one per line', () => {
    const missing = checkTripFields({}, today, {
      paths: ['startDate', 'contactEmail'],
      required: ['startDate', 'contactEmail'],
    });
    expect(missing.problems).toEqual([
      { path: 'startDate', message: 'Please enter the day you leave.' },
      { path: 'contactEmail', message: 'Please enter an e-mail address for the booking.' },
    ]);
    expect(parseNames('Ada Lovelace\n Grace  Brewster Hopper \nPlato')).toEqual({
      names: [
        { firstName: 'Ada', lastName: 'Lovelace' },
        { firstName: 'Grace Brewster', lastName: 'Hopper' },
      ],
      bad: ['Plato'],
    });
  });

  it('turns the API’s technical issues into plain words and keeps its own sentences', () => {
    expect(plainIssue('request', 'Too small: expected string to have >=1 characters')).toBe(
      'Please tell us about the trip you have in mind.',
    );
    expect(plainIssue('$', 'give at least one field')).toBe('Give at least one field');
    expect(plainIssue('startDate', 'not a real calendar date')).toBe('Not a real calendar date');
  });
});
