import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdempotencyConflictError } from '../../../src/domain/errors';
import { CosmosBookingsStore } from '../../../src/stores/cosmos/bookings-store';
import { documentIdFor } from '../../../src/stores/cosmos/document-ids';
import type { Booking } from '../../../src/stores/types';
import { useLocalCosmos } from './support/fixtures';

const cosmos = useLocalCosmos();

/** What the contract suite cannot see: the bookings' documents and their ids. */
describe('CosmosBookingsStore documents', () => {
  it('refuses a key whose hashed document id holds another key’s booking instead of returning it', async () => {
    const databaseId = cosmos().uniqueDatabaseId();
    const store = await CosmosBookingsStore.create(cosmos().client, { databaseId, containerId: 'bookings' });
    const container = cosmos().client.database(databaseId).container('bookings');
    const key = `client/key?#\\${'x'.repeat(300)}`;
    const booking: Booking = {
      bookingId: randomUUID(),
      kind: 'flight',
      status: 'confirmed',
      idempotencyKey: key,
      requestHash: 'hash-flight-1',
      details: { offerId: 'LH1234-2026-05-02' },
      total: { amount: 312.4, currency: 'EUR' },
      createdAt: '2026-03-01T09:00:00.000Z',
    };
    // A SHA-256 collision cannot be produced, so plant the document another key would have made.
    const id = documentIdFor('', key);
    await container.items.create({
      ...booking,
      id,
      idempotencyKey: 'some/other?key',
      bookingId: randomUUID(),
    });

    await expect(store.createOnce(booking)).rejects.toBeInstanceOf(IdempotencyConflictError);
    expect(await store.findByIdempotencyKey(key)).toBeUndefined();
  });

  it('a literal key equal to another key’s hashed id cannot block that key’s booking', async () => {
    const databaseId = cosmos().uniqueDatabaseId();
    const store = await CosmosBookingsStore.create(cosmos().client, { databaseId, containerId: 'bookings' });
    const victimKey = 'trip/42?step#4';
    const booking = (idempotencyKey: string): Booking => ({
      bookingId: randomUUID(),
      kind: 'flight',
      status: 'confirmed',
      idempotencyKey,
      requestHash: `hash-${idempotencyKey}`,
      details: { offerId: 'LH1234-2026-05-02' },
      total: { amount: 312.4, currency: 'EUR' },
      createdAt: '2026-03-01T09:00:00.000Z',
    });
    // The squatter books first, with the victim's hashed id as its literal key.
    await store.createOnce(booking(documentIdFor('', victimKey)));
    const victim = booking(victimKey);
    await expect(store.createOnce(victim)).resolves.toMatchObject({
      created: true,
      booking: { bookingId: victim.bookingId },
    });
    expect((await store.findByIdempotencyKey(victimKey))?.bookingId).toBe(victim.bookingId);
  });
});
