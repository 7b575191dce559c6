/**
 * MCP keys per server: each tool server checks its own key, and the tool client sends a key only
 * to the server it belongs to. The bookings key (it books) never reaches a read-only server, and
 * the shared MCP_SERVER_KEY is sent only to the app's own mounts (`<MCP_BASE_URL>/<server>`),
 * never to a server configured at a URL of its own. Real servers on loopback behind recording
 * proxies; the client built from settings as the app builds it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { SqliteBookingsStore } from '../../../src/stores/sqlite/bookings-store';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import { createToolClient, loadToolSettings, type ToolClient } from '../../../src/tools';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy';
import { futureDate } from './support/tool-servers';

const FLIGHTS_KEY = 'flights-only-key-0123456789';
const BOOKINGS_KEY = 'bookings-only-key-0123456789';
const SHARED_KEY = 'shared-mounts-key-0123456789';

let bookingsStore: SqliteBookingsStore;
let idempotency: SqliteIdempotencyStore;
const servers: RunningMcpHttpServer[] = [];
let proxies: Record<'flights' | 'bookings' | 'weather', RecordingProxy>;

beforeAll(async () => {
  bookingsStore = SqliteBookingsStore.open(':memory:');
  idempotency = SqliteIdempotencyStore.open(':memory:');
  const [flights, bookings, weather] = await Promise.all([
    startMcpHttpServer({ server: 'flights', key: FLIGHTS_KEY }),
    startMcpHttpServer({ server: 'bookings', key: BOOKINGS_KEY, bookingsStore }),
    // A read-only server hosted by someone else: it needs no key, and must not be sent one.
    startMcpHttpServer({ server: 'weather' }),
  ]);
  servers.push(flights, bookings, weather);
  proxies = {
    flights: await startRecordingProxy(flights.url),
    bookings: await startRecordingProxy(bookings.url),
    weather: await startRecordingProxy(weather.url),
  };
});
afterAll(async () => {
  await Promise.all(Object.values(proxies ?? {}).map((proxy) => proxy.close()));
  await Promise.all(servers.map((server) => server.close()));
  await idempotency?.close();
  await bookingsStore?.close();
});

function clientFrom(env: NodeJS.ProcessEnv): ToolClient {
  return createToolClient(loadToolSettings(env), {
    idempotency,
    allowList: { agent: ['flights.*', 'bookings.*', 'weather.*'] },
  });
}

const keysSeen = (proxy: RecordingProxy) => new Set(proxy.requests.map((r) => r.headers['x-mcp-key']));

describe('MCP keys per server', () => {
  it('sends each server its own key and nothing else; the bookings key only to bookings', async () => {
    const client = clientFrom({
      MCP_SERVER_KEY: SHARED_KEY,
      MCP_FLIGHTS_URL: proxies.flights.url,
      MCP_FLIGHTS_KEY: FLIGHTS_KEY,
      MCP_BOOKINGS_URL: proxies.bookings.url,
      MCP_BOOKINGS_KEY: BOOKINGS_KEY,
      MCP_WEATHER_URL: proxies.weather.url,
    });
    try {
      const search = await client.callTool({
        agent: 'agent',
        tool: 'flights.search_flights',
        arguments: { origin: 'LHR', destination: 'JFK', departDate: futureDate() },
        timeoutMs: 30_000,
      });
      expect(search.ok).toBe(true);
      const forecast = await client.callTool({
        agent: 'agent',
        tool: 'weather.get_forecast',
        arguments: { place: 'Lisbon', startDate: futureDate(), endDate: futureDate(32) },
        timeoutMs: 30_000,
      });
      expect(forecast.ok).toBe(true);
      const list = await client.callTool({ agent: 'agent', tool: 'bookings.list_bookings', arguments: {} });
      expect(list.ok).toBe(true);
    } finally {
      await client.close();
    }
    expect(keysSeen(proxies.flights)).toEqual(new Set([FLIGHTS_KEY]));
    expect(keysSeen(proxies.bookings)).toEqual(new Set([BOOKINGS_KEY]));
    // Its own URL and no key of its own: neither the shared key nor any other is sent.
    expect(keysSeen(proxies.weather)).toEqual(new Set([undefined]));
  });

  it('is refused by a server when it presents another server’s key', async () => {
    const client = clientFrom({
      MCP_BOOKINGS_URL: proxies.bookings.url,
      MCP_BOOKINGS_KEY: FLIGHTS_KEY,
    });
    try {
      const list = await client.callTool({ agent: 'agent', tool: 'bookings.list_bookings', arguments: {} });
      expect(list).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    } finally {
      await client.close();
    }
  });
});
