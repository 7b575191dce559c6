import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { flightOfferById } from '../../../src/mcp-servers/flights/flight-offers';
import { IdempotencyInProgressError, TransientError } from '../../../src/domain/errors';
import { toolCallKey } from '../../../src/domain/idempotency-keys';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { CosmosIdempotencyStore } from '../../../src/stores/cosmos/idempotency-store';
import { SqliteBookingsStore } from '../../../src/stores/sqlite/bookings-store';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import type { IdempotencyStore } from '../../../src/stores/types';
import { ToolClient, type ToolCallRequest, type ToolClientOptions } from '../../../src/tools/tool-client';
import type { ToolCallResult } from '../../../src/tools/tool-result';
import { useLocalCosmos } from '../stores/support/fixtures';
import { PATIENT_RETRY_POLICY, retryLikeDurable } from './support/durable-like-retry';
import { startRecordingProxy } from './support/recording-proxy';
import { futureDate } from './support/tool-servers';

const ADA = { travellers: [{ firstName: 'Ada', lastName: 'Lovelace' }], contactEmail: 'ada@example.com' };
/** The offer's price, as a booking must state it (`expectedTotal`); any price for an id that is no offer. */
const pricedAt = (id: string) => ({
  expectedTotal: id.startsWith('FL-NOT') ? { amount: 100, currency: 'USD' } : flightOfferById(id).totalPrice,
});
const CALL_TIMEOUT_MS = 300;
/** The smallest stale window a 300 ms call allows: the timeout plus the 2 s minimum margin. */
const PENDING_STALE_MS = 2_300;

const cosmos = useLocalCosmos();

/** The bookings server's answer inside a successful tool result. */
function bookingOf(result: ToolCallResult): { bookingId: string; idempotencyKey: string } {
  if (!result.ok) throw new Error(`expected success, got ${result.error.code}: ${result.error.message}`);
  return (result.result.structuredContent as { booking: { bookingId: string; idempotencyKey: string } })
    .booking;
}

let bookings: SqliteBookingsStore;
let flights: RunningMcpHttpServer;
let offerId: string;
const closers: (() => Promise<void>)[] = [];

function newClient(
  bookingsUrl: string,
  options: { idempotency?: IdempotencyStore } & Partial<ToolClientOptions> = {},
): ToolClient {
  const idempotency = options.idempotency ?? ownedStore(SqliteIdempotencyStore.open(':memory:'));
  const client = new ToolClient({
    servers: { flights: flights.url, bookings: bookingsUrl },
    allowList: { booker: ['bookings.*'], planner: ['flights.*'] },
    idempotency,
    callTimeoutMs: CALL_TIMEOUT_MS,
    pendingStaleAfterMs: PENDING_STALE_MS,
    ...options,
  });
  closers.push(() => client.close());
  return client;
}

function ownedStore<S extends IdempotencyStore>(store: S): S {
  closers.push(async () => store.close?.());
  return store;
}

async function startBookingsServer(
  faults: Parameters<typeof startMcpHttpServer>[0]['faults'],
): Promise<RunningMcpHttpServer> {
  const server = await startMcpHttpServer({ server: 'bookings', bookingsStore: bookings, faults });
  closers.push(() => server.close());
  return server;
}

const bookFlight = (key: string, offer = offerId): ToolCallRequest => ({
  agent: 'booker',
  tool: 'bookings.book_flight',
  arguments: { offerId: offer, ...ADA, ...pricedAt(offer) },
  idempotencyKey: key,
});

beforeAll(async () => {
  bookings = SqliteBookingsStore.open(':memory:');
  flights = await startMcpHttpServer({ server: 'flights' });
  const search = await newClient('http://127.0.0.1:9/mcp').callTool({
    agent: 'planner',
    tool: 'flights.search_flights',
    arguments: { origin: 'CDG', destination: 'FCO', departDate: futureDate(45) },
    // The first search loads the airport data: give it longer than the fault tests' short timeout.
    timeoutMs: 10_000,
  });
  if (!search.ok) throw new Error(search.error.message);
  offerId = (search.result.structuredContent as { offers: { offerId: string }[] }).offers[0].offerId;
});

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

afterAll(async () => {
  await flights?.close();
  await bookings?.close();
});

describe('ToolClient under injected faults', () => {
  it('books every trip exactly once through 30% transient errors, hangs and lost responses', async () => {
    const faulty = await startBookingsServer({
      transientErrorRate: 0.3,
      timeoutRate: 0.1,
      timeoutMs: 5_000,
      dropAfterCommitRate: 0.3,
      seed: 20_260_301,
    });
    const proxy = await startRecordingProxy(faulty.url);
    closers.push(() => proxy.close());
    const client = newClient(proxy.url);
    const trip = `trip-${randomUUID()}`;
    const keys = Array.from({ length: 16 }, (_, i) => toolCallKey(trip, `book-flight-${i}`));
    const countBefore = await bookings.count();

    // One after another, as the orchestrator's steps would, each with Durable's retry policy.
    const runs = [];
    for (const key of keys) runs.push(await retryLikeDurable(() => client.callTool(bookFlight(key))));

    const thrown = runs.flatMap((run) => run.thrown);
    // Faults were hit and surfaced as retryable throws, never as anything else...
    expect(thrown.length).toBeGreaterThanOrEqual(4);
    expect(new Set(thrown)).toEqual(new Set(['transient']));
    // ...and each call ended in one booking, under its own key, the one the caller was told about.
    expect(await bookings.count()).toBe(countBefore + keys.length);
    for (const [i, key] of keys.entries()) {
      const stored = await bookings.findByIdempotencyKey(key);
      expect(stored?.bookingId).toBe(bookingOf(runs[i].value).bookingId);
    }
    // Every attempt that reached the server (a connect can fail first) carried its call's own key.
    const wireKeys = proxy.toolCalls().map((call) => call.params.arguments.idempotencyKey as string);
    expect(wireKeys.length).toBeGreaterThan(keys.length);
    expect(wireKeys.length).toBeLessThanOrEqual(keys.length + thrown.length);
    expect(new Set(wireKeys)).toEqual(new Set(keys));
    // Lost responses were re-sent under the same key, and the server answered from its store.
    const serverReplays = runs.filter(
      (run) => run.value.ok && (run.value.result.structuredContent as { replayed: boolean }).replayed,
    );
    expect(serverReplays.length).toBeGreaterThanOrEqual(1);
  });

  it('keeps parallel calls on one shared connection independent when some of them fail', async () => {
    const flaky = await startMcpHttpServer({
      server: 'flights',
      faults: { transientErrorRate: 0.3, seed: 7 },
    });
    closers.push(() => flaky.close());
    const client = newClient('http://127.0.0.1:9/mcp', { servers: { flights: flaky.url } });

    const runs = await Promise.all(
      Array.from({ length: 12 }, () =>
        retryLikeDurable(() =>
          client.callTool({ agent: 'planner', tool: 'flights.get_flight_details', arguments: { offerId } }),
        ),
      ),
    );

    expect(runs.every((run) => run.value.ok)).toBe(true);
    const thrown = runs.flatMap((run) => run.thrown);
    expect(thrown.length).toBeGreaterThan(0);
    expect(new Set(thrown)).toEqual(new Set(['transient']));
  });

  it('returns permanent failures at once under faults, retrying only the transient ones before them', async () => {
    const faulty = await startBookingsServer({ transientErrorRate: 0.3, seed: 42 });
    const client = newClient(faulty.url);
    const countBefore = await bookings.count();

    const runs = [];
    for (let i = 0; i < 8; i++) {
      const key = toolCallKey(`trip-${randomUUID()}`, 'book-flight');
      runs.push(await retryLikeDurable(() => client.callTool(bookFlight(key, 'FL-NOT-AN-OFFER'))));
    }

    for (const run of runs) {
      expect(run.value).toMatchObject({ ok: false, error: { code: 'tool_error', retryable: false } });
      expect(run.thrown.every((code) => code === 'transient')).toBe(true);
    }
    expect(runs.some((run) => run.thrown.length > 0)).toBe(true);
    expect(await bookings.count()).toBe(countBefore);
  });

  it.each([
    {
      backend: 'SQLite',
      open: async (): Promise<IdempotencyStore> => SqliteIdempotencyStore.open(':memory:'),
    },
    {
      backend: 'Cosmos DB',
      open: (): Promise<IdempotencyStore> =>
        CosmosIdempotencyStore.create(cosmos().client, {
          databaseId: cosmos().uniqueDatabaseId(),
          containerId: 'idempotency',
        }),
    },
  ])(
    'books once when 20 duplicates of one call race on two workers sharing a $backend idempotency store',
    async ({ open }) => {
      const slowish = await startBookingsServer({ latencyMs: 80 });
      const proxy = await startRecordingProxy(slowish.url);
      closers.push(() => proxy.close());
      const idempotency = ownedStore(await open());
      // Generous timeouts: this test is about racing duplicates, so no attempt may time out on a busy machine.
      const patient = { idempotency, callTimeoutMs: 5_000, pendingStaleAfterMs: 10_000 };
      const workers = [newClient(proxy.url, patient), newClient(proxy.url, patient)];
      const key = toolCallKey(`trip-${randomUUID()}`, 'book-flight');

      const runs = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          // Nineteen callers wait out one booking: a retry budget that a loaded machine cannot exhaust.
          retryLikeDurable(() => workers[i % 2].callTool(bookFlight(key)), PATIENT_RETRY_POLICY),
        ),
      );

      const bookingIds = new Set(runs.map((run) => bookingOf(run.value).bookingId));
      expect(bookingIds.size).toBe(1);
      expect((await bookings.findByIdempotencyKey(key))?.bookingId).toBe([...bookingIds][0]);
      // Only one request reached the server; the others waited (retryable in-progress) and replayed.
      expect(proxy.toolCalls().filter((call) => call.params.arguments.idempotencyKey === key)).toHaveLength(
        1,
      );
      expect(runs.filter((run) => run.value.ok && run.value.replayed)).toHaveLength(19);
      expect(new Set(runs.flatMap((run) => run.thrown))).toEqual(new Set(['idempotency_in_progress']));
    },
    60_000,
  );

  it('lets another worker take over a lost call once its pending claim is stale, and still books once', async () => {
    const dropping = await startBookingsServer({ dropAfterCommitRate: 1 });
    const healthy = await startBookingsServer(undefined);
    // One clock for the store and both workers, moved forward past the stale window below.
    let laterMs = 0;
    const clock = () => new Date(Date.now() + laterMs);
    const idempotency = ownedStore(SqliteIdempotencyStore.open(':memory:', { clock }));
    const workerA = newClient(dropping.url, { idempotency, clock });
    const workerB = newClient(healthy.url, { idempotency, clock });
    const key = toolCallKey(`trip-${randomUUID()}`, 'book-flight');

    // Worker A's booking commits but its response is lost: retryable, and the claim stays pending.
    await expect(workerA.callTool(bookFlight(key))).rejects.toBeInstanceOf(TransientError);
    const committed = await bookings.findByIdempotencyKey(key);
    expect(committed).toBeDefined();
    expect(await idempotency.get(key)).toMatchObject({ status: 'pending' });

    // Worker B cannot tell whether A is still running until the claim is older than any call can be.
    await expect(workerB.callTool(bookFlight(key))).rejects.toBeInstanceOf(IdempotencyInProgressError);
    laterMs = PENDING_STALE_MS + 200;
    const takenOver = await workerB.callTool(bookFlight(key));

    expect(bookingOf(takenOver).bookingId).toBe(committed!.bookingId);
    expect(takenOver).toMatchObject({
      ok: true,
      replayed: false,
      result: { structuredContent: { replayed: true } },
    });
    expect(await idempotency.get(key)).toMatchObject({ status: 'done' });
    // A's own retry now replays the recorded result without reaching its (still dropping) server.
    expect(await workerA.callTool(bookFlight(key))).toMatchObject({ ok: true, replayed: true });
    expect((await bookings.list()).filter((b) => b.idempotencyKey === key)).toHaveLength(1);
  });

  it('ends a side-effecting call by its claim deadline, whatever timeout the request asks for', async () => {
    const slow = await startBookingsServer({ latencyMs: 1_500 });
    const idempotency = ownedStore(SqliteIdempotencyStore.open(':memory:'));
    // This worker's clock runs 200 ms ahead of the one that stamped the claim: the deadline counts
    // from the claim's time, so the call gets 300 - 200 = 100 ms, not the 10 s it asked for.
    const client = newClient(slow.url, { idempotency, clock: () => new Date(Date.now() + 200) });
    const key = toolCallKey(`trip-${randomUUID()}`, 'book-flight');

    const call = client.callTool({ ...bookFlight(key), timeoutMs: 10_000 });

    const error = await call.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransientError);
    const grantedMs = Number(/timed out after (\d+) ms/.exec((error as Error).message)?.[1]);
    expect(grantedMs).toBeGreaterThan(0);
    expect(grantedMs).toBeLessThanOrEqual(100);
    expect(await idempotency.get(key)).toMatchObject({ status: 'pending' });
  });

  it('does not bound reads, which hold no claim, by the stale window', async () => {
    const slowFlights = await startMcpHttpServer({ server: 'flights', faults: { latencyMs: 600 } });
    closers.push(() => slowFlights.close());
    const client = newClient('http://127.0.0.1:9/mcp', { servers: { flights: slowFlights.url } });

    const result = await client.callTool({
      agent: 'planner',
      tool: 'flights.get_flight_details',
      arguments: { offerId },
      timeoutMs: 5_000,
    });

    expect(result.ok).toBe(true);
  });
});

describe('ToolClient when the idempotency store fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'waypoint-tools-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tempFile = () => join(dir, `${randomUUID()}.sqlite`);

  it('returns a store error that retrying cannot fix as a permanent store_error, sending nothing', async () => {
    const path = tempFile();
    SqliteIdempotencyStore.open(path)
      .close()
      .catch(() => undefined); // creates the schema
    // A file the process can read but not write (a read-only mount, wrong permissions): every
    // retry would fail the same way.
    const idempotency = ownedStore(
      new SqliteIdempotencyStore(new Database(path, { readonly: true }), { ownsDatabase: true }),
    );
    const server = await startBookingsServer(undefined);
    const proxy = await startRecordingProxy(server.url);
    closers.push(() => proxy.close());
    const client = newClient(proxy.url, { idempotency });

    const run = await retryLikeDurable(() =>
      client.callTool(bookFlight(toolCallKey(`trip-${randomUUID()}`, 'book-flight'))),
    );

    expect(run.attempts).toBe(1);
    expect(run.value).toMatchObject({
      ok: false,
      error: { code: 'store_error', retryable: false, details: { storeErrorCode: 'SQLITE_READONLY' } },
    });
    expect(proxy.toolCalls()).toHaveLength(0);
  });

  it('still throws a busy store as retryable, and the retry goes through once it is free', async () => {
    const path = tempFile();
    const idempotency = ownedStore(SqliteIdempotencyStore.open(path));
    const locker = new Database(path);
    closers.push(async () => void locker.close());
    const server = await startBookingsServer(undefined);
    const client = newClient(server.url, { idempotency });
    const key = toolCallKey(`trip-${randomUUID()}`, 'book-flight');

    locker.exec('BEGIN IMMEDIATE');
    await expect(client.callTool(bookFlight(key))).rejects.toMatchObject({
      code: 'transient',
      retryable: true,
    });
    locker.exec('ROLLBACK');

    expect(bookingOf(await client.callTool(bookFlight(key))).idempotencyKey).toBe(key);
  });
});
