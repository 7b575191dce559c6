/**
 * A price that changes between the quote and the booking books nothing without a new approval.
 * The hotels server here reprices every offer once it has been looked up by id (fault injection,
 * `repriceAfterLookups: 1`): the quote shows the first price, the look-up right before booking sees
 * the new one, and the run asks again — a new quote, named `q2`, that an approval must name.
 */
import { describe, expect, it } from 'vitest';
import { bookingOf } from '../support/trip-requests';
import { runAppForTests } from '../support/trips-app';
import type { TripsClient } from '../support/trips-client';

let trips: TripsClient;
runAppForTests(
  (_app, client) => {
    trips = client;
  },
  {
    TRIP_APPROVAL_TIMEOUT_MS: '60000',
    MCP_FAULTS_HOTELS: JSON.stringify({
      repriceRate: 1,
      repriceFactor: 1.2,
      repriceAfterLookups: 1,
      seed: 1,
    }),
  },
);

const trip = bookingOf('Plan a trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000');

describe('a price change between quote and booking', () => {
  it('books nothing at the old price, asks again with the new one, and books what was approved', async () => {
    const before = await trips.bookings();
    const id = await trips.start(trip);
    const first = (await trips.waitFor(id, ['awaiting_approval'])).quote!;
    expect(first.id).toBe('q1');
    const hotelAtFirst = first.items.find((i) => i.kind === 'hotel')!.price.amount;

    expect((await trips.api('POST', `/api/trips/${id}/approval`, { approved: true })).status).toBe(202);
    const second = (await trips.waitForQuote(id, 'q2')).quote!;
    expect(second.id).toBe('q2');
    expect(second.changes).toEqual([
      {
        offerId: first.items.find((i) => i.kind === 'hotel')!.offerId,
        from: { amount: hotelAtFirst, currency: 'USD' },
        to: { amount: Math.round(hotelAtFirst * 1.2 * 100) / 100, currency: 'USD' },
      },
    ]);
    expect(second.total.amount).toBeGreaterThan(first.total.amount);
    expect(await trips.bookings()).toBe(before);

    // Approving without naming the new quote, or naming the old one, is refused: 409.
    for (const body of [{ approved: true }, { approved: true, quoteId: 'q1' }]) {
      const answer = await trips.api('POST', `/api/trips/${id}/approval`, body);
      expect(answer.status).toBe(409);
      expect(answer.body.error.code).toBe('quote_changed');
    }
    expect(
      (await trips.api('POST', `/api/trips/${id}/approval`, { approved: true, quoteId: 'q2' })).status,
    ).toBe(202);
    const done = await trips.waitFor(id, ['completed']);
    const booked = await trips.bookedTotals(done.result!.bookings!.map((b) => b.bookingId!));
    expect(booked.map((b) => b.amount)).toEqual(second.items.map((i) => i.price.amount));
    expect(booked.reduce((sum, b) => sum + b.amount, 0)).toBeCloseTo(second.total.amount, 2);
    expect(await trips.bookings()).toBe(before + 2);
    expect(done.result?.itinerary?.costs.total).toBe(second.total.amount);
  });
});
