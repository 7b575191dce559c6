/**
 * The app as deployed: Bicep sets TRIPS_REQUIRE_AUTH=true and neither local development switch
 * (WAYPOINT_SAMPLES, TRIPS_LOCAL_USER). The real app (dist/) on a local host with that
 * configuration and no Azure platform variable at all — the case that used to fail open, when
 * "in Azure" was read from WEBSITE_INSTANCE_ID alone: the sample routes are absent, and a request
 * that names no caller is a 401, while a service client with its key still gets in.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local-host/host';
import { startAppHost } from '../support/app-host';

const CLIENT_KEY = 'azure-mode-client-key-0123456789abcdef';
let host: LocalHost;

beforeAll(async () => {
  host = (
    await startAppHost({
      TRIPS_REQUIRE_AUTH: 'true',
      TRIPS_LOCAL_USER: 'off',
      WAYPOINT_SAMPLES: 'off',
      TRIPS_CLIENT_KEYS: `ops=${createHash('sha256').update(CLIENT_KEY).digest('hex')}`,
    })
  ).host;
});
afterAll(async () => {
  await host?.stop();
});

const json = { 'content-type': 'application/json' };
const trip = JSON.stringify({ request: 'Plan a weekend in Lisbon for two' });

describe('the deployed configuration', () => {
  it('registers no sample: their routes are absent', async () => {
    const names = [...host.app.functions.keys()];
    for (const sample of ['httpStart', 'sampleStatus', 'sampleEvent', 'helloSequence', 'greetingRound'])
      expect(names).not.toContain(sample);
    const start = await host.fetch('/api/orchestrators/helloSequence', { method: 'POST' });
    expect(start.status).toBe(404);
    // The health probe is no sample: it stays.
    expect((await host.fetch('/api/health')).status).toBe(200);
  });

  it('answers 401 to every trips request that names no caller', async () => {
    for (const [path, init] of [
      ['/api/trips', { method: 'POST', headers: json, body: trip }],
      ['/api/trips', {}],
      [`/api/trips/trip-${'0'.repeat(32)}`, {}],
      [
        `/api/trips/trip-${'0'.repeat(32)}/approval`,
        { method: 'POST', headers: json, body: '{"approved":true}' },
      ],
    ] as const) {
      const response = await host.fetch(path, init);
      expect(response.status, `${init.method ?? 'GET'} ${path}`).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });

  it('lets a service client in with its key', async () => {
    const response = await host.fetch('/api/trips', { headers: { 'x-functions-key': CLIENT_KEY } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ runs: [] });
  });
});
