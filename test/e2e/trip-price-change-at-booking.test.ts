/**
 * The last line of defence: a price that changes after the run's own check, between that check and
 * the booking. The flights server here reprices an offer once it has been looked up twice (the
 * quote, then the check before booking), so the booking itself meets the new price: the bookings
 * server refuses it (`price_changed`, nothing booked), the hotel — approved at its price — is
 * booked, and the run asks again for the flight alone, at the server's new price.
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
    MCP_FAULTS_FLIGHTS: JSON.stringify({
      repriceRate: 1,
      repriceFactor: 1.15,
      repriceAfterLookups: 2,
      seed: 1,
    }),
  },
);

describe('a price change the bookings server catches', () => {
  it('books nothing at a price nobody approved, and never more than was approved', async () => {
    const before = await trips.bookings();
    const id = await trips.start(
      bookingOf('Plan a trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000'),
    );
    const first = (await trips.waitFor(id, ['awaiting_approval'])).quote!;
    expect(
      (await trips.api('POST', `/api/trips/${id}/approval`, { approved: true, quoteId: 'q1' })).status,
    ).toBe(202);
    const second = (await trips.waitForQuote(id, 'q2')).quote!;
    const flightBefore = first.items.find((i) => i.kind === 'flight')!;
    expect(second.changes).toEqual([
      {
        offerId: flightBefore.offerId,
        from: flightBefore.price,
        to: { amount: Math.round(flightBefore.price.amount * 1.15 * 100) / 100, currency: 'USD' },
      },
    ]);
    // The hotel was approved at its price and is booked; the flight waits for the new approval.
    expect(second.items.find((i) => i.kind === 'hotel')?.booked).toBe(true);
    expect(second.items.find((i) => i.kind === 'flight')?.booked).toBeUndefined();
    expect(await trips.bookings()).toBe(before + 1);

    expect(
      (await trips.api('POST', `/api/trips/${id}/approval`, { approved: true, quoteId: 'q2' })).status,
    ).toBe(202);
    const done = await trips.waitFor(id, ['completed']);
    const confirmed = done.result!.bookings!.filter((b) => b.status === 'confirmed');
    expect(confirmed.map((b) => b.item).sort()).toEqual(['flight', 'hotel']);
    const booked = await trips.bookedTotals(confirmed.map((b) => b.bookingId!));
    const approvedPrice = (offerId: string) => second.items.find((i) => i.offerId === offerId)!.price.amount;
    confirmed.forEach((b, i) => expect(booked[i].amount).toBe(approvedPrice(b.offerId)));
    expect(booked.reduce((sum, b) => sum + b.amount, 0)).toBeCloseTo(second.total.amount, 2);
    expect(await trips.bookings()).toBe(before + 2);
  });
});
