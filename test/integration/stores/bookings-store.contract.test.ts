import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { IdempotencyConflictError } from '../../../src/domain/errors';
import { CosmosBookingsStore } from '../../../src/stores/cosmos/bookings-store';
import { SqliteBookingsStore } from '../../../src/stores/sqlite/bookings-store';
import type { Booking, BookingsStore } from '../../../src/stores/types';
import { useLocalCosmos, useTempDir } from './support/fixtures';

const cosmos = useLocalCosmos();
const temp = useTempDir();

interface Backend {
  name: string;
  open: () => Promise<BookingsStore>;
}

const backends: Backend[] = [
  { name: 'sqlite :memory:', open: async () => SqliteBookingsStore.open(':memory:') },
  { name: 'sqlite file', open: async () => SqliteBookingsStore.open(temp.file()) },
  {
    name: 'cosmos',
    open: () =>
      CosmosBookingsStore.create(cosmos().client, {
        databaseId: cosmos().uniqueDatabaseId(),
        containerId: 'bookings',
      }),
  },
];

/** What the bookings server would write for one request: a fresh random booking id every time. */
function flightBooking(overrides: Partial<Booking> = {}): Booking {
  return {
    bookingId: randomUUID(),
    kind: 'flight',
    status: 'confirmed',
    idempotencyKey: 'trip-7:book-flight',
    requestHash: 'hash-flight-1',
    details: { offerId: 'LH1234-2026-05-02', travellers: ['Ada Lovelace'], cabin: 'economy' },
    total: { amount: 312.4, currency: 'EUR' },
    createdAt: '2026-03-01T09:00:00.000Z',
    ...overrides,
  };
}

describe.each(backends)('BookingsStore contract ($name)', ({ open }) => {
  let store: BookingsStore;

  afterEach(async () => {
    await store?.close?.();
  });

  it('creates a booking and finds it by id and by idempotency key', async () => {
    store = await open();
    const booking = flightBooking();

    const result = await store.createOnce(booking);

    expect(result).toEqual({ created: true, booking });
    expect(await store.get(booking.bookingId)).toEqual(booking);
    expect(await store.findByIdempotencyKey(booking.idempotencyKey)).toEqual(booking);
    expect(await store.count()).toBe(1);
  });

  it('returns the first booking when the same request is repeated with the same key', async () => {
    store = await open();
    const first = flightBooking();
    await store.createOnce(first);

    const repeat = await store.createOnce(flightBooking({ createdAt: '2026-03-01T09:05:00.000Z' }));

    expect(repeat).toEqual({ created: false, booking: first });
    expect(await store.count()).toBe(1);
  });

  it('rejects a key reused for a different request and writes nothing', async () => {
    store = await open();
    await store.createOnce(flightBooking());

    await expect(
      store.createOnce(
        flightBooking({ requestHash: 'hash-flight-2', total: { amount: 999, currency: 'EUR' } }),
      ),
    ).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(await store.count()).toBe(1);
    expect((await store.findByIdempotencyKey('trip-7:book-flight'))?.total.amount).toBe(312.4);
  });

  // A race on Cosmos; on SQLite the calls run one after another (better-sqlite3 is synchronous), so
  // there it checks the outcome, not the locking: sqlite-multithread-race.test.ts races threads.
  it('books exactly once when 24 callers ask with one key, and all get the same booking id', async () => {
    store = await open();
    const results = await Promise.all(Array.from({ length: 24 }, () => store.createOnce(flightBooking())));

    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.booking.bookingId)).size).toBe(1);
    expect(await store.count()).toBe(1);
  });

  it('keeps bookings with different keys apart', async () => {
    store = await open();
    const flight = flightBooking();
    const hotel = flightBooking({
      kind: 'hotel',
      idempotencyKey: 'trip-7:book-hotel',
      requestHash: 'hash-hotel-1',
      details: { hotelId: 'h-42', nights: 3 },
    });

    await store.createOnce(flight);
    await store.createOnce(hotel);

    expect(await store.count()).toBe(2);
    expect(await store.findByIdempotencyKey('trip-7:book-hotel')).toEqual(hotel);
  });

  it('cancels a booking once and keeps the first cancellation time on repeats', async () => {
    store = await open();
    const booking = flightBooking();
    await store.createOnce(booking);

    const cancelled = await store.cancel(booking.bookingId, '2026-03-02T10:00:00.000Z');
    const again = await store.cancel(booking.bookingId, '2026-03-03T11:00:00.000Z');

    expect(cancelled).toEqual({ ...booking, status: 'cancelled', cancelledAt: '2026-03-02T10:00:00.000Z' });
    expect(again).toEqual(cancelled);
    expect(await store.get(booking.bookingId)).toEqual(cancelled);
  });

  it('answers undefined for unknown bookings and keys', async () => {
    store = await open();
    expect(await store.get(randomUUID())).toBeUndefined();
    expect(await store.findByIdempotencyKey('nobody')).toBeUndefined();
    expect(await store.cancel(randomUUID(), '2026-03-02T10:00:00.000Z')).toBeUndefined();
    expect(await store.count()).toBe(0);
  });

  it('lists newest first, filtered by kind and status, up to a limit', async () => {
    store = await open();
    const at = (minute: number) => `2026-03-01T09:${String(minute).padStart(2, '0')}:00.000Z`;
    const bookings = [
      flightBooking({ idempotencyKey: 'f1', createdAt: at(1) }),
      flightBooking({ idempotencyKey: 'h1', kind: 'hotel', createdAt: at(2) }),
      flightBooking({ idempotencyKey: 'f2', createdAt: at(3) }),
      flightBooking({ idempotencyKey: 'h2', kind: 'hotel', createdAt: at(4) }),
    ];
    for (const booking of bookings) await store.createOnce(booking);
    await store.cancel(bookings[2].bookingId, at(10));

    const keys = (list: Booking[]) => list.map((b) => b.idempotencyKey);
    expect(keys(await store.list())).toEqual(['h2', 'f2', 'h1', 'f1']);
    expect(keys(await store.list({ kind: 'flight' }))).toEqual(['f2', 'f1']);
    expect(keys(await store.list({ status: 'cancelled' }))).toEqual(['f2']);
    expect(keys(await store.list({ kind: 'flight', status: 'confirmed' }))).toEqual(['f1']);
    expect(keys(await store.list({ limit: 2 }))).toEqual(['h2', 'f2']);
    expect(await store.list({ limit: 0 })).toEqual([]);
    await expect(store.list({ limit: -1 })).rejects.toBeInstanceOf(RangeError);
  });

  it('accepts idempotency keys with characters that are not valid document ids', async () => {
    store = await open();
    const booking = flightBooking({ idempotencyKey: `client/key?#\\${'x'.repeat(300)}` });

    await store.createOnce(booking);

    expect(await store.findByIdempotencyKey(booking.idempotencyKey)).toEqual(booking);
    expect((await store.createOnce(flightBooking({ idempotencyKey: booking.idempotencyKey }))).created).toBe(
      false,
    );
  });
});

// Four connections on one thread still take turns; the real race is in sqlite-multithread-race.test.ts.
describe('SqliteBookingsStore on one file shared by several connections', () => {
  it('books exactly once when callers on four connections use one key', async () => {
    const path = temp.file();
    const stores = Array.from({ length: 4 }, () => SqliteBookingsStore.open(path));
    try {
      const results = await Promise.all(
        Array.from({ length: 24 }, (_, i) => stores[i % stores.length].createOnce(flightBooking())),
      );

      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.booking.bookingId)).size).toBe(1);
      for (const store of stores) expect(await store.count()).toBe(1);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });
});
