import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flightOfferById } from '../../../src/mcp-servers/flights/flight-offers';
import { TransientError, ValidationError } from '../../../src/domain/errors';
import { toolCallKey } from '../../../src/domain/idempotency-keys';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { SqliteBookingsStore } from '../../../src/stores/sqlite/bookings-store';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import { createToolClient, loadToolSettings } from '../../../src/tools';
import { ToolClient, type ToolClientOptions } from '../../../src/tools/tool-client';
import type { ToolCallResult } from '../../../src/tools/tool-result';
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy';
import { futureDate, startToolServers, type ToolServers } from './support/tool-servers';

const SERVER_KEY = 'integration-test-key';
const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const ADA = { travellers: [{ firstName: 'Ada', lastName: 'Lovelace' }], contactEmail: 'ada@example.com' };
/** The offer's price, as a booking must state it (`expectedTotal`). */
const pricedAt = (id: string) => ({ expectedTotal: flightOfferById(id).totalPrice });

let bookings: SqliteBookingsStore;
let servers: ToolServers;
let flightsProxy: RecordingProxy;
let bookingsProxy: RecordingProxy;
let offerId: string;

const closers: (() => Promise<void>)[] = [];
function newClient(overrides: Partial<ToolClientOptions> = {}): {
  client: ToolClient;
  idempotency: SqliteIdempotencyStore;
} {
  const idempotency = SqliteIdempotencyStore.open(':memory:');
  const client = new ToolClient({
    servers: { flights: flightsProxy.url, bookings: bookingsProxy.url },
    allowList: {
      planner: ['flights.search_flights', 'flights.get_flight_details', 'flights.book_yacht'],
      booker: ['bookings.*'],
    },
    idempotency,
    // Sized for a busy 2-core machine: a call there can take seconds.
    callTimeoutMs: 15_000,
    pendingStaleAfterMs: 30_000,
    serverKeys: { flights: SERVER_KEY, bookings: SERVER_KEY },
    ...overrides,
  });
  closers.push(
    () => client.close(),
    () => idempotency.close(),
  );
  return { client, idempotency };
}

function expectOk(result: ToolCallResult): Extract<ToolCallResult, { ok: true }> {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return result;
}

function bookingOf(result: ToolCallResult): { bookingId: string; idempotencyKey: string } {
  return (
    expectOk(result).result.structuredContent as { booking: { bookingId: string; idempotencyKey: string } }
  ).booking;
}

beforeAll(async () => {
  bookings = SqliteBookingsStore.open(':memory:');
  servers = await startToolServers({ bookingsStore: bookings, key: SERVER_KEY });
  flightsProxy = await startRecordingProxy(servers.flights.url);
  bookingsProxy = await startRecordingProxy(servers.bookings.url);
  const { client } = newClient();
  const search = await client.callTool({
    agent: 'planner',
    tool: 'flights.search_flights',
    arguments: { origin: 'LHR', destination: 'JFK', departDate: futureDate() },
    // The first search loads the airport data: give it longer than the tests' call timeout.
    timeoutMs: 30_000,
  });
  offerId = (expectOk(search).result.structuredContent as { offers: { offerId: string }[] }).offers[0]
    .offerId;
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

afterAll(async () => {
  await Promise.all([flightsProxy?.close(), bookingsProxy?.close()]);
  await servers?.close();
  await bookings?.close();
});

describe('ToolClient against the real MCP servers', () => {
  it('calls a read tool and returns its structured result', async () => {
    const { client } = newClient();
    const result = expectOk(
      await client.callTool({
        agent: 'planner',
        tool: 'flights.get_flight_details',
        arguments: { offerId },
      }),
    );
    expect(result.replayed).toBe(false);
    expect(result.result.structuredContent).toMatchObject({ offer: { offerId } });
    expect(result.result.content[0]).toMatchObject({ type: 'text' });
  });

  it('sends the server key, the traceparent (header and _meta) and the idempotency key (_meta)', async () => {
    const { client } = newClient();
    const key = toolCallKey(`trip-${randomUUID()}`, 'details');
    expectOk(
      await client.callTool({
        agent: 'planner',
        tool: 'flights.get_flight_details',
        arguments: { offerId },
        idempotencyKey: key,
        traceparent: TRACEPARENT,
      }),
    );

    const sent = flightsProxy.toolCalls().at(-1)!;
    expect(sent.headers['x-mcp-key']).toBe(SERVER_KEY);
    expect(sent.headers.traceparent).toBe(TRACEPARENT);
    expect(sent.params._meta).toMatchObject({ traceparent: TRACEPARENT, idempotencyKey: key });
    // Read tools get no key argument: their schemas do not take one.
    expect(sent.params.arguments).toEqual({ offerId });
  });

  it('books once per key: the call key replaces the model-made one, and a repeat replays without calling', async () => {
    const { client } = newClient();
    const key = toolCallKey(`trip-${randomUUID()}`, 'book-flight');
    const request = {
      agent: 'booker',
      tool: 'bookings.book_flight',
      arguments: { offerId, ...ADA, ...pricedAt(offerId), idempotencyKey: 'made-up-by-the-model' },
      idempotencyKey: key,
    };

    const first = await client.callTool(request);
    const callsAfterFirst = bookingsProxy.toolCalls().length;
    const repeat = await client.callTool(request);

    expect(bookingsProxy.toolCalls().at(-1)!.params.arguments.idempotencyKey).toBe(key);
    expect(bookingOf(first).idempotencyKey).toBe(key);
    expect(expectOk(repeat)).toMatchObject({ replayed: true, result: expectOk(first).result });
    expect(bookingsProxy.toolCalls()).toHaveLength(callsAfterFirst);
    expect((await bookings.findByIdempotencyKey(key))?.bookingId).toBe(bookingOf(first).bookingId);
    expect(await bookings.findByIdempotencyKey('made-up-by-the-model')).toBeUndefined();
  });

  it('returns a key reused with other arguments as idempotency_conflict, without calling', async () => {
    const { client } = newClient();
    const key = toolCallKey(`trip-${randomUUID()}`, 'book-flight');
    expectOk(
      await client.callTool({
        agent: 'booker',
        tool: 'bookings.book_flight',
        arguments: { offerId, ...ADA, ...pricedAt(offerId) },
        idempotencyKey: key,
      }),
    );
    const before = bookingsProxy.toolCalls().length;

    const reused = await client.callTool({
      agent: 'booker',
      tool: 'bookings.book_flight',
      arguments: { offerId, ...ADA, ...pricedAt(offerId), contactEmail: 'someone-else@example.com' },
      idempotencyKey: key,
    });

    expect(reused).toMatchObject({ ok: false, error: { code: 'idempotency_conflict', retryable: false } });
    expect(bookingsProxy.toolCalls()).toHaveLength(before);
  });

  it('refuses a tool outside the agent allow-list before any I/O', async () => {
    const { client } = newClient();
    const before = bookingsProxy.requests.length;

    const refused = await client.callTool({
      agent: 'planner',
      tool: 'bookings.book_flight',
      arguments: { offerId, ...ADA, ...pricedAt(offerId) },
      idempotencyKey: toolCallKey('trip-x', 'sneaky'),
    });

    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'tool_not_allowed', retryable: false, details: { agent: 'planner' } },
    });
    expect(bookingsProxy.requests).toHaveLength(before);
  });

  it('returns unknown servers and write calls without a key before any I/O', async () => {
    const { client } = newClient({ allowList: { any: ['weather.*', 'bookings.*'] } });
    const before = bookingsProxy.requests.length;

    const noServer = await client.callTool({ agent: 'any', tool: 'weather.get_forecast', arguments: {} });
    const noKey = await client.callTool({
      agent: 'any',
      tool: 'bookings.book_flight',
      arguments: { offerId, ...ADA, ...pricedAt(offerId) },
    });

    expect(noServer).toMatchObject({ ok: false, error: { code: 'unknown_server' } });
    expect(noKey).toMatchObject({ ok: false, error: { code: 'idempotency_key_required' } });
    expect(bookingsProxy.requests).toHaveLength(before);
  });

  it('returns schema violations as invalid_arguments and releases the claim for a corrected call', async () => {
    const { client, idempotency } = newClient();
    const key = toolCallKey(`trip-${randomUUID()}`, 'book-flight');

    const invalid = await client.callTool({
      agent: 'booker',
      tool: 'bookings.book_flight',
      arguments: { offerId, travellers: 'Ada' },
      idempotencyKey: key,
    });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_arguments', retryable: false } });
    expect(await idempotency.get(key)).toBeUndefined();

    const corrected = await client.callTool({
      agent: 'booker',
      tool: 'bookings.book_flight',
      arguments: { offerId, ...ADA, ...pricedAt(offerId) },
      idempotencyKey: key,
    });
    expect(bookingOf(corrected).idempotencyKey).toBe(key);
    expect(await idempotency.get(key)).toMatchObject({ status: 'done' });
  });

  it('returns a tool error with the server code, and books nothing', async () => {
    const { client, idempotency } = newClient();
    const key = toolCallKey(`trip-${randomUUID()}`, 'book-flight');

    const failed = await client.callTool({
      agent: 'booker',
      tool: 'bookings.book_flight',
      arguments: { offerId: 'FL-NOT-AN-OFFER', ...ADA, expectedTotal: { amount: 100, currency: 'USD' } },
      idempotencyKey: key,
    });

    expect(failed).toMatchObject({
      ok: false,
      error: { code: 'tool_error', retryable: false, details: { toolError: { code: 'unknown_offer' } } },
    });
    expect(await idempotency.get(key)).toBeUndefined();
    expect(await bookings.findByIdempotencyKey(key)).toBeUndefined();
  });

  it('returns an unknown tool as unknown_tool', async () => {
    const { client } = newClient();
    const result = await client.callTool({ agent: 'planner', tool: 'flights.book_yacht', arguments: {} });
    expect(result).toMatchObject({ ok: false, error: { code: 'unknown_tool', retryable: false } });
  });

  it('returns a wrong server key as unauthorized', async () => {
    const { client } = newClient({ serverKeys: { flights: 'not-the-key', bookings: SERVER_KEY } });
    const result = await client.callTool({
      agent: 'planner',
      tool: 'flights.get_flight_details',
      arguments: { offerId },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'unauthorized', retryable: false } });
  });

  it('is built from environment settings by createToolClient', async () => {
    const idempotency = SqliteIdempotencyStore.open(':memory:');
    const client = createToolClient(
      loadToolSettings({
        MCP_FLIGHTS_URL: flightsProxy.url,
        MCP_FLIGHTS_KEY: SERVER_KEY,
        MCP_BOOKINGS_URL: bookingsProxy.url,
        MCP_BOOKINGS_KEY: SERVER_KEY,
        MCP_CALL_TIMEOUT_MS: '15000',
      }),
      { idempotency, allowList: { booker: ['bookings.book_flight'] } },
    );
    closers.push(
      () => client.close(),
      () => idempotency.close(),
    );
    const key = toolCallKey(`trip-${randomUUID()}`, 'book-flight');

    const booked = await client.callTool({
      agent: 'booker',
      tool: 'bookings.book_flight',
      arguments: { offerId, ...ADA, ...pricedAt(offerId) },
      idempotencyKey: key,
    });

    expect(bookingOf(booked).idempotencyKey).toBe(key);
    expect(bookingsProxy.toolCalls().at(-1)!.headers['x-mcp-key']).toBe(SERVER_KEY);
  });

  it('refuses settings whose idempotency records would not outlive the stale window, naming both', () => {
    const idempotency = SqliteIdempotencyStore.open(':memory:', { defaultTtlSeconds: 60 });
    closers.push(() => idempotency.close());
    const settings = loadToolSettings({ MCP_CALL_TIMEOUT_MS: '15000' }); // 30 s stale window

    const build = () => createToolClient(settings, { idempotency, allowList: {} });

    expect(build).toThrow(ValidationError);
    expect(build).toThrow(/IDEMPOTENCY_TTL_SECONDS .*MCP_PENDING_STALE_MS/);
  });

  it('refuses a call timeout that leaves its claim no margin before it goes stale', () => {
    const idempotency = SqliteIdempotencyStore.open(':memory:');
    closers.push(() => idempotency.close());
    const settings = { ...loadToolSettings({}), callTimeoutMs: 4_000, pendingStaleAfterMs: 5_000 };

    expect(() => createToolClient(settings, { idempotency, allowList: {} })).toThrow(/MCP_PENDING_STALE_MS/);
  });

  it('throws a TransientError when the server cannot be reached', async () => {
    const gone = await startMcpHttpServer({ server: 'flights' });
    await gone.close();
    const { client } = newClient({ servers: { flights: gone.url } });

    await expect(
      client.callTool({ agent: 'planner', tool: 'flights.get_flight_details', arguments: { offerId } }),
    ).rejects.toBeInstanceOf(TransientError);
  });

  describe('with a slow server', () => {
    let slow: RunningMcpHttpServer;
    beforeAll(async () => {
      slow = await startMcpHttpServer({ server: 'flights', faults: { latencyMs: 1_500 } });
    });
    afterAll(async () => {
      await slow?.close();
    });

    it('throws a TransientError when the call outlasts its timeout', async () => {
      const { client } = newClient({ servers: { flights: slow.url } });
      const started = Date.now();

      const call = client.callTool({
        agent: 'planner',
        tool: 'flights.get_flight_details',
        arguments: { offerId },
        timeoutMs: 200,
      });

      await expect(call).rejects.toThrow(TransientError);
      await expect(call).rejects.toThrow(/timed out after 200 ms/);
      expect(Date.now() - started).toBeLessThan(1_200);
    });

    it('throws a TransientError when the caller cancels', async () => {
      const { client } = newClient({ servers: { flights: slow.url } });
      const cancel = new AbortController();
      setTimeout(() => cancel.abort(), 100);

      await expect(
        client.callTool({
          agent: 'planner',
          tool: 'flights.get_flight_details',
          arguments: { offerId },
          signal: cancel.signal,
        }),
      ).rejects.toThrow(/cancelled by the caller/);
    });
  });
});
