import { describe, expect, it } from 'vitest';
import type { TripFacts } from '../../../src/travel/schemas';
import {
  checkFacts,
  daysBetween,
  MAX_TRIP_DAYS,
  needsFor,
  questionFor,
} from '../../../src/travel/validate-facts';

const TODAY = '2026-11-29';
const seattle = { query: 'Seattle', name: 'Seattle', country: 'US', airport: 'SEA' };
const calafate = { query: 'El Calafate', name: 'El Calafate', country: 'AR', airport: 'FTE' };
const full: TripFacts = {
  origin: seattle,
  destination: calafate,
  startDate: '2027-03-10',
  endDate: '2027-03-14',
  travellers: 2,
  budget: { amount: 5000, currency: 'USD', usd: 5000 },
};
const paths = (facts: TripFacts, needs = needsFor('full_trip', [], false)) =>
  checkFacts(facts, needs, TODAY).map((i) => i.path);

describe('needsFor', () => {
  it('needs everything for a full trip, and contact details only to book', () => {
    expect(needsFor('full_trip', [], false)).toEqual({
      origin: true,
      destination: true,
      dates: true,
      endDate: true,
      travellers: true,
      budget: true,
      contact: false,
    });
    expect(needsFor('full_trip', [], true).contact).toBe(true);
  });

  it.each([
    ['flights', { origin: true, destination: true, dates: true, endDate: false }],
    ['hotels', { origin: false, destination: true, dates: true, endDate: true }],
    ['weather', { origin: false, destination: true, dates: true, endDate: true }],
    ['restaurants', { origin: false, destination: true, dates: false, endDate: false }],
  ] as const)('a single %s question needs only what that tool needs', (topic, expected) => {
    expect(needsFor('single_question', [topic], true)).toEqual({
      ...expected,
      travellers: false,
      budget: false,
      contact: false,
    });
  });
});

describe('checkFacts', () => {
  it('accepts a complete full trip', () => {
    expect(paths(full)).toEqual([]);
  });

  it('lists every missing field of a full trip, with a question-like issue each', () => {
    const issues = checkFacts({}, needsFor('full_trip', [], false), TODAY);
    expect(issues).toEqual([
      { path: 'origin', issue: 'where are you travelling from?' },
      { path: 'destination', issue: 'where do you want to go?' },
      { path: 'startDate', issue: 'when does the trip start?' },
      { path: 'travellers', issue: 'how many people are travelling?' },
      { path: 'budget', issue: 'what is your budget (amount and currency)?' },
    ]);
  });

  it('asks for the end date once the start is known', () => {
    expect(paths({ ...full, endDate: undefined })).toEqual(['endDate']);
  });

  it('per route: a restaurants question needs only a destination, a flights question an origin and a date', () => {
    expect(paths({}, needsFor('single_question', ['restaurants'], false))).toEqual(['destination']);
    expect(paths({ destination: calafate }, needsFor('single_question', ['flights'], false))).toEqual([
      'origin',
      'startDate',
    ]);
  });

  it('refuses a start date today or in the past', () => {
    const issues = checkFacts(
      { ...full, startDate: TODAY, endDate: '2026-12-02' },
      needsFor('full_trip', [], false),
      TODAY,
    );
    expect(issues).toEqual([{ path: 'startDate', issue: `the start date must be after today (${TODAY})` }]);
    expect(paths({ ...full, startDate: '2025-03-10', endDate: '2025-03-14' })).toEqual(['startDate']);
    expect(paths({ ...full, startDate: '2026-11-30', endDate: '2026-12-01' })).toEqual([]);
  });

  it('refuses an end before the start', () => {
    const issues = checkFacts({ ...full, endDate: '2027-03-09' }, needsFor('full_trip', [], false), TODAY);
    expect(issues).toEqual([{ path: 'endDate', issue: 'the end date is before the start date' }]);
  });

  it(`refuses a trip longer than ${MAX_TRIP_DAYS} days, and accepts exactly ${MAX_TRIP_DAYS}`, () => {
    expect(paths({ ...full, startDate: '2027-03-01', endDate: '2027-03-30' })).toEqual([]);
    const issues = checkFacts(
      { ...full, startDate: '2027-03-01', endDate: '2027-03-31' },
      needsFor('full_trip', [], false),
      TODAY,
    );
    expect(issues).toEqual([
      { path: 'endDate', issue: `trips are planned for at most ${MAX_TRIP_DAYS} days` },
    ]);
  });

  it('asks what the reading raised (an unknown place, by name) once, in place of its own question', () => {
    const narnia = {
      path: 'destination',
      issue: '"Narnia" is not a place we know; give a city, town or airport code',
    };
    const issues = checkFacts({ ...full, destination: undefined }, needsFor('full_trip', [], false), TODAY, [
      narnia,
    ]);
    expect(issues).toEqual([narnia]);
  });

  it('asks a group over nine (one flight booking) how many the plan should cover', () => {
    expect(paths({ ...full, travellers: 12 })).toEqual(['travellers']);
    expect(paths({ ...full, travellers: 9 })).toEqual([]);
  });

  it('refuses a destination that is the origin', () => {
    expect(paths({ ...full, destination: { ...seattle, query: 'SEA' } })).toEqual(['destination']);
  });

  describe('booking contact rules', () => {
    const booking = needsFor('full_trip', [], true);
    const ada = { firstName: 'Ada', lastName: 'Lovelace' };
    const grace = { firstName: 'Grace', lastName: 'Hopper' };

    it('asks for an email and the names when booking', () => {
      expect(paths(full, booking)).toEqual(['contactEmail', 'travellerNames']);
    });

    it('wants one name per traveller', () => {
      const issues = checkFacts(
        { ...full, contactEmail: 'ada@example.com', travellerNames: [ada] },
        booking,
        TODAY,
      );
      expect(issues).toEqual([
        { path: 'travellerNames', issue: 'give 2 name(s), one per traveller (got 1)' },
      ]);
    });

    it('accepts an email and one name per traveller', () => {
      expect(
        paths({ ...full, contactEmail: 'ada@example.com', travellerNames: [ada, grace] }, booking),
      ).toEqual([]);
    });
  });
});

describe('questionFor', () => {
  it('asks one question for one field', () => {
    expect(questionFor([{ path: 'budget', issue: 'x' }])).toBe(
      'To go on I need your budget. Could you tell me?',
    );
  });

  it('asks one question for several fields, each named once, joined with "and"', () => {
    const issues = checkFacts({}, needsFor('full_trip', [], false), TODAY);
    expect(questionFor([...issues, { path: 'origin', issue: 'again' }])).toBe(
      'To go on I need where you are travelling from, where you want to go, the start date, ' +
        'how many people are travelling and your budget. Could you tell me?',
    );
  });

  it('falls back to the path for a field it has no label for', () => {
    expect(questionFor([{ path: 'passport', issue: 'x' }])).toBe(
      'To go on I need passport. Could you tell me?',
    );
  });
});

describe('daysBetween', () => {
  it('counts calendar days, across DST changes and leap days', () => {
    expect(daysBetween('2027-03-10', '2027-03-14')).toBe(4);
    expect(daysBetween('2027-03-13', '2027-03-15')).toBe(2);
    expect(daysBetween('2028-02-28', '2028-03-01')).toBe(2);
    expect(daysBetween('2027-03-14', '2027-03-10')).toBe(-4);
  });
});
