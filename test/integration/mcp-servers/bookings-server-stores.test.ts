/**
 * The bookings server on the real stores the app uses (SQLite file, Cosmos DB through the local
 * Cosmos-compatible server): concurrent duplicates book once, a reused key is refused.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFlightOffers } from '../../../src/mcp-servers/flights/flight-offers';
import { startMcpHttpServer } from '../../../src/mcp-servers/http/node-http-server';
import { createStores, loadStoreSettings, type Stores } from '../../../src/stores';
import { tempDir } from '../../support/local-host';
import { LOCAL_COSMOS_KEY, startLocalCosmos, type LocalCosmos } from '../stores/support/cosmos-server';
import { callTool, connectClient, dataOf, daysFromNow, textOf } from './mcp-test-client';

let cosmos: LocalCosmos;
beforeAll(async () => {
  cosmos = await startLocalCosmos();
});
afterAll(async () => {
  await cosmos.close();
});

const offer = generateFlightOffers({
  origin: 'EZE',
  destination: 'PUQ',
  departDate: daysFromNow(45),
  cabin: 'economy',
  passengers: 1,
})[0];
const booking = (idempotencyKey: string, contactEmail = 'ada@example.org') => ({
  idempotencyKey,
  offerId: offer.offerId,
  travellers: [{ firstName: 'Ada', lastName: 'Lovelace' }],
  contactEmail,
  expectedTotal: offer.totalPrice,
});

describe.each([
  ['SQLite', () => loadStoreSettings({ STORE_SQLITE_PATH: join(tempDir(), 'waypoint.sqlite') })],
  [
    'Cosmos DB',
    () =>
      loadStoreSettings({
        COSMOS_ENDPOINT: cosmos.endpoint,
        COSMOS_KEY: LOCAL_COSMOS_KEY,
        COSMOS_DATABASE: cosmos.uniqueDatabaseId(),
      }),
  ],
])('bookings server on %s', (_name, settings) => {
  it('books exactly once for 24 concurrent calls with one key, and refuses the key for another request', async () => {
    const stores: Stores = await createStores(settings());
    const server = await startMcpHttpServer({ server: 'bookings', bookingsStore: stores.bookings });
    const client = await connectClient(server.url);
    try {
      const results = await Promise.all(
        Array.from({ length: 24 }, () => callTool(client, 'book_flight', booking('trip-9:step-3'))),
      );
      const outcomes = results.map((result) => dataOf(result));
      expect(new Set(outcomes.map((o) => o.booking.bookingId)).size).toBe(1);
      expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
      expect(await stores.bookings.count()).toBe(1);

      const reused = await callTool(client, 'book_flight', booking('trip-9:step-3', 'grace@example.org'));
      expect(reused.isError).toBe(true);
      expect(textOf(reused)).toMatch(/idempotency/i);
      expect(await stores.bookings.count()).toBe(1);
    } finally {
      await client.close();
      await server.close();
      await stores.close();
    }
  });
});
