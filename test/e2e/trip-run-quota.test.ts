/**
 * The per-caller bound on unfinished runs (TRIPS_MAX_ACTIVE_RUNS_PER_CALLER) under concurrent
 * starts, on the real app (dist/) and the local host. It used to be a check (list every
 * unfinished instance with its input, count the caller's) and then a start: sixty starts at once
 * all passed the check before any run existed, and 21 got through a limit of 20. Each run waits
 * for input (a vague request), so it stays unfinished. App Service authentication is simulated
 * (WEBSITE_AUTH_ENABLED=True): each test has a signed-in user of its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local-host/host';
import { startAppHost } from '../support/app-host';
import { signedIn } from '../support/principal';
import { waitUntil } from '../support/wait-until';

const LIMIT = 20;
let host: LocalHost;

beforeAll(async () => {
  host = (
    await startAppHost({
      WEBSITE_AUTH_ENABLED: 'True',
      TRIPS_MAX_ACTIVE_RUNS_PER_CALLER: String(LIMIT),
    })
  ).host;
  // Warm the app up first: its first run loads the gazetteer and the stores, which on a busy
  // machine blocks the host long enough to time out requests in flight; the burst is what is tested.
  const warm = await start(signedIn('warm-up'));
  expect(warm.status).toBe(202);
  await waitUntil('the warm-up run to ask for input', async () => {
    const run = await host.fetch(`/api/trips/${warm.body.id}`, { headers: signedIn('warm-up') });
    return ((await run.json()) as { status: string }).status === 'needs_input';
  });
}, 180_000);
afterAll(async () => {
  await host?.stop();
});

const vague = JSON.stringify({ request: 'Plan me a trip somewhere nice' });

async function start(
  user: Record<string, string>,
): Promise<{ status: number; body: any; retryAfter: string | null }> {
  const response = await host.fetch('/api/trips', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...user },
    body: vague,
  });
  return {
    status: response.status,
    body: await response.json(),
    retryAfter: response.headers.get('retry-after'),
  };
}

async function startMany(user: Record<string, string>, count: number) {
  return Promise.all(Array.from({ length: count }, () => start(user)));
}

describe('the per-caller bound on unfinished runs', () => {
  it('admits exactly the limit when 60 starts arrive at once, and 429s the rest', async () => {
    const ada = signedIn('ada-quota');
    const answers = await startMany(ada, 60);
    const admitted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(admitted).toHaveLength(LIMIT);
    expect(refused).toHaveLength(60 - LIMIT);
    for (const answer of refused) {
      expect(answer.body.error.code).toBe('too_many_runs');
      expect(answer.retryAfter).toMatch(/^\d+$/);
    }
    // Another caller is not held back by ada's runs.
    expect((await start(signedIn('grace-quota'))).status).toBe(202);
  }, 180_000);

  it('frees a slot when the caller cancels a run', async () => {
    const linus = signedIn('linus-quota');
    const runs = (await startMany(linus, LIMIT)).map((answer) => answer.body.id as string);
    expect((await start(linus)).status).toBe(429);
    const cancel = await host.fetch(`/api/trips/${runs[0]}/cancel`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...linus },
      body: '{}',
    });
    expect(cancel.status).toBe(202);
    expect((await start(linus)).status).toBe(202);
    expect((await start(linus)).status).toBe(429);
  }, 180_000);

  it('frees the slot of a run that ended without the trips API seeing it (terminated elsewhere)', async () => {
    const margaret = signedIn('margaret-quota');
    const runs = (await startMany(margaret, LIMIT)).map((answer) => answer.body.id as string);
    expect((await start(margaret)).status).toBe(429);
    // An operator terminates a run through the Durable management API, not the trips API.
    const terminate = await fetch(
      `${host.url}/runtime/webhooks/durabletask/instances/${runs[2]}/terminate?reason=ops&code=${host.keys.systemKey}`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
    );
    expect(terminate.status).toBe(202);
    await host.waitForInstance(runs[2], { statuses: ['Terminated'] });
    // The refused start above may have seen the run still going: status lookups are shared for a
    // moment (see run-quota.ts), so the slot is freed by a start within seconds, not at once.
    await waitUntil(
      'a start admitted in the terminated run’s slot',
      async () => (await start(margaret)).status === 202,
      {
        timeoutMs: 30_000,
        intervalMs: 500,
      },
    );
    expect((await start(margaret)).status).toBe(429);
  }, 180_000);
});
