/**
 * The Waypoint app as `npm start` serves it: the five MCP servers mounted at /api/mcp/{server} by
 * the local host, reached with the real MCP client, the server key enforced, and bookings written
 * once to the app's embedded SQLite store even when the same call is repeated.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local-host/host';
import { SqliteBookingsStore } from '../../src/stores';
import { callTool, connectClient, dataOf, daysFromNow } from '../integration/mcp-servers/mcp-test-client';
import { repoRoot, startHost, tempDir } from '../support/local-host';

const serverKey = 'e2e-server-key-0123456789';
const storePath = join(tempDir('waypoint-mcp-e2e-'), 'waypoint.sqlite');
let host: LocalHost;

beforeAll(async () => {
  // The app reads its settings once, when it loads.
  process.env.MCP_SERVER_KEY = serverKey;
  process.env.STORE_SQLITE_PATH = storePath;
  host = await startHost({ appDir: repoRoot });
});
afterAll(async () => {
  await host.stop();
});

const connect = (server: string, key: string | undefined = serverKey) =>
  connectClient(`${host.url}/api/mcp/${server}`, { headers: key ? { 'x-mcp-key': key } : {} });

describe('MCP servers mounted by the app', () => {
  it.each([
    ['flights', 'search_flights'],
    ['hotels', 'search_hotels'],
    ['weather', 'get_forecast'],
    ['restaurants', 'search_restaurants'],
    ['bookings', 'book_flight'],
  ])('%s lists its tools, %s among them', async (server, tool) => {
    const client = await connect(server);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toContain(tool);
    await client.close();
  });

  it('answers searches with plausible data', async () => {
    const weather = await connect('weather');
    const forecast = dataOf(
      await callTool(weather, 'get_forecast', {
        place: 'Punta Arenas',
        startDate: daysFromNow(30),
        endDate: daysFromNow(33),
      }),
    );
    expect(JSON.stringify(forecast)).toMatch(/Punta Arenas/);
    await weather.close();
  });

  it('books once for a repeated call with the same idempotency key, in the app store', async () => {
    const flights = await connect('flights');
    const search = dataOf(
      await callTool(flights, 'search_flights', {
        origin: 'EZE',
        destination: 'Punta Arenas',
        departDate: daysFromNow(60),
        passengers: 2,
      }),
    );
    const offer = search.offers[0];
    await flights.close();

    const bookings = await connect('bookings');
    const booking = {
      idempotencyKey: 'trip-e2e:book-flight',
      offerId: offer.offerId,
      travellers: [
        { firstName: 'Ada', lastName: 'Lovelace' },
        { firstName: 'Grace', lastName: 'Hopper' },
      ],
      contactEmail: 'ada@example.org',
      expectedTotal: offer.totalPrice,
    };
    const results = await Promise.all([1, 2, 3].map(() => callTool(bookings, 'book_flight', booking)));
    const outcomes = results.map((r) => dataOf(r));
    expect(new Set(outcomes.map((o) => o.booking.bookingId)).size).toBe(1);
    expect(outcomes.filter((o) => !o.replayed)).toHaveLength(1);
    await bookings.close();

    const store = SqliteBookingsStore.open(storePath);
    try {
      const saved = await store.findByIdempotencyKey('trip-e2e:book-flight');
      expect(saved?.total).toEqual(offer.totalPrice);
      expect(await store.count()).toBe(1);
    } finally {
      await store.close?.();
    }
  });

  it('refuses callers without the server key', async () => {
    await expect(connect('flights', 'wrong-key-wrong-key-00')).rejects.toThrow(/401|Unauthorized|key/i);
  });
});
