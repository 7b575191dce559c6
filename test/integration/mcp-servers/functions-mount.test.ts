import { HttpRequest, InvocationContext, type HttpResponseInit } from '@azure/functions';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { describe, expect, it } from 'vitest';
import { createMcpFunctionHandler, type McpFunctionHandler } from '../../../src/functions/mcp';
import { generateFlightOffers } from '../../../src/mcp-servers/flights/flight-offers';
import type { McpSettings } from '../../../src/mcp-servers/settings';
import { faultOptionsSchema } from '../../../src/mcp-servers/http/faults';
import type { BookingsStore } from '../../../src/stores/types';
import { InMemoryBookingsStore } from '../../fakes/in-memory-bookings-store';
import { callTool, connectClient, dataOf, daysFromNow } from './mcp-test-client';

const KEY = 'functions-key-0123456789';
const APP_URL = 'http://localhost:7071/api/mcp';

/**
 * Routes the MCP client's fetch into the Function handler, as the Functions host would: the URL's
 * last segment is the `{server}` route parameter. No network, no host, the real client and bridge.
 */
function fetchThroughFunction(handler: McpFunctionHandler): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const server = new URL(request.url).pathname.split('/').pop() ?? '';
    const body = request.method === 'GET' ? undefined : { string: await request.text() };
    const response: HttpResponseInit = await handler(
      new HttpRequest({
        method: request.method,
        url: request.url,
        headers: Object.fromEntries(request.headers),
        params: { server },
        ...(body ? { body } : {}),
      }),
      new InvocationContext({ invocationId: 'test-invocation', functionName: 'mcp' }),
    );
    const text =
      response.jsonBody !== undefined
        ? JSON.stringify(response.jsonBody)
        : ((response.body as string | undefined) ?? '');
    const headers = new Headers(response.headers as Record<string, string> | undefined);
    if (response.jsonBody !== undefined) headers.set('content-type', 'application/json');
    return new Response(text === '' ? null : text, { status: response.status ?? 200, headers });
  };
}

function settings(faults: McpSettings['faults'] = {}): McpSettings {
  return {
    keys: { flights: KEY, hotels: KEY, weather: KEY, restaurants: KEY, bookings: KEY },
    faults,
  };
}

describe('MCP servers mounted as an Azure Function (route mcp/{server})', () => {
  it('serves each tool server through the Functions request/response bridge', async () => {
    const handler = createMcpFunctionHandler({
      bookingsStore: async () => new InMemoryBookingsStore(),
      settings: settings(),
    });
    const client = await connectClient(`${APP_URL}/restaurants`, {
      headers: { 'x-mcp-key': KEY },
      fetch: fetchThroughFunction(handler),
    });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toEqual(['search_restaurants']);
    expect(dataOf(await callTool(client, 'search_restaurants', { city: 'Paris' })).city.countryName).toBe(
      'France',
    );
    await client.close();
  });

  it('checks the key and names the servers on an unknown route', async () => {
    const handler = createMcpFunctionHandler({
      bookingsStore: async () => new InMemoryBookingsStore(),
      settings: settings(),
    });
    const fetchFn = fetchThroughFunction(handler);
    await expect(connectClient(`${APP_URL}/flights`, { fetch: fetchFn })).rejects.toSatisfy(
      (error) => error instanceof StreamableHTTPError && error.code === 401,
    );
    const unknown = await fetchFn(`${APP_URL}/trains`, { method: 'POST', body: '{}' });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toMatch(/flights, hotels, weather, restaurants, bookings/);
  });

  it('opens the bookings store lazily, once, and retries a store that failed to open', async () => {
    const store = new InMemoryBookingsStore();
    let attempts = 0;
    const bookingsStore = async (): Promise<BookingsStore> => {
      attempts += 1;
      if (attempts === 1) throw new Error('database is starting');
      return store;
    };
    const handler = createMcpFunctionHandler({ bookingsStore, settings: settings() });
    expect(attempts).toBe(0);
    const fetchFn = fetchThroughFunction(handler);
    await expect(
      connectClient(`${APP_URL}/bookings`, { headers: { 'x-mcp-key': KEY }, fetch: fetchFn }),
    ).rejects.toSatisfy((error) => error instanceof StreamableHTTPError && error.code === 503);
    const client = await connectClient(`${APP_URL}/bookings`, {
      headers: { 'x-mcp-key': KEY },
      fetch: fetchFn,
    });
    expect(dataOf(await callTool(client, 'list_bookings', {})).bookings).toEqual([]);
    dataOf(await callTool(client, 'list_bookings', {}));
    expect(attempts).toBe(2);
    await client.close();
  });

  it('turns drop-after-commit into a 502 after the booking is stored', async () => {
    const store = new InMemoryBookingsStore();
    const handler = createMcpFunctionHandler({
      bookingsStore: async () => store,
      settings: settings({ bookings: faultOptionsSchema.parse({ dropAfterCommitRate: 1, seed: 3 }) }),
    });
    const client = await connectClient(`${APP_URL}/bookings`, {
      headers: { 'x-mcp-key': KEY },
      fetch: fetchThroughFunction(handler),
    });
    const offer = generateFlightOffers({
      origin: 'MAD',
      destination: 'LIS',
      departDate: daysFromNow(20),
      cabin: 'economy',
      passengers: 1,
    })[0];
    await expect(
      callTool(client, 'book_flight', {
        idempotencyKey: 'run-9:step-2',
        offerId: offer.offerId,
        travellers: [{ firstName: 'Grace', lastName: 'Hopper' }],
        contactEmail: 'grace@example.org',
        expectedTotal: offer.totalPrice,
      }),
    ).rejects.toSatisfy((error) => error instanceof StreamableHTTPError && error.code === 502);
    expect((await store.findByIdempotencyKey('run-9:step-2'))?.total).toEqual(offer.totalPrice);
    await client.close();
  });
});
