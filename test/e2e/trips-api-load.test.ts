/**
 * The trips API under bursts and during a graceful stop, on the local host with the real app:
 * no 500 from load. The app's own calls to the host (DurableClient, MCP mounts) are served
 * in-process, so clients cannot starve them of connections; overload answers 429/503 with
 * Retry-After; a graceful stop finishes what is in flight and answers new requests with 503.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { AppHost } from '../support/app-host';
import { runAppForTests } from '../support/trips-app';
import type { ApiAnswer, TripsClient } from '../support/trips-client';
import { waitUntil } from '../support/wait-until';
import { COMPLETE_TRIP, VAGUE_TRIP } from '../support/trip-requests';

let app: AppHost;
let trips: TripsClient;
runAppForTests((started, client) => {
  app = started;
  trips = client;
});

const times = <T>(n: number, make: (i: number) => Promise<T>): Promise<T[]> =>
  Promise.all(Array.from({ length: n }, (_, i) => make(i)));

/** Status counts, for a readable failure. */
function tally(answers: { status: number }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}

/** Overload answers are "later", with a Retry-After; anything else 5xx is a fault. */
function expectNoFault(answers: ApiAnswer[]): void {
  for (const answer of answers) {
    expect(answer.status, JSON.stringify(answer.body)).not.toBe(500);
    if (answer.status === 429 || answer.status === 503) {
      expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    }
  }
}

describe('the app’s calls to its own host', () => {
  it('never reach the listener: a run planned end to end costs only the client’s own requests', async () => {
    const before = app.host.requestsReceived;
    let sent = 0;
    const counted: TripsClient['api'] = (...args) => {
      sent++;
      return trips.api(...args);
    };
    const started = await counted('POST', '/api/trips', COMPLETE_TRIP);
    expect(started.status).toBe(202);
    // Its polls, its DurableClient calls and its tool calls to the app's MCP mounts.
    await waitUntil('the run to finish', async () => {
      const { body } = await counted('GET', `/api/trips/${started.body.id}`);
      return ['completed', 'failed', 'budget_exceeded'].includes(body.status) ? body.status : undefined;
    });
    expect(app.host.requestsReceived - before).toBe(sent);
  });
});

describe('bursts', () => {
  it('answers 100 concurrent reads of one run, all 200', async () => {
    const id = await trips.start(VAGUE_TRIP);
    await trips.waitFor(id, ['needs_input']);
    const answers = await times(100, () => trips.api('GET', `/api/trips/${id}`));
    expect(tally(answers)).toEqual({ 200: 100 });
    await trips.api('POST', `/api/trips/${id}/cancel`, {});
  });

  it('answers 100 concurrent starts from one caller with 202 or 429 + Retry-After, never 500', async () => {
    const answers = await times(100, (i) =>
      trips.api('POST', '/api/trips', VAGUE_TRIP, { 'idempotency-key': `burst-${i}` }),
    );
    expectNoFault(answers);
    const counts = tally(answers);
    expect(Object.keys(counts).sort(), JSON.stringify(counts)).toEqual(
      Object.keys(counts)
        .filter((s) => s === '202' || s === '429')
        .sort(),
    );
    expect(counts[202]).toBeGreaterThan(0);
    const accepted = answers.filter((a) => a.status === 202).map((a) => a.body.id as string);
    for (const id of accepted) await trips.api('POST', `/api/trips/${id}/cancel`, {});
  });
});

describe('graceful stop', () => {
  it('finishes the request in flight and answers new ones with 503 + Retry-After', async () => {
    const id = await trips.start(VAGUE_TRIP);
    await trips.waitFor(id, ['needs_input']);
    const port = Number(new URL(app.host.url).port);
    // A start whose body is still uploading when the stop begins: in flight, not yet handled.
    const body = JSON.stringify(VAGUE_TRIP);
    const upload = connect(port, '127.0.0.1');
    await once(upload, 'connect');
    const answer = new Promise<string>((resolve) => {
      let text = '';
      upload.on('data', (chunk: Buffer) => (text += chunk.toString()));
      upload.on('close', () => resolve(text));
    });
    upload.write(
      `POST /api/trips HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
        `Connection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 5)}`,
    );
    await waitUntil('the upload to be in flight', () => app.host.activeRequests >= 1);

    const stopped = app.host.stop(60_000);
    const during = await times(10, () => trips.api('GET', `/api/trips/${id}`));
    expect(tally(during)).toEqual({ 503: 10 });
    expectNoFault(during);
    expect(during[0].body.error.code).toBe('shutting_down');

    // The upload completes: its start is served in full, the app's call to the engine included.
    upload.write(body.slice(5));
    expect(await answer).toMatch(/^HTTP\/1\.1 202 /);
    await stopped;
  });
});
