/** Plan invariants over a run resource: each holds on a sound plan and breaks on its own fault. */
import { describe, expect, it } from 'vitest';
import type { RunResource } from '../../../../src/travel/api/run-resource';
import { checkInvariants } from '../../../../src/travel/evaluation/invariants';
import { labelledRequestSchema } from '../../../../src/travel/evaluation/labels';

const line = labelledRequestSchema.parse({
  id: 't-1',
  lang: 'en',
  tags: [],
  request: 'Boston to Orlando, 12-14 April 2027, 2 adults and 3 kids, $6000',
  expect: {
    route: 'full_trip',
    origin: 'Boston, US',
    destinations: ['Orlando, US'],
    startDate: '2027-04-12',
    endDate: '2027-04-14',
    nights: 2,
    party: [2, 3, 0],
    rooms: 2,
    budget: [6000, 'USD'],
  },
});

/** A sound plan for the line; `change` breaks one thing. */
function run(change: (r: Record<string, any>) => void = () => undefined): RunResource {
  const r: Record<string, any> = {
    status: 'completed',
    quote: {
      id: 'q1',
      round: 1,
      items: [
        {
          kind: 'flight',
          offerId: 'f',
          description: '',
          price: { amount: 2500, currency: 'USD' },
          offer: { passengers: 5 },
        },
        {
          kind: 'hotel',
          offerId: 'h',
          description: '',
          price: { amount: 1500, currency: 'USD' },
          offer: { checkIn: '2027-04-12', checkOut: '2027-04-14', guests: 5, rooms: 2 },
        },
      ],
      total: { amount: 4000, currency: 'USD' },
      budget: { amount: 6000, currency: 'USD' },
    },
    result: {
      itinerary: {
        days: ['2027-04-12', '2027-04-13', '2027-04-14'].map((date) => ({ date, title: '', plan: [] })),
      },
    },
  };
  change(r);
  return r as unknown as RunResource;
}

const broken = (r: RunResource) =>
  Object.entries(checkInvariants(line, r))
    .filter(([, v]) => !v.ok)
    .map(([k]) => k);

describe('plan invariants', () => {
  it('all hold on a sound plan', () => {
    expect(broken(run())).toEqual([]);
  });
  it('each breaks on its own fault', () => {
    expect(
      broken(run((r) => r.result.itinerary.days.push({ date: '2027-04-15', title: '', plan: [] }))),
    ).toEqual(['datesInRange']);
    expect(broken(run((r) => (r.quote.items[0].offer.passengers = 2)))).toEqual(['seatsEqualParty']);
    expect(broken(run((r) => (r.quote.items[1].offer.rooms = 1)))).toEqual(['roomsFit']);
    expect(broken(run((r) => (r.quote.total.amount = 7000)))).toEqual(['budgetKeptOrMarked']);
    expect(
      broken(run((r) => (r.result.bookings = [{ item: 'flight', offerId: 'f', status: 'confirmed' }]))),
    ).toEqual(['bookedOnlyWhenApproved']);
  });
  it('checks relative dates ("next weekend") against the dates the run read on its own day', () => {
    const relative = { ...line, tags: ['vague-dates'] };
    const later = run((r) => {
      r.request = { understood: { startDate: '2027-04-19', endDate: '2027-04-21' } };
      r.result.itinerary.days = ['2027-04-19', '2027-04-20', '2027-04-21'].map((date) => ({
        date,
        title: '',
        plan: [],
      }));
      r.quote.items[1].offer.checkIn = '2027-04-19';
      r.quote.items[1].offer.checkOut = '2027-04-21';
    });
    expect(checkInvariants(relative, later).datesInRange.ok).toBe(true);
    expect(checkInvariants(line, later).datesInRange.ok).toBe(false);
  });

  it('accepts a plan over budget that says so, and bookings after an approval', () => {
    const over = run((r) => {
      r.quote.total.amount = 7000;
      r.quote.overBudget = { by: { amount: 1000, currency: 'USD' } };
      r.result.bookings = [{ item: 'flight', offerId: 'f', status: 'confirmed' }];
      r.result.approval = { approved: true };
    });
    expect(broken(over)).toEqual([]);
  });
});
