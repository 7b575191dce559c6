/**
 * The wall-time budget bounds the wait for the traveller's approval: once it runs out the run
 * ends budget_exceeded with nothing booked, and a late approval is refused. The trips API on the
 * local host, the travel offline policies as a scripted model, the real MCP servers over loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedModel, type Script, type ScriptedTurn } from '../../src/models/scripted-model';
import type { ModelRequest } from '../../src/models/types';
import { TRAVEL_OFFLINE_POLICIES } from '../../src/travel/offline/policies';
import { startAppHost, type AppHost } from '../support/app-host';
import { BOOKING_TRIP } from '../support/trip-requests';
import { tripsClient, type TripsClient } from '../support/trips-client';

let app: AppHost;
let trips: TripsClient;

beforeAll(async () => {
  app = await startAppHost({ TRIP_APPROVAL_TIMEOUT_MS: '600000' });
  trips = tripsClient(app);
  const script: Script = Object.fromEntries(
    Object.entries(TRAVEL_OFFLINE_POLICIES).map(([agent, policy]) => [
      agent,
      (request: ModelRequest): ScriptedTurn => policy(request),
    ]),
  );
  app.useModel(new ScriptedModel(script));
});
afterAll(async () => {
  app.useModel(undefined);
  await app.host.stop();
});

describe('budgets while the run waits for the traveller', () => {
  // Regression: the approval wait was once not bounded by what was left of the wall-time budget,
  // and nothing checked a budget between the approval and the bookings, so an approval after the
  // wall time ran out still booked.
  it('books nothing once the wall-time budget runs out while waiting for approval', async () => {
    const wallTimeMs = 15_000;
    const before = await trips.bookings();
    const started = await trips.api('POST', '/api/trips', { ...BOOKING_TRIP, budgets: { wallTimeMs } });
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const waiting = await trips.waitFor(id, ['awaiting_approval'], wallTimeMs);
    expect(waiting.budgets.limits.wallTimeMs).toBe(wallTimeMs);
    // Nobody approves: the wall-time budget ends the wait, and the run.
    const done = await trips.waitFor(id, ['completed', 'budget_exceeded', 'failed'], wallTimeMs + 30_000);
    expect(done.status).toBe('budget_exceeded');
    expect(done.error?.details).toMatchObject({ budget: 'wallTimeMs', limit: wallTimeMs });
    expect(done.budgets.usage.wallTimeMs).toBeGreaterThanOrEqual(wallTimeMs);
    // A late approval changes nothing.
    expect((await trips.api('POST', `/api/trips/${id}/approval`, { approved: true })).status).toBe(409);
    expect(await trips.bookings()).toBe(before);
  }, 150_000);
});
