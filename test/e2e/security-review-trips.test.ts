/**
 * Security review (2026-11-29) of the trips API on the local host: the real app (dist/), the real
 * DurableClient, the offline model. App Service authentication is simulated
 * (WEBSITE_AUTH_ENABLED=True) so two signed-in users, ada and grace, can attack each other.
 *
 * The tests are regression tests: each states the behaviour a flaw the review found had broken,
 * and failed before its fix.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local-host/host';
import { runResourceSchema, type RunResource } from '../../src/travel/api/run-resource';
import { startAppHost } from '../support/app-host';
import { signedIn } from '../support/principal';

let host: LocalHost;

beforeAll(async () => {
  // The app reads its settings once, when it loads.
  host = (await startAppHost({ WEBSITE_AUTH_ENABLED: 'True' })).host;
});
afterAll(async () => {
  await host.stop();
});

const ada = signedIn('ada');
const grace = signedIn('grace');

async function call(
  method: string,
  path: string,
  user: Record<string, string>,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; text: string; headers: Headers }> {
  const response = await host.fetch(path, {
    method,
    headers: { 'content-type': 'application/json', ...user, ...options.headers },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text, headers: response.headers };
}

/** Polls `user`'s run until it is one of `statuses` (generous: two busy cores). */
async function waitFor(
  id: string,
  user: Record<string, string>,
  statuses: readonly string[],
  timeoutMs = 90_000,
): Promise<RunResource> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { status, body } = await call('GET', `/api/trips/${id}`, user);
    expect(status).toBe(200);
    const run = runResourceSchema.parse(body);
    if (statuses.includes(run.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${id} is ${run.status}, expected ${statuses.join('|')}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

/** Every fact given, no booking: the run completes without waiting for anyone. */
const complete = {
  request: 'Weather in Punta Arenas, please',
  origin: 'Buenos Aires',
  destination: 'Punta Arenas',
  startDate: '2027-01-10',
  endDate: '2027-01-13',
  travellers: 2,
  budget: { amount: 3000, currency: 'USD' },
};

describe('security review: GET /api/trips/{id}/trace isolation', () => {
  // Regression (was a flaw, now fixed; high): cross-caller trace read. POST /api/trips honours a client-sent `traceparent`
  // (the local host passes it to the invocation as its trace context; trips.ts `endpoint` parents
  // the request span on it and `traceCarrier` stores that trace id in the run's input). The trace
  // endpoint then reads the tree BY TRACE ID (`readTraceTree(traceId)`), not by the run: grace
  // starts her own run under ada's trace id and reads ada's whole run (her request, agents, tool
  // calls, spans' attributes) through her own run's /trace. The trace id is not a secret: it is
  // shown in the run resource and the UI, and sent as `traceparent` to every downstream service.
  it("another caller cannot read a run's spans by starting a run in its trace", async () => {
    const adaStart = await call('POST', '/api/trips', ada, { body: complete });
    expect(adaStart.status).toBe(202);
    const adaRun = await waitFor(adaStart.body.id as string, ada, ['completed']);
    expect(adaRun.traceId).toMatch(/^[0-9a-f]{32}$/);

    const graceStart = await call('POST', '/api/trips', grace, {
      body: { ...complete, request: 'Weather in Ushuaia, please', destination: 'Ushuaia' },
      headers: { traceparent: `00-${adaRun.traceId}-${'1'.repeat(16)}-01` },
    });
    expect(graceStart.status).toBe(202);
    const graceId = graceStart.body.id as string;
    await waitFor(graceId, grace, ['completed']);
    // Ada's own run stays hers: grace cannot read it directly.
    expect((await call('GET', `/api/trips/${adaRun.id}/trace`, grace)).status).toBe(404);

    const stolen = await call('GET', `/api/trips/${graceId}/trace`, grace);
    expect(stolen.status).toBe(200);
    // Secure: grace's run's trace holds only grace's spans, never ada's run id.
    expect(stolen.text).not.toContain(adaRun.id);
  }, 200_000);
});

/** Lacks the facts to plan: the run asks for them and waits (unfinished). */
const vague = { request: 'Plan me a trip somewhere nice' };

describe('security review: trips API answers', () => {
  // Regression (was a flaw, now fixed; low): the trips API's JSON answers carry a user's requests, itineraries and quotes but
  // neither `Cache-Control: no-store` nor `X-Content-Type-Options: nosniff` (only the web UI's
  // own files get security headers, in ui.ts). Behind App Service auth (cookie sessions) a
  // browser or an intermediary may keep a signed-in user's runs after sign-out; error bodies echo
  // request text (`No run "…" was found.`) without nosniff.
  it('every trips API answer is no-store and nosniff', async () => {
    const answers = [
      await call('GET', '/api/trips', ada),
      await call('POST', '/api/trips', ada, { body: vague }),
      await call('GET', '/api/trips/trip-<b>x</b>', ada),
      await call('GET', '/api/trips', {}),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([200, 202, 404, 401]);
    for (const answer of answers) {
      expect(answer.headers.get('cache-control') ?? '').toMatch(/no-store/);
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });

  // Regression (was a flaw, now fixed; low): the cancel reason reaches the management API unencoded. `cancelTrip` passes the
  // caller's `reason` to DurableClient.terminate, which builds `…/terminate?reason=${reason}`
  // without encoding it (durable-functions 3.x): `#` ends the URL, `&name=value` adds query
  // parameters to the management call, `%` sequences are decoded. The recorded reason is not the
  // one the caller sent.
  it('the cancel reason is recorded exactly as sent', async () => {
    const started = await call('POST', '/api/trips', ada, { body: vague });
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    await waitFor(id, ada, ['needs_input']);
    const reason = 'Plans changed: #2 choice & 100%25 refund';
    const cancelled = await call('POST', `/api/trips/${id}/cancel`, ada, { body: { reason } });
    expect(cancelled.status).toBe(202);
    const run = await waitFor(id, ada, ['cancelled']);
    expect(run.error?.message).toBe(`Cancelled: ${reason}`);
  }, 120_000);
});
