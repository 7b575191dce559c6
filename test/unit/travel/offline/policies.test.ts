/**
 * The offline travel policies, turn by turn as the agent loop drives them: the first decision is
 * the right tool call; given the real tool server's answer, the final answer passes the agent's
 * output schema. The supervisor asks for a hotel revision when flights and hotel exceed the budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPlan } from '../../../../src/agents/plan';
import { reviewSchema } from '../../../../src/agents/orchestration/supervise';
import { OfflineModel } from '../../../../src/models/offline';
import type { ChatMessage, ModelRequest, ModelResponse } from '../../../../src/models/types';
import {
  flights,
  hotels,
  itinerary,
  planner,
  restaurants,
  router,
  SPECIALISTS,
  supervisor,
  weather,
  type HotelChoice,
} from '../../../../src/travel/agents';
import type { AgentDefinition } from '../../../../src/agents/definitions';
import { TRAVEL_OFFLINE_POLICIES } from '../../../../src/travel/offline/policies';
import { itinerarySchema } from '../../../../src/travel/schemas';
import { connectTravelServers, type InMemoryTools } from './mcp-in-memory';

const model = new OfflineModel(TRAVEL_OFFLINE_POLICIES);
let tools: InMemoryTools;

beforeAll(async () => {
  tools = await connectTravelServers(new Date('2026-11-29T12:00:00Z'));
});
afterAll(async () => {
  await tools.close();
});

function request(agent: AgentDefinition<unknown>, messages: ChatMessage[]): ModelRequest {
  return {
    agent: agent.name,
    instructions: agent.instructions,
    messages,
    tools: tools.definitions.filter((tool) => agent.tools.includes(tool.name)),
  };
}

function finalOutput(response: ModelResponse): unknown {
  expect(response.kind).toBe('final');
  if (response.kind !== 'final') return undefined;
  return response.output ?? JSON.parse(response.text);
}

/** One specialist, two turns: its tool call, then its answer from the real tool's result. */
async function runSpecialist<T>(
  agent: AgentDefinition<T>,
  task: Record<string, unknown>,
): Promise<{ call: { name: string; arguments: Record<string, unknown> }; answer: T }> {
  const messages: ChatMessage[] = [{ role: 'user', content: JSON.stringify(task) }];
  const first = await model.complete(request(agent as AgentDefinition<unknown>, messages));
  expect(first.kind).toBe('tool_calls');
  if (first.kind !== 'tool_calls') throw new Error('no tool call');
  expect(first.toolCalls).toHaveLength(1);
  const [call] = first.toolCalls;
  const data = await tools.call(call.name, call.arguments);
  messages.push(
    { role: 'assistant', content: first.text ?? null, toolCalls: first.toolCalls },
    { role: 'tool', toolCallId: call.id, name: call.name, content: JSON.stringify(data) },
  );
  const second = await model.complete(request(agent as AgentDefinition<unknown>, messages));
  const checked = agent.output.safeParse(finalOutput(second));
  expect(checked.success, checked.success ? '' : JSON.stringify(checked.error.issues)).toBe(true);
  return { call, answer: checked.data as T };
}

const trip = { origin: 'SEA', destination: 'FTE', start: '2027-03-10', end: '2027-03-14' };

describe('specialist policies with the real tool servers', () => {
  it('flights: searches the route and dates, then picks an offer within the limit', async () => {
    const { call, answer } = await runSpecialist(flights, {
      origin: trip.origin,
      destination: trip.destination,
      departDate: trip.start,
      returnDate: trip.end,
      passengers: 2,
      maxTotalUsd: 3000,
    });
    expect(call).toMatchObject({
      name: 'flights.search_flights',
      arguments: {
        origin: 'SEA',
        destination: 'FTE',
        departDate: '2027-03-10',
        returnDate: '2027-03-14',
        passengers: 2,
        cabin: 'economy',
      },
    });
    expect(answer.found).toBe(true);
    expect(answer.offerId).toEqual(expect.any(String));
    expect(answer.totalUsd).toBeGreaterThan(0);
  });

  it('flights: a tool error becomes found=false with the reason, still a valid answer', async () => {
    const { answer } = await runSpecialist(flights, {
      origin: 'SEA',
      destination: 'Narnia',
      departDate: trip.start,
      passengers: 1,
    });
    expect(answer.found).toBe(false);
    expect(answer.description).toMatch(/^No flights: /);
  });

  it('hotels: searches the city and dates, then picks the best-rated offer that fits', async () => {
    const task = {
      city: 'El Calafate',
      checkIn: trip.start,
      checkOut: trip.end,
      guests: 2,
      maxTotalUsd: 2000,
    };
    const { call, answer } = await runSpecialist(hotels, task);
    expect(call).toEqual(
      expect.objectContaining({
        name: 'hotels.search_hotels',
        arguments: { city: 'El Calafate', checkIn: trip.start, checkOut: trip.end, guests: 2 },
      }),
    );
    expect(answer.found).toBe(true);
    expect(answer.totalUsd).toBeLessThanOrEqual(2000);
  });

  it('hotels: a reviewer\'s "keep the hotel total under N USD" tightens the choice', async () => {
    const task = { city: 'El Calafate', checkIn: trip.start, checkOut: trip.end, guests: 2 };
    const { answer: first } = await runSpecialist<HotelChoice>(hotels, task);
    const cap = Math.floor((first.totalUsd ?? 0) - 1);
    const { answer: revised } = await runSpecialist<HotelChoice>(hotels, {
      ...task,
      feedback: `Keep the hotel total under ${cap} USD.`,
    });
    expect(revised.found).toBe(true);
    expect(revised.offerId).not.toBe(first.offerId);
    // Either an offer under the cap, or the cheapest one, saying none fits.
    if ((revised.totalUsd ?? 0) > cap) expect(revised.description).toMatch(/none under/);
    else expect(revised.totalUsd).toBeLessThanOrEqual(cap);
  });

  it('weather: asks for the place and dates, then reports one entry per day with the note', async () => {
    const { call, answer } = await runSpecialist(weather, {
      place: 'El Calafate',
      startDate: trip.start,
      endDate: trip.end,
    });
    expect(call.name).toBe('weather.get_forecast');
    expect(call.arguments).toEqual({ place: 'El Calafate', startDate: trip.start, endDate: trip.end });
    expect(answer.days.map((d) => d.date)).toEqual([
      '2027-03-10',
      '2027-03-11',
      '2027-03-12',
      '2027-03-13',
      '2027-03-14',
    ]);
    expect(answer.summary).toMatch(/highs around/);
  });

  it('restaurants: searches the city, then picks one per day, local kitchen first', async () => {
    const { call, answer } = await runSpecialist(restaurants, { city: 'El Calafate', days: 3 });
    expect(call).toEqual(
      expect.objectContaining({ name: 'restaurants.search_restaurants', arguments: { city: 'El Calafate' } }),
    );
    expect(answer.picks.length).toBeGreaterThan(0);
    expect(answer.picks.length).toBeLessThanOrEqual(3);
  });

  it('restaurants: passes the traveller’s dietary wishes, as travellers write them, and picks only places that honour them', async () => {
    const { call, answer } = await runSpecialist(restaurants, {
      city: 'Reykjavík',
      days: 4,
      dietary: ['Vegan', 'gluten-free'],
    });
    expect(call.arguments).toEqual({ city: 'Reykjavík', dietary: ['vegan', 'gluten_free'] });
    expect(answer.picks.length).toBeGreaterThan(0);
    for (const pick of answer.picks)
      expect(pick.dietary).toEqual(expect.arrayContaining(['vegan', 'gluten_free']));
    expect(answer.summary).toMatch(/vegan/);
  });

  it('restaurants: says which wishes it could not check instead of dropping them silently', async () => {
    const { call, answer } = await runSpecialist(restaurants, {
      city: 'Lisbon',
      days: 2,
      dietary: ['halal', 'no shellfish'],
    });
    expect(call.arguments).toEqual({ city: 'Lisbon', dietary: ['halal'] });
    expect(answer.summary).toMatch(/no shellfish/);
  });
});

describe('router, planner and supervisor policies', () => {
  it('router: answers with the understood request, valid for its schema', async () => {
    const response = await model.complete(
      request(router, [
        {
          role: 'user',
          content: JSON.stringify({
            request:
              'Plan a 4-day hiking trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000',
            fields: {},
            today: '2026-11-29',
          }),
        },
      ]),
    );
    const answer = router.output.parse(finalOutput(response));
    expect(answer).toMatchObject({
      route: 'full_trip',
      facts: { origin: 'Seattle', destination: 'El Calafate' },
    });
  });

  it('planner: one step per topic with a brief, a plan that passes the checks', async () => {
    const briefs = {
      flights: { origin: 'SEA' },
      hotels: { city: 'El Calafate' },
      weather: { place: 'El Calafate' },
    };
    const response = await model.complete(
      request(planner, [
        {
          role: 'user',
          content: JSON.stringify({ topics: ['flights', 'hotels', 'weather', 'restaurants'], briefs }),
        },
      ]),
    );
    const plan = planner.output.parse(finalOutput(response));
    expect(plan.steps.map((s) => s.agent)).toEqual(['flights', 'hotels', 'weather']);
    expect(JSON.parse(plan.steps[1].task)).toEqual(briefs.hotels);
    expect(checkPlan(plan, Object.keys(SPECIALISTS))).toEqual([]);
  });

  const review = async (flightUsd: number, hotelUsd: number, budgetUsd?: number) => {
    const response = await model.complete(
      request(supervisor, [
        {
          role: 'user',
          content: JSON.stringify({
            constraints: { budgetUsd, nights: 4 },
            results: {
              flights: { found: true, totalUsd: flightUsd },
              hotels: { found: true, totalUsd: hotelUsd },
            },
          }),
        },
      ]),
    );
    return reviewSchema.parse(finalOutput(response));
  };

  it('supervisor: approves flights and hotel within the budget', async () => {
    expect(await review(2000, 1500, 5000)).toEqual({ approved: true, findings: [], revisions: [] });
    expect((await review(9000, 9000)).approved).toBe(true);
  });

  it('supervisor: over budget, asks the hotels agent for a revision with a concrete cap', async () => {
    const verdict = await review(3000, 2600, 5000);
    expect(verdict.approved).toBe(false);
    expect(verdict.findings[0]).toMatch(/exceed the budget of 5000 USD/);
    // 95% of what the flights leave: (5000 - 3000) * 0.95
    expect(verdict.revisions).toEqual([
      { agent: 'hotels', feedback: 'Keep the hotel total under 1900 USD.' },
    ]);
  });

  it('supervisor: when the flights alone exceed the budget, no hotel revision can help', async () => {
    const verdict = await review(6000, 500, 5000);
    expect(verdict.approved).toBe(false);
    expect(verdict.revisions).toEqual([]);
  });

  it('itinerary: composes a valid itinerary from the findings', async () => {
    const response = await model.complete(
      request(itinerary, [
        {
          role: 'user',
          content: JSON.stringify({
            facts: { destination: 'El Calafate', startDate: trip.start, endDate: trip.end, travellers: 2 },
            aiCostUsd: 0,
          }),
        },
      ]),
    );
    expect(itinerarySchema.safeParse(finalOutput(response)).success).toBe(true);
  });
});
