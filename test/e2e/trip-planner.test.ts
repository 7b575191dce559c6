/**
 * The tripPlanner orchestration through the local host and the trips API, with a scripted model
 * (the travel offline policies, with turns overridden where a test injects a fault) and the real
 * MCP servers over loopback: the happy path, asking for missing facts, input timeout, each of the
 * five budgets, repair of an invalid answer, approval and booking exactly once, rejection, and
 * cancel.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ScriptedModel, turn, type Script, type ScriptedTurn } from '../../src/models/scripted-model';
import type { ModelRequest } from '../../src/models/types';
import { TRAVEL_OFFLINE_POLICIES } from '../../src/travel/offline/policies';
import { startAppHost, type AppHost } from '../support/app-host';
import { BOOKING_TRIP, HIKING_TRIP } from '../support/trip-requests';
import { tripsClient, type TripsClient } from '../support/trips-client';
import { testKeys } from '../support/local-host';
import { waitUntil } from '../support/wait-until';

let app: AppHost;
let trips: TripsClient;

beforeAll(async () => {
  app = await startAppHost({
    TRIP_INPUT_TIMEOUT_MS: '8000',
    TRIP_APPROVAL_TIMEOUT_MS: '60000',
    // Faster retries so injected transient faults do not slow the suite.
    TRIP_RETRY_MODEL: '{"firstRetryIntervalMs":100,"maxRetryIntervalMs":200}',
  });
  trips = tripsClient(app);
});
afterAll(async () => {
  await app.host.stop();
});
afterEach(() => app.useModel(undefined));

/** The offline policy of every travel agent as a scripted responder. */
function offline(agent: string) {
  const policy = TRAVEL_OFFLINE_POLICIES[agent];
  return (request: ModelRequest): ScriptedTurn => policy(request);
}
/** A script that plays the offline policies except where `overrides` says otherwise. */
function script(
  overrides: Record<string, ScriptedTurn[] | ((r: ModelRequest, call: number) => ScriptedTurn)> = {},
): ScriptedModel {
  const agents = Object.keys(TRAVEL_OFFLINE_POLICIES);
  const entries: Script = Object.fromEntries(agents.map((a) => [a, overrides[a] ?? offline(a)]));
  const model = new ScriptedModel(entries);
  app.useModel(model);
  return model;
}

/** The run's child instances (its agent loops), from the Durable management API. */
async function childInstances(
  runId: string,
): Promise<{ runtimeStatus: string; input?: { agent?: string } }[]> {
  const query = new URLSearchParams({
    instanceIdPrefix: `${runId}:`,
    showInput: 'true',
    code: testKeys.systemKey,
  });
  const response = await app.host.fetch(`/runtime/webhooks/durabletask/instances?${query.toString()}`);
  expect(response.status).toBe(200);
  return (await response.json()) as { runtimeStatus: string; input?: { agent?: string } }[];
}

describe('tripPlanner on the local host', () => {
  it('plans a full trip: itinerary within budget, every step in the progress', async () => {
    script();
    const run = await trips.waitFor(await trips.start(HIKING_TRIP), ['completed']);
    const itinerary = run.result?.itinerary;
    expect(itinerary?.days.map((d) => d.date)).toEqual([
      '2027-03-10',
      '2027-03-11',
      '2027-03-12',
      '2027-03-13',
      '2027-03-14',
    ]);
    // Costs come from the quote (the servers' prices), not from the itinerary agent.
    expect(itinerary!.costs.total).toBeLessThanOrEqual(5000);
    expect(itinerary!.costs.total).toBeCloseTo(itinerary!.costs.flights + itinerary!.costs.hotel, 2);
    expect(itinerary!.costs.total).toBe(run.quote?.total.amount);
    expect(itinerary!.costs.remaining).toBeCloseTo(5000 - itinerary!.costs.total, 2);
    expect(run.request.understood).toMatchObject({
      origin: { airport: 'SEA' },
      destination: { airport: 'FTE' },
      travellers: 2,
    });
    const kinds = new Set(run.progress.steps.map((s) => s.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['route', 'validate', 'agent', 'tool']));
    // Four specialists' searches, then the chosen flight and hotel looked up by id for the quote.
    expect(run.budgets.usage.toolCalls).toBe(6);
    expect(run.budgets.usage.tokens).toBeGreaterThan(0);
  });

  it('asks for missing dates, waits, merges the answer and completes', async () => {
    script();
    const id = await trips.start({
      request: 'A hiking trip from Seattle to El Calafate for two, budget $5,000',
    });
    const waiting = await trips.waitFor(id, ['needs_input']);
    expect(waiting.needsInput?.fields.map((f) => f.path)).toEqual(['startDate']);
    expect(waiting.needsInput?.question).toMatch(/start date/);
    expect((await trips.api('POST', `/api/trips/${id}/approval`, { approved: true })).status).toBe(409);
    expect(
      (await trips.api('POST', `/api/trips/${id}/input`, { startDate: '2027-03-10', endDate: '2027-03-13' }))
        .status,
    ).toBe(202);
    const done = await trips.waitFor(id, ['completed']);
    expect(done.result?.itinerary?.days).toHaveLength(4);
  });

  it('ends clearly when nobody answers before the question expires', async () => {
    script();
    const id = await trips.start({ request: 'Plan a trip to Lisbon' });
    await trips.waitFor(id, ['needs_input']);
    const run = await trips.waitFor(id, ['failed']);
    expect(run.error?.code).toBe('input_timeout');
  });

  it.each([
    ['steps', { steps: 3 }],
    ['tokens', { tokens: 1500 }],
    ['toolCalls', { toolCalls: 2 }],
    ['wallTimeMs', { wallTimeMs: 1 }],
  ])('stops on the %s budget with which budget, the usage and a partial result', async (budget, limits) => {
    script();
    const run = await trips.waitFor(await trips.start({ ...HIKING_TRIP, budgets: limits }), [
      'budget_exceeded',
    ]);
    expect(run.error?.code).toBe('budget_exceeded');
    expect(run.error?.details).toMatchObject({ budget });
    const details = run.error?.details as { used: number; limit: number };
    expect(details.used).toBeGreaterThan(details.limit);
    expect(run.budgets.usage).toBeDefined();
    expect(run.result).toBeDefined();
  });

  it('still plans a trip over the traveller’s budget, marked over by how much, with cheaper options', async () => {
    script();
    const run = await trips.waitFor(
      await trips.start({
        request: 'Plan a trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $900',
      }),
      ['completed'],
    );
    const quote = run.quote!;
    expect(quote.total.amount).toBeGreaterThan(900);
    expect(quote.overBudget?.by.amount).toBeCloseTo(quote.total.amount - 900, 2);
    for (const alternative of quote.alternatives ?? []) {
      const chosen = quote.items.find((i) => i.kind === alternative.kind)!;
      expect(alternative.price.amount).toBeLessThan(chosen.price.amount);
    }
    expect(run.result?.itinerary?.costs.remaining).toBeLessThan(0);
    expect(run.result?.itinerary?.summary).toMatch(/over the 900 USD budget/);
  });

  it('stops on the run’s own money budget, the hard cap on model spend and quoted cost', async () => {
    script();
    const run = await trips.waitFor(await trips.start({ ...HIKING_TRIP, budgets: { money: 900 } }), [
      'budget_exceeded',
    ]);
    expect(run.error?.details).toMatchObject({ budget: 'money', limit: 900 });
    expect(run.quote).toBeUndefined();
    // The partial result keeps what was found.
    expect(JSON.stringify(run.result)).toMatch(/offerId/);
  });

  it('repairs an answer that fails its schema, then completes', async () => {
    const weather = offline('weather');
    // Turn 2 (the answer after the forecast) is malformed; the repair turn answers properly.
    const model = script({ weather: (request, call) => (call === 1 ? turn.malformed() : weather(request)) });
    const run = await trips.waitFor(await trips.start(HIKING_TRIP), ['completed']);
    expect(run.progress.steps.some((s) => s.detail?.includes('repair'))).toBe(true);
    expect(model.callCount('weather')).toBe(3);
    expect(JSON.stringify(model.requestsFor('weather')[2].messages.at(-1))).toMatch(
      /did not match the required output schema/,
    );
    expect(run.result?.itinerary?.weather).toBeDefined();
  });

  it('shows a model turn that is still waiting as a running step, inline and in parallel specialists', async () => {
    const router = offline('router');
    const weather = offline('weather');
    script({
      router: (request) => turn.delayed(2500, router(request)),
      weather: (request, call) => (call === 0 ? turn.delayed(2500, weather(request)) : weather(request)),
    });
    const id = await trips.start(HIKING_TRIP);
    const running = (name: RegExp) => async () => {
      const { body } = await trips.api('GET', `/api/trips/${id}`);
      const steps = (body?.progress?.steps ?? []) as { name: string; status: string }[];
      return steps.some((s) => name.test(s.name) && s.status === 'running') ? steps : undefined;
    };
    await waitUntil('the router turn shown running', running(/^router turn 1$/), { timeoutMs: 30_000 });
    await waitUntil('the weather specialist shown running', running(/^weather$/), { timeoutMs: 30_000 });
    await trips.waitFor(id, ['completed']);
  }, 120_000);

  it('gives an agent two repair turns by default: two bad answers, then a good one, complete', async () => {
    const weather = offline('weather');
    const model = script({
      weather: (request, call) => (call === 1 || call === 2 ? turn.malformed() : weather(request)),
    });
    const run = await trips.waitFor(await trips.start(HIKING_TRIP), ['completed']);
    expect(model.callCount('weather')).toBe(4);
    expect(run.result?.itinerary?.weather).toBeDefined();
  });

  it('fails with a typed error when the repair fails too', async () => {
    const flights = offline('flights');
    script({ flights: (request, call) => (call === 0 ? flights(request) : turn.output({ found: 'yes' })) });
    const run = await trips.waitFor(await trips.start(HIKING_TRIP), ['failed']);
    expect(run.error?.code).toBe('invalid_output');
  });

  it('books only after approval, each item exactly once, even when approved twice', async () => {
    script();
    const before = await trips.bookings();
    const id = await trips.start(BOOKING_TRIP);
    const waiting = await trips.waitFor(id, ['awaiting_approval']);
    expect(waiting.quote?.items.map((i) => i.kind)).toEqual(['flight', 'hotel']);
    expect(await trips.bookings()).toBe(before);
    const [first, second] = await Promise.all([
      trips.api('POST', `/api/trips/${id}/approval`, { approved: true }),
      trips.api('POST', `/api/trips/${id}/approval`, { approved: true }),
    ]);
    expect([first.status, second.status]).toContain(202);
    const done = await trips.waitFor(id, ['completed']);
    expect(done.result?.bookings?.map((b) => b.status)).toEqual(['confirmed', 'confirmed']);
    expect(await trips.bookings()).toBe(before + 2);
    expect((await trips.api('POST', `/api/trips/${id}/approval`, { approved: true })).status).toBe(409);
    expect(await trips.bookings()).toBe(before + 2);
  });

  it('books nothing when the traveller rejects the quote', async () => {
    script();
    const before = await trips.bookings();
    const id = await trips.start(BOOKING_TRIP);
    await trips.waitFor(id, ['awaiting_approval']);
    expect(
      (await trips.api('POST', `/api/trips/${id}/approval`, { approved: false, note: 'too dear' })).status,
    ).toBe(202);
    const done = await trips.waitFor(id, ['completed']);
    expect(done.result?.approval).toEqual({ approved: false, note: 'too dear' });
    expect(done.result?.bookings).toBeUndefined();
    expect(await trips.bookings()).toBe(before);
  });

  it('asks for the travellers and a contact once the price is shown, then asks for approval', async () => {
    script();
    const id = await trips.start({ ...HIKING_TRIP, request: `${HIKING_TRIP.request}, and book it` });
    const waiting = await trips.waitFor(id, ['needs_input']);
    expect(waiting.needsInput?.fields.map((f) => f.path).sort()).toEqual(['contactEmail', 'travellerNames']);
    // Personal details are asked for after the price, not before.
    expect(waiting.quote?.total.amount).toBeGreaterThan(0);
    expect(waiting.result?.itinerary?.days.length).toBe(5);
    expect(
      (
        await trips.api('POST', `/api/trips/${id}/input`, {
          contactEmail: 'ada@example.org',
          travellerNames: BOOKING_TRIP.travellerNames,
        })
      ).status,
    ).toBe(202);
    const approving = await trips.waitFor(id, ['awaiting_approval']);
    expect(approving.quote?.id).toBe('q1');
    await trips.api('POST', `/api/trips/${id}/cancel`, { reason: 'test over' });
    await trips.waitFor(id, ['cancelled']);
  });

  it('cancels a run mid-way', async () => {
    const model = script({
      flights: (request) => ({ ...(offline('flights')(request) as object), delayMs: 3000 }) as ScriptedTurn,
    });
    const id = await trips.start(HIKING_TRIP);
    // Mid-way: the flights agent's model call is in flight (held for 3 s).
    await waitUntil('the flights agent to call the model', () => model.callCount('flights') > 0, {
      timeoutMs: 60_000,
    });
    expect((await trips.api('POST', `/api/trips/${id}/cancel`, { reason: 'changed my mind' })).status).toBe(
      202,
    );
    const run = await trips.waitFor(id, ['cancelled']);
    expect(run.status).toBe('cancelled');
    // The agent loops stop with the run: the held flights loop is terminated, and none is left running.
    const children = await childInstances(id);
    expect(children.find((child) => child.input?.agent === 'flights')?.runtimeStatus).toBe('Terminated');
    expect(children.filter((child) => ['Running', 'Pending'].includes(child.runtimeStatus))).toEqual([]);
  });

  it('refuses out-of-scope requests politely, without tool calls', async () => {
    const model = script();
    const run = await trips.waitFor(await trips.start({ request: 'Write me a poem about cats' }), [
      'completed',
    ]);
    expect(run.result?.answer).toMatch(/travel planner/);
    expect(run.budgets.usage.toolCalls).toBe(0);
    expect(model.callCount()).toBe(1);
  });
});
