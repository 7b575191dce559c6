/**
 * The trips API's DurableClient reaches the local host it runs on without HTTP objects: its
 * requests (start, status, raise event, terminate) are handed to the host as plain objects, so no
 * fetch call, Request or Response is made for them. Everything still answers as before.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppHost, type AppHost } from '../support/app-host';
import { tripsClient, type TripsClient } from '../support/trips-client';

let app: AppHost;
let trips: TripsClient;
beforeAll(async () => {
  app = await startAppHost();
  trips = tripsClient(app);
});
afterAll(async () => {
  await app.host.stop();
});

/** Runs `body` while recording the path of every fetch made in this process. */
async function fetchesDuring<T>(body: () => Promise<T>): Promise<{ result: T; paths: string[] }> {
  const paths: string[] = [];
  const inner = globalThis.fetch;
  globalThis.fetch = ((input: string | URL | Request, init?: RequestInit) => {
    paths.push(new URL(input instanceof Request ? input.url : String(input)).pathname);
    return inner(input, init);
  }) as typeof fetch;
  try {
    return { result: await body(), paths };
  } finally {
    globalThis.fetch = inner;
  }
}

describe("the trips API's DurableClient on the local host", () => {
  it('starts, reads, signals and cancels a run with no fetch of its own', async () => {
    const { result: id, paths } = await fetchesDuring(async () => {
      const runId = await trips.start({ request: 'Plan me a trip somewhere nice' });
      const waiting = await trips.waitFor(runId, ['needs_input']);
      expect(waiting.needsInput?.fields.length).toBeGreaterThan(0);
      const input = await trips.api('POST', `/api/trips/${runId}/input`, { origin: 'Lisbon' });
      expect(input.status, JSON.stringify(input.body)).toBe(202);
      const cancel = await trips.api('POST', `/api/trips/${runId}/cancel`, {});
      expect(cancel.status, JSON.stringify(cancel.body)).toBe(202);
      await trips.waitFor(runId, ['cancelled']);
      return runId;
    });
    expect(id).toMatch(/\S/);
    // The test's own requests are the only ones: none went to the host's durable endpoint.
    expect(paths.filter((path) => !path.startsWith('/api/trips'))).toEqual([]);
  }, 120_000);
});
