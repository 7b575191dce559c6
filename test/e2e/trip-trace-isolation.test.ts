/**
 * A run's trace (GET /api/trips/{id}/trace) holds that run's spans only: a caller who starts a
 * run inside another caller's trace (a `traceparent` with their trace id, which is no secret: the
 * run resource and the UI show it) cannot read the other run through their own run's trace. The
 * real app (dist/) on the local host, the real DurableClient, the offline model; App Service
 * authentication is simulated (WEBSITE_AUTH_ENABLED=True), so ada and grace are two signed-in users.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppHost, type AppHost } from '../support/app-host';
import { signedIn } from '../support/principal';
import { tripsClient } from '../support/trips-client';
import { COMPLETE_TRIP } from '../support/trip-requests';

let app: AppHost;

beforeAll(async () => {
  // The app reads its settings once, when it loads.
  app = await startAppHost({ WEBSITE_AUTH_ENABLED: 'True' });
});
afterAll(async () => {
  await app.host.stop();
});

describe('run trace isolation', () => {
  // Regression: the trace endpoint once read the tree by trace id, not by run, so grace could
  // start her run under ada's trace id and read ada's whole run (request, agents, tool calls).
  it("another caller cannot read a run's spans by starting a run in its trace", async () => {
    const ada = tripsClient(app, signedIn('ada'));
    const grace = tripsClient(app, signedIn('grace'));
    const adaRun = await ada.waitFor(await ada.start(COMPLETE_TRIP), ['completed'], 90_000);
    expect(adaRun.traceId).toMatch(/^[0-9a-f]{32}$/);

    const graceStart = await grace.api(
      'POST',
      '/api/trips',
      { ...COMPLETE_TRIP, request: 'Weather in Ushuaia, please', destination: 'Ushuaia' },
      { traceparent: `00-${adaRun.traceId}-${'1'.repeat(16)}-01` },
    );
    expect(graceStart.status).toBe(202);
    const graceId = graceStart.body.id as string;
    await grace.waitFor(graceId, ['completed'], 90_000);
    // Ada's own run stays hers: grace cannot read it directly.
    expect((await grace.api('GET', `/api/trips/${adaRun.id}/trace`)).status).toBe(404);

    const stolen = await grace.api('GET', `/api/trips/${graceId}/trace`);
    expect(stolen.status).toBe(200);
    // Grace's run's trace holds only grace's spans, never ada's run id.
    expect(JSON.stringify(stolen.body)).not.toContain(adaRun.id);
  }, 200_000);
});
