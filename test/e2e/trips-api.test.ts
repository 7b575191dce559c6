/**
 * The trips API on the local host, end to end: the real app (dist/), the real DurableClient and
 * the tripPlanner orchestration with the offline model. App Service authentication is simulated
 * (WEBSITE_AUTH_ENABLED=True), so two signed-in users prove that runs are isolated per caller.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local-host/host';
import { runResourceSchema, type RunResource } from '../../src/travel/api/run-resource';
import { repoRoot, startHost, tempDir } from '../support/local-host';
import { signedIn } from '../support/principal';
import { COMPLETE_TRIP, VAGUE_TRIP } from '../support/trip-requests';

const dataDir = tempDir('waypoint-trips-api-');
const reportsKey = 'reports-client-key-0123456789abcdef';
let host: LocalHost;

beforeAll(async () => {
  // The app reads its settings once, when it loads.
  process.env.WEBSITE_AUTH_ENABLED = 'True';
  process.env.STORE_SQLITE_PATH = join(dataDir, 'waypoint.sqlite');
  process.env.WAYPOINT_TRACE_STORE = join(dataDir, 'traces.sqlite');
  process.env.MCP_SERVER_KEY = 'trips-api-e2e-key-0123456789';
  process.env.TRIPS_CLIENT_KEYS = `reports=${createHash('sha256').update(reportsKey).digest('hex')}`;
  host = await startHost({ appDir: repoRoot });
});
afterAll(async () => {
  await host.stop();
});

const ada = signedIn('ada');
const grace = signedIn('grace');

async function call(
  method: string,
  path: string,
  options: {
    user?: Record<string, string>;
    body?: unknown;
    raw?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await host.fetch(path, {
    method,
    headers: { 'content-type': 'application/json', ...(options.user ?? ada), ...options.headers },
    ...(options.raw !== undefined
      ? { body: options.raw }
      : options.body !== undefined
        ? { body: JSON.stringify(options.body) }
        : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

async function waitForStatus(
  id: string,
  statuses: string[],
  user = ada,
  timeoutMs = 60_000,
): Promise<RunResource> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await call('GET', `/api/trips/${id}`, { user });
    expect(status).toBe(200);
    const resource = runResourceSchema.parse(body);
    if (statuses.includes(resource.status)) return resource;
    if (Date.now() > deadline)
      throw new Error(`run ${id} is ${resource.status}, not ${statuses.join('|')} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('POST /api/trips: bad input gets a 4xx with a typed error, never a 5xx', () => {
  it('answers 400 validation_failed with one detail per problem', async () => {
    const { status, body } = await call('POST', '/api/trips', {
      body: { request: '', travellers: 0, extra: true },
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual([
      '$',
      'request',
      'travellers',
    ]);
    expect(JSON.stringify(body)).not.toMatch(/\bat .*\.js/);
  });

  it('answers 400 for bad JSON, 415 for a form, 413 past 64 KiB', async () => {
    expect((await call('POST', '/api/trips', { raw: '{"request": "x",' })).body.error.code).toBe(
      'invalid_json',
    );
    const form = await call('POST', '/api/trips', {
      raw: 'request=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    const huge = await call('POST', '/api/trips', { body: { request: 'x'.repeat(70 * 1024) } });
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('payload_too_large');
  });

  it('answers 400 for a bad Idempotency-Key', async () => {
    const { status, body } = await call('POST', '/api/trips', {
      body: COMPLETE_TRIP,
      headers: { 'idempotency-key': 'k'.repeat(201) },
    });
    expect(status).toBe(400);
    expect(body.error.details[0].path).toBe('Idempotency-Key');
  });

  it('answers 401 without a signed-in user, as App Service auth is on', async () => {
    const response = await host.fetch('/api/trips', { method: 'GET' });
    expect(response.status).toBe(401);
    expect((await response.json()).error.code).toBe('unauthenticated');
  });
});

describe('runs', () => {
  it('starts a run: 202, the run resource and its Location', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const { status, body, headers } = await call('POST', '/api/trips', {
      body: COMPLETE_TRIP,
      headers: { traceparent },
    });
    expect(status).toBe(202);
    const resource = runResourceSchema.parse(body);
    expect(resource.id).toMatch(/^trip-[0-9a-f]{32}$/);
    expect(resource.status).toBe('pending');
    expect(resource.request.fields.destination).toBe('Punta Arenas');
    expect(headers.get('location')).toBe(`${host.url}/api/trips/${resource.id}`);
    // The run gets a trace of its own: a caller's traceparent is linked, never adopted (else a
    // caller could put spans into, and read back, another caller's trace).
    expect(resource.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(resource.traceId).not.toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    const done = await waitForStatus(resource.id, ['completed', 'failed', 'budget_exceeded']);
    expect(done.progress.steps.length).toBeGreaterThan(0);
  });

  it('returns the same run for the same Idempotency-Key, and refuses the key with another body (422)', async () => {
    const headers = { 'idempotency-key': 'ada-order-1' };
    const first = await call('POST', '/api/trips', { body: COMPLETE_TRIP, headers });
    expect(first.status).toBe(202);
    // Key order and omitted optionals do not make it another request.
    const reordered = Object.fromEntries(Object.entries(COMPLETE_TRIP).reverse());
    const again = await call('POST', '/api/trips', { body: reordered, headers });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(first.body.id);

    const other = await call('POST', '/api/trips', { body: { ...COMPLETE_TRIP, travellers: 3 }, headers });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_key_reused');

    // Another caller's same key is another run.
    const graces = await call('POST', '/api/trips', { body: COMPLETE_TRIP, headers, user: grace });
    expect(graces.status).toBe(202);
    expect(graces.body.id).not.toBe(first.body.id);
  });

  it('starts one run for the same key sent twice at once', async () => {
    const headers = { 'idempotency-key': 'ada-double-click' };
    const [a, b] = await Promise.all(
      [1, 2].map(() => call('POST', '/api/trips', { body: COMPLETE_TRIP, headers })),
    );
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.body.id).toBe(b.body.id);
  });

  it('refuses input and approval unless the run waits for them (409)', async () => {
    const { body } = await call('POST', '/api/trips', { body: COMPLETE_TRIP });
    const input = await call('POST', `/api/trips/${body.id}/input`, { body: { travellers: 2 } });
    expect(input.status).toBe(409);
    expect(input.body.error.code).toBe('not_waiting_for_input');
    const approval = await call('POST', `/api/trips/${body.id}/approval`, { body: { approved: true } });
    expect(approval.status).toBe(409);
  });

  it('asks for missing facts, validates the answer, and cancels a waiting run once', async () => {
    const { body } = await call('POST', '/api/trips', { body: VAGUE_TRIP });
    const waiting = await waitForStatus(body.id, ['needs_input', 'failed', 'completed']);
    expect(waiting.status).toBe('needs_input');
    expect(waiting.needsInput?.fields.length).toBeGreaterThan(0);

    const bad = await call('POST', `/api/trips/${body.id}/input`, { body: { startDate: '2027-02-30' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('startDate');
    expect((await call('POST', `/api/trips/${body.id}/input`, { body: {} })).status).toBe(400);

    const cancel = await call('POST', `/api/trips/${body.id}/cancel`, {
      body: { reason: 'changed my mind' },
    });
    expect(cancel.status).toBe(202);
    const cancelled = await waitForStatus(body.id, ['cancelled']);
    expect(cancelled.error).toEqual({ code: 'cancelled', message: 'Cancelled: changed my mind' });
    expect((await call('POST', `/api/trips/${body.id}/cancel`)).status).toBe(409);
  });

  // Regression: DurableClient.terminate puts the reason in its URL unencoded, so `#`, `&` and
  // `%25` in a reason once cut it short, added query parameters or were decoded.
  it('records the cancel reason exactly as sent', async () => {
    const { body } = await call('POST', '/api/trips', { body: VAGUE_TRIP });
    await waitForStatus(body.id, ['needs_input']);
    const reason = 'Plans changed: #2 choice & 100%25 refund';
    expect((await call('POST', `/api/trips/${body.id}/cancel`, { body: { reason } })).status).toBe(202);
    const run = await waitForStatus(body.id, ['cancelled']);
    expect(run.error?.message).toBe(`Cancelled: ${reason}`);
  });
});

describe('answers', () => {
  // The API's answers carry a user's requests, itineraries and quotes: behind App Service auth's
  // cookie sessions neither a browser nor an intermediary may keep them, and an error body that
  // echoes request text must not be sniffed as HTML.
  it('every trips API answer is no-store and nosniff', async () => {
    const answers = [
      await call('GET', '/api/trips'),
      await call('POST', '/api/trips', { body: VAGUE_TRIP }),
      await call('GET', '/api/trips/trip-<b>x</b>'),
      await call('GET', '/api/trips', { user: {} }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 202, 404, 401]);
    for (const answer of answers) {
      expect(answer.headers.get('cache-control') ?? '').toMatch(/no-store/);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
    await call('POST', `/api/trips/${answers[1].body.id}/cancel`);
  });
});

describe('callers', () => {
  it('never shows or lets another caller act on a run: 404, as if it did not exist', async () => {
    const { body } = await call('POST', '/api/trips', { body: VAGUE_TRIP });
    const id = body.id as string;
    const absent = `trip-${'0'.repeat(32)}`;
    for (const [method, path, payload] of [
      ['GET', `/api/trips/${id}`, undefined],
      ['POST', `/api/trips/${id}/input`, { travellers: 2 }],
      ['POST', `/api/trips/${id}/approval`, { approved: true }],
      ['POST', `/api/trips/${id}/cancel`, {}],
    ] as const) {
      const theirs = await call(method, path, { user: grace, body: payload });
      const nobodys = await call(method, path.replace(id, absent), { user: grace, body: payload });
      expect(theirs.status).toBe(404);
      expect(theirs.body.error.code).toBe(nobodys.body.error.code);
    }
    expect((await call('GET', `/api/trips/${id}`)).status).toBe(200);
    await call('POST', `/api/trips/${id}/cancel`);
  });

  it('knows a service client by its key, as its own caller, and refuses an unknown key', async () => {
    const client = { 'x-functions-key': reportsKey };
    const started = await call('POST', '/api/trips', { body: VAGUE_TRIP, user: client });
    expect(started.status).toBe(202);
    expect((await call('GET', `/api/trips/${started.body.id}`, { user: client })).status).toBe(200);
    expect((await call('GET', `/api/trips/${started.body.id}`)).status).toBe(404);
    expect(
      (await call('GET', '/api/trips', { user: client })).body.runs.map((r: RunResource) => r.id),
    ).toEqual([started.body.id]);
    const cancelled = await call('POST', `/api/trips/${started.body.id}/cancel`, { user: client });
    expect(cancelled.status).toBe(202);
    const unknown = await call('GET', '/api/trips', {
      user: { 'x-functions-key': 'not-a-client-key-0123456789' },
    });
    expect(unknown.status).toBe(401);
  });

  it('lists only the caller’s runs, newest first, filtered by status', async () => {
    const mine = await call('GET', '/api/trips?limit=100');
    expect(mine.status).toBe(200);
    const runs = mine.body.runs.map((run: unknown) => runResourceSchema.parse(run));
    expect(runs.length).toBeGreaterThan(3);
    const created = runs.map((run: RunResource) => run.createdAt);
    expect(created).toEqual([...created].sort().reverse());

    const theirs = await call('GET', '/api/trips?limit=100', { user: grace });
    const theirIds = new Set(theirs.body.runs.map((run: RunResource) => run.id));
    expect(runs.some((run: RunResource) => theirIds.has(run.id))).toBe(false);
    expect(theirIds.size).toBe(1);

    const cancelled = await call('GET', '/api/trips?status=cancelled');
    expect(cancelled.body.runs.length).toBeGreaterThan(0);
    expect(cancelled.body.runs.every((run: RunResource) => run.status === 'cancelled')).toBe(true);
    expect((await call('GET', '/api/trips?status=sleeping')).status).toBe(400);
    expect((await call('GET', '/api/trips?limit=2')).body.runs).toHaveLength(2);
  });
});
