/**
 * Answers are tied to the question round they answer, end to end on the local host: a repeated
 * answer (a retry, a double click) is never taken as the answer to the next question. The run
 * asks in numbered rounds; `?round=N` names the round an answer is for, and an Idempotency-Key
 * makes a repeat a replay of the first answer.
 */
import { describe, expect, it } from 'vitest';
import type { RunResource } from '../../src/travel/api/run-resource';
import type { AppHost } from '../support/app-host';
import { runAppForTests } from '../support/trips-app';
import type { TripsClient } from '../support/trips-client';
import { VAGUE_TRIP } from '../support/trip-requests';

let app: AppHost;
let trips: TripsClient;
runAppForTests((started, client) => {
  app = started;
  trips = client;
});

/** Part of what the run asks for: the next round still asks for the rest. */
const partial = { destination: 'Lisbon' };

async function waitingRound(id: string, round: number): Promise<RunResource> {
  const run = await trips.waitFor(id, ['needs_input']);
  if (run.needsInput?.round === round) return run;
  // needs_input can still show the round just answered until the run takes the answer.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const now = await trips.waitFor(id, ['needs_input']);
    if (now.needsInput!.round === round) return now;
    if (now.needsInput!.round > round || Date.now() > deadline) {
      throw new Error(`run ${id} asks round ${now.needsInput!.round}, expected ${round}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('answers and question rounds', () => {
  it('replays an answer sent three times with one Idempotency-Key: the run moves one round', async () => {
    const id = await trips.start(VAGUE_TRIP);
    expect((await waitingRound(id, 1)).needsInput!.fields.length).toBeGreaterThan(1);
    const headers = { 'idempotency-key': 'answer-round-1' };
    const answers = [];
    for (let i = 0; i < 3; i++) {
      answers.push(await trips.api('POST', `/api/trips/${id}/input?round=1`, partial, headers));
    }
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(answers.map((a) => a.headers.get('idempotent-replayed'))).toEqual([null, 'true', 'true']);
    expect(answers[1].body).toEqual(answers[0].body);

    const second = await waitingRound(id, 2);
    expect(second.needsInput!.fields.map((f) => f.path)).not.toContain('destination');
    // The key with another answer is another request: refused, and nothing is raised.
    const reused = await trips.api(
      'POST',
      `/api/trips/${id}/input?round=1`,
      { destination: 'Porto' },
      headers,
    );
    expect(reused.status).toBe(422);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect((await trips.waitFor(id, ['needs_input'])).needsInput!.round).toBe(2);
    await trips.api('POST', `/api/trips/${id}/cancel`, {});
  });

  it('takes one of three identical answers to one round; the run drops the other two', async () => {
    const id = await trips.start(VAGUE_TRIP);
    await waitingRound(id, 1);
    // A busy run: the three answers all arrive while it still asks round 1 (suspended, its
    // events wait), so the API passes all three on.
    expect(app.host.engine.suspend(id, 'busy')).toBe('accepted');
    const answers = [];
    for (let i = 0; i < 3; i++)
      answers.push(await trips.api('POST', `/api/trips/${id}/input?round=1`, partial));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    expect(app.host.engine.resume(id, 'not busy')).toBe('accepted');

    const second = await waitingRound(id, 2);
    expect(second.needsInput!.fields.map((f) => f.path)).toContain('startDate');
    // Round 2 is still the one asked: the repeats were not taken as its answer.
    const rest = { origin: 'Madrid', startDate: '2027-05-10', endDate: '2027-05-14', travellers: 2 };
    const answered = await trips.api('POST', `/api/trips/${id}/input?round=2`, rest);
    expect(answered.status, JSON.stringify(answered.body)).toBe(202);
    const after = await trips.waitFor(id, ['running', 'needs_input', 'completed', 'awaiting_approval']);
    if (after.status === 'needs_input') expect(after.needsInput!.round).toBe(3);
    await trips.api('POST', `/api/trips/${id}/cancel`, {});
  });

  it('refuses an answer to a round already answered (409), and the run keeps asking its round', async () => {
    const id = await trips.start(VAGUE_TRIP);
    await waitingRound(id, 1);
    expect((await trips.api('POST', `/api/trips/${id}/input?round=1`, partial)).status).toBe(202);
    await waitingRound(id, 2);
    const late = await trips.api('POST', `/api/trips/${id}/input?round=1`, partial);
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('round_already_answered');
    const ahead = await trips.api('POST', `/api/trips/${id}/input?round=5`, partial);
    expect(ahead.body.error.code).toBe('round_not_asked');
    const bad = await trips.api('POST', `/api/trips/${id}/input?round=first`, partial);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toBe('round');
    expect((await trips.waitFor(id, ['needs_input'])).needsInput!.round).toBe(2);

    // Round 2 answered in full: the run goes on to plan.
    const rest = { origin: 'Madrid', startDate: '2027-05-10', endDate: '2027-05-14', travellers: 2 };
    expect((await trips.api('POST', `/api/trips/${id}/input?round=2`, rest)).status).toBe(202);
    const after = await trips.waitFor(id, ['running', 'needs_input', 'completed', 'awaiting_approval']);
    if (after.status === 'needs_input') expect(after.needsInput!.round).toBe(3);
    await trips.api('POST', `/api/trips/${id}/cancel`, {});
  });
});
