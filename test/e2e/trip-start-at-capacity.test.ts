/**
 * Starting runs when the host is full: one caller cannot take the whole host (a per-caller cap on
 * unfinished runs stops them first), and a start refused for capacity answers 429 or 503 with
 * Retry-After, never 500. The real app (dist/) on a local host whose durable engine holds at most
 * a few unfinished instances (`limits.maxActiveInstances`, 5,000 by default), so the test reaches
 * the limit in seconds. App Service authentication is simulated (WEBSITE_AUTH_ENABLED=True): ada
 * and grace are two signed-in users.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local-host/host';
import { freePort } from '../support/app-host';
import { repoRoot, startHost, tempDir } from '../support/local-host';
import { signedIn } from '../support/principal';
import { VAGUE_TRIP } from '../support/trip-requests';

/** Unfinished durable instances the host holds at most (trip runs and their agent loops). */
const HOST_ACTIVE_LIMIT = 12;
let host: LocalHost;

beforeAll(async () => {
  const dataDir = tempDir('waypoint-security-quota-');
  const port = await freePort();
  // The app reads its settings once, when it loads.
  Object.assign(process.env, {
    WEBSITE_AUTH_ENABLED: 'True',
    // Below the host's cap, so one caller's own limit stops them first.
    TRIPS_MAX_ACTIVE_RUNS_PER_CALLER: '5',
    MCP_BASE_URL: `http://127.0.0.1:${port}/api/mcp`,
    MCP_SERVER_KEY: 'security-quota-key-0123456789abcdef',
    STORE_SQLITE_PATH: join(dataDir, 'waypoint.sqlite'),
    WAYPOINT_TRACE_STORE: join(dataDir, 'traces.sqlite'),
  });
  host = await startHost({
    appDir: repoRoot,
    port,
    storePath: join(dataDir, 'durable.sqlite'),
    limits: { maxActiveInstances: HOST_ACTIVE_LIMIT },
  });
});
afterAll(async () => {
  await host.stop();
});

const ada = signedIn('ada');
const grace = signedIn('grace');

async function startTrip(
  user: Record<string, string>,
  body: unknown,
): Promise<{ status: number; body: any; headers: Headers }> {
  const response = await host.fetch('/api/trips', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...user },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

describe('starting runs when the host is full', () => {
  // Regression: nothing once counted a caller's unfinished runs, so one signed-in user filled the
  // host with runs waiting for input and every other caller was refused (in Azure, with no
  // host-wide cap, the same loop started unbounded runs, each spending model tokens).
  it("another caller's runs leave room for yours (a per-caller cap answers 429 first)", async () => {
    const answers: number[] = [];
    // Sequential: each run settles into needs_input (its router turn done) before the next.
    for (let i = 0; i < HOST_ACTIVE_LIMIT + 2; i += 1) {
      const { status } = await startTrip(grace, VAGUE_TRIP);
      answers.push(status);
      if (status !== 202) break;
    }
    expect(answers[0]).toBe(202);
    expect(answers.at(-1), `grace's answers: ${answers.join(',')}`).not.toBe(202);
    // Grace was stopped by a limit of her own, so ada can still start a run.
    const adaAnswer = await startTrip(ada, VAGUE_TRIP);
    expect(adaAnswer.status, JSON.stringify(adaAnswer.body)).toBe(202);
  }, 120_000);

  // Regression: the durable engine's refusal (429 too_many_instances) once reached the caller as
  // 500 internal_error: told the server broke, instead of when to try again.
  it('a start refused for capacity answers 429 or 503 with Retry-After, not 500', async () => {
    let answer = await startTrip(grace, VAGUE_TRIP);
    for (let i = 0; answer.status === 202 && i < HOST_ACTIVE_LIMIT + 2; i += 1) {
      answer = await startTrip(grace, VAGUE_TRIP);
    }
    expect(answer.status, JSON.stringify(answer.body)).not.toBe(202);
    expect([429, 503]).toContain(answer.status);
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
  }, 120_000);
});
