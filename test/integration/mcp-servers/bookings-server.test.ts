import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateFlightOffers } from '../../../src/mcp-servers/flights/flight-offers';
import { generateHotelOffers } from '../../../src/mcp-servers/hotels/hotel-offers';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { resolveCity } from '../../../src/mcp-servers/shared/places';
import { InMemoryBookingsStore } from '../../fakes/in-memory-bookings-store';
import { callTool, connectClient, dataOf, daysFromNow, textOf } from './mcp-test-client';

const flightOffer = generateFlightOffers({
  origin: 'LHR',
  destination: 'JFK',
  departDate: daysFromNow(30),
  returnDate: daysFromNow(37),
  cabin: 'economy',
  passengers: 2,
})[0];
const hotelOffer = generateHotelOffers(resolveCity('New York')!, {
  checkIn: daysFromNow(30),
  checkOut: daysFromNow(37),
  guests: 2,
})[0];
const travellers = [
  { firstName: 'Ada', lastName: 'Lovelace' },
  { firstName: 'Charles', lastName: 'Babbage', dateOfBirth: '1791-12-26' },
];
const flightBooking = (idempotencyKey: string) => ({
  idempotencyKey,
  offerId: flightOffer.offerId,
  travellers,
  contactEmail: 'ada@example.org',
  expectedTotal: flightOffer.totalPrice,
});

describe('bookings server over Streamable HTTP', () => {
  let store: InMemoryBookingsStore;
  let server: RunningMcpHttpServer;
  let client: Client;

  beforeEach(async () => {
    // Storage latency makes concurrent calls overlap inside the store, as they would with a database.
    store = new InMemoryBookingsStore({ latencyMs: 5 });
    server = await startMcpHttpServer({ server: 'bookings', bookingsStore: store });
    client = await connectClient(server.url);
  });
  afterEach(async () => {
    await client?.close();
    await server?.close();
  });

  it('lists the five tools, with a required idempotency key on the booking tools', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'book_flight',
      'book_hotel',
      'cancel_booking',
      'get_booking',
      'list_bookings',
    ]);
    for (const name of ['book_flight', 'book_hotel']) {
      expect(tools.find((tool) => tool.name === name)!.inputSchema.required).toContain('idempotencyKey');
    }
  });

  it('books a flight at the offer price and finds it again', async () => {
    const { booking, replayed } = dataOf(
      await callTool(client, 'book_flight', flightBooking('trip-1:step-1')),
    );
    expect(replayed).toBe(false);
    expect(booking).toMatchObject({
      kind: 'flight',
      status: 'confirmed',
      idempotencyKey: 'trip-1:step-1',
      total: flightOffer.totalPrice,
    });
    expect(booking.details.travellers).toEqual(travellers);
    expect(dataOf(await callTool(client, 'get_booking', { bookingId: booking.bookingId })).booking).toEqual(
      booking,
    );
    expect(await store.findByIdempotencyKey('trip-1:step-1')).toEqual(booking);
  });

  it('books exactly once for 24 concurrent calls with the same key', async () => {
    const results = await Promise.all(
      Array.from({ length: 24 }, () => callTool(client, 'book_flight', flightBooking('trip-2:step-7'))),
    );
    const bookings = results.map((result) => dataOf(result));
    expect(new Set(bookings.map(({ booking }) => booking.bookingId)).size).toBe(1);
    expect(bookings.filter(({ replayed }) => !replayed)).toHaveLength(1);
    expect(await store.count()).toBe(1);
  });

  it('refuses a key reused for a different request', async () => {
    dataOf(await callTool(client, 'book_flight', flightBooking('trip-3:step-1')));
    const reused = await callTool(client, 'book_flight', {
      ...flightBooking('trip-3:step-1'),
      contactEmail: 'someone@example.org',
    });
    expect(reused.isError).toBe(true);
    expect(textOf(reused)).toBe('Idempotency key "trip-3:step-1" was already used for a different request.');
    expect(reused.structuredContent).toMatchObject({
      error: { code: 'idempotency_conflict', retryable: false },
    });
    expect(await store.count()).toBe(1);
  });

  it('rejects bookings that do not fit the offer', async () => {
    const tooFew = await callTool(client, 'book_flight', {
      ...flightBooking('trip-4:step-1'),
      travellers: travellers.slice(0, 1),
    });
    expect(tooFew.isError).toBe(true);
    expect(textOf(tooFew)).toMatch(/offer is for 2 passenger\(s\) but 1 traveller\(s\)/);
    const unknown = await callTool(client, 'book_flight', {
      ...flightBooking('trip-4:step-2'),
      offerId: 'FL-LHR-JFK-20200101-OW-Y2-0',
    });
    expect(unknown.isError).toBe(true);
    const noKey = await callTool(client, 'book_flight', {
      offerId: flightOffer.offerId,
      travellers,
      contactEmail: 'ada@example.org',
      expectedTotal: flightOffer.totalPrice,
    });
    expect(textOf(noKey)).toMatch(/at idempotencyKey/);
    expect(await store.count()).toBe(0);
  });

  it('books only at the approved total: a different expectedTotal books nothing and names the price', async () => {
    const cheaper = { amount: flightOffer.totalPrice.amount - 1, currency: 'USD' };
    const refused = await callTool(client, 'book_flight', {
      ...flightBooking('trip-4:step-3'),
      expectedTotal: cheaper,
    });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({
      error: {
        code: 'price_changed',
        retryable: false,
        details: { offerId: flightOffer.offerId, expected: cheaper, current: flightOffer.totalPrice },
      },
    });
    const otherCurrency = await callTool(client, 'book_flight', {
      ...flightBooking('trip-4:step-4'),
      expectedTotal: { amount: flightOffer.totalPrice.amount, currency: 'EUR' },
    });
    expect(otherCurrency.structuredContent).toMatchObject({ error: { code: 'price_changed' } });
    const missing = await callTool(client, 'book_hotel', {
      idempotencyKey: 'trip-4:step-5',
      offerId: hotelOffer.offerId,
      leadGuest: travellers[0],
      contactEmail: 'ada@example.org',
    });
    expect(textOf(missing)).toMatch(/expectedTotal/);
    expect(await store.count()).toBe(0);
  });

  it('books a hotel once per key, then lists and cancels idempotently', async () => {
    const args = {
      idempotencyKey: 'trip-5:step-2',
      offerId: hotelOffer.offerId,
      leadGuest: travellers[0],
      contactEmail: 'ada@example.org',
      expectedTotal: hotelOffer.totalPrice,
    };
    const first = dataOf(await callTool(client, 'book_hotel', args));
    expect(first.booking).toMatchObject({ kind: 'hotel', total: hotelOffer.totalPrice });
    expect(first.booking.details).toMatchObject({ checkIn: hotelOffer.checkIn, nights: 7, rooms: 1 });
    expect(dataOf(await callTool(client, 'book_hotel', args))).toEqual({
      booking: first.booking,
      replayed: true,
    });
    dataOf(await callTool(client, 'book_flight', flightBooking('trip-5:step-1')));

    expect(dataOf(await callTool(client, 'list_bookings', {})).bookings).toHaveLength(2);
    const hotels = dataOf(await callTool(client, 'list_bookings', { kind: 'hotel' })).bookings;
    expect(hotels.map((booking: any) => booking.bookingId)).toEqual([first.booking.bookingId]);

    const cancelled = dataOf(
      await callTool(client, 'cancel_booking', { bookingId: first.booking.bookingId }),
    );
    expect(cancelled.booking).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
    expect(dataOf(await callTool(client, 'cancel_booking', { bookingId: first.booking.bookingId }))).toEqual(
      cancelled,
    );
    expect(dataOf(await callTool(client, 'list_bookings', { status: 'confirmed' })).bookings).toHaveLength(1);

    const missing = await callTool(client, 'get_booking', { bookingId: 'BK-nope' });
    expect(missing.structuredContent).toMatchObject({ error: { code: 'not_found' } });
  });
});

describe('bookings server replaying after the offer expired', () => {
  it('returns the booking for a retried key once the departure has passed, and refuses new bookings', async () => {
    let now = new Date();
    const store = new InMemoryBookingsStore();
    const server = await startMcpHttpServer({ server: 'bookings', bookingsStore: store, clock: () => now });
    const client = await connectClient(server.url);
    const first = dataOf(await callTool(client, 'book_flight', flightBooking('trip-7:step-1')));

    now = new Date(now.getTime() + 90 * 86_400_000);
    expect(dataOf(await callTool(client, 'book_flight', flightBooking('trip-7:step-1')))).toEqual({
      booking: first.booking,
      replayed: true,
    });
    const late = await callTool(client, 'book_flight', flightBooking('trip-7:step-2'));
    expect(late.isError).toBe(true);
    expect(textOf(late)).toMatch(/is in the past/);
    await client.close();
    await server.close();
  });
});

describe('bookings server losing its response after commit', () => {
  const store = new InMemoryBookingsStore();
  let flaky: RunningMcpHttpServer;
  let healthy: RunningMcpHttpServer;

  beforeAll(async () => {
    // Two instances over one store, as behind a load balancer: the retry may land on either.
    flaky = await startMcpHttpServer({
      server: 'bookings',
      bookingsStore: store,
      faults: { dropAfterCommitRate: 1, seed: 1 },
    });
    healthy = await startMcpHttpServer({ server: 'bookings', bookingsStore: store });
  });
  afterAll(async () => {
    await flaky?.close();
    await healthy?.close();
  });

  it('commits the booking, drops the connection, and a retry with the same key returns that booking', async () => {
    const flakyClient = await connectClient(flaky.url);
    // The server resets the connection once the booking is stored: the caller cannot tell whether it happened.
    await expect(callTool(flakyClient, 'book_flight', flightBooking('trip-6:step-3'))).rejects.toMatchObject({
      cause: { code: 'ECONNRESET' },
    });
    await flakyClient.close();
    expect(await store.count()).toBe(1);
    const committed = await store.findByIdempotencyKey('trip-6:step-3');

    const retryClient = await connectClient(healthy.url);
    const retry = dataOf(await callTool(retryClient, 'book_flight', flightBooking('trip-6:step-3')));
    await retryClient.close();
    expect(retry).toEqual({ booking: committed, replayed: true });
    expect(await store.count()).toBe(1);
  });

  it('does not drop responses of read-only tools or failed writes', async () => {
    const client = await connectClient(flaky.url);
    expect(dataOf(await callTool(client, 'list_bookings', {})).bookings).toHaveLength(1);
    const failed = await callTool(client, 'cancel_booking', { bookingId: 'BK-unknown' });
    expect(failed.isError).toBe(true);
    await client.close();
  });
});
