/**
 * The trip planner hands each specialist the brief built from the checked facts, whatever the
 * planner model writes in its plan. Driven by the durable-functions SDK over synthetic histories
 * (no host): the router, place resolution and planner answers are scripted as activity results,
 * and the test reads the child agent loops the orchestration starts.
 */
import { describe, expect, it } from 'vitest';
import type { AgentTurnInput } from '../../../../src/agents/contracts';
import type { AgentLoopInput } from '../../../../src/agents/orchestration/agent-loop';
import type { Plan } from '../../../../src/agents/plan';
import { DEFAULT_RETRY_POLICIES } from '../../../../src/agents/retry';
import type { RouterAnswer } from '../../../../src/travel/agents';
import type { TripPlannerInput } from '../../../../src/travel/planner-input';
import type { ReadTripOutput } from '../../../../src/travel/read-trip';
import { tripPlanner } from '../../../../src/travel/trip/orchestration';
import { ACTION, SdkReplay } from '../../agents/support/sdk-replay';
import { finalTurn } from '../../agents/support/turns';
import { HIKING_TRIP_FIELDS } from '../../../support/trip-requests';

const RUN = 'run-trip-briefs';
const input: TripPlannerInput = {
  owner: 'local',
  body: {
    request: 'Plan a 4-day trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000',
    ...HIKING_TRIP_FIELDS,
  },
  requestHash: 'h',
  createdAt: '2027-01-01T00:00:00.000Z',
  limits: { steps: 200, tokens: 1_000_000, wallTimeMs: 7_200_000, toolCalls: 100, money: 10_000 },
  retry: DEFAULT_RETRY_POLICIES,
  writeTools: ['bookings.book_flight', 'bookings.book_hotel'],
  inputTimeoutMs: 1_800_000,
  approvalTimeoutMs: 3_600_000,
  maxInputRounds: 2,
  maxRevisionRounds: 1,
};

const routed: RouterAnswer = {
  route: 'full_trip',
  topics: ['flights', 'hotels', 'weather', 'restaurants'],
  facts: {},
};
function cityAt(name: string, country: string, airport: string) {
  const airports = [{ iata: airport, name: `${name} airport`, distanceKm: 5, inTown: true }];
  return {
    query: name,
    name,
    country,
    countryCode: country,
    kind: 'city' as const,
    airport,
    airports,
  };
}
const read: ReadTripOutput = {
  facts: {
    origin: cityAt('Seattle', 'US', 'SEA'),
    legs: [{ place: cityAt('El Calafate', 'AR', 'FTE') }],
    destination: cityAt('El Calafate', 'AR', 'FTE'),
    startDate: '2027-03-10',
    endDate: '2027-03-14',
    travellers: 2,
    budget: { amount: 5000, currency: 'USD', usd: 5000 },
  },
  unknown: [],
  questions: [],
};

/** Drives the run to the planner's turn, answers it with `plan`, returns the children it starts. */
async function childrenAfterPlan(plan: (briefs: Record<string, unknown>) => Plan) {
  const replay = new SdkReplay(tripPlanner, RUN, input);
  // The router's turn.
  expect(replay.newActions(await replay.run()).map((a) => a.functionName)).toEqual(['agentTurn']);
  replay.completeActivity('agentTurn', finalTurn(routed));
  // The facts, checked and resolved to places.
  expect(replay.newActions(await replay.run()).map((a) => a.functionName)).toEqual(['readTrip']);
  replay.completeActivity('readTrip', read);
  // The planner's turn, given the briefs.
  const [plannerTurn] = replay.newActions(await replay.run());
  expect(plannerTurn.functionName).toBe('agentTurn');
  const plannerTask = JSON.parse((plannerTurn.input as AgentTurnInput).task!) as {
    briefs: Record<string, unknown>;
  };
  replay.completeActivity('agentTurn', finalTurn(plan(plannerTask.briefs)));
  return replay.newActions(await replay.run());
}

describe('the trip planner hands specialists the checked facts', () => {
  // Control: a planner that copies the briefs faithfully (what the offline model does).
  it('starts the four specialists with the briefs when the planner copies them', async () => {
    const children = await childrenAfterPlan((briefs) => ({
      goal: 'trip',
      steps: Object.entries(briefs).map(([agent, brief]) => ({
        id: agent,
        agent,
        task: JSON.stringify(brief),
        dependsOn: [],
      })),
    }));
    expect(children.map((c) => [c.actionType, c.instanceId])).toEqual([
      [ACTION.callSubOrchestrator, `${RUN}:flights:0:flights`],
      [ACTION.callSubOrchestrator, `${RUN}:hotels:0:hotels`],
      [ACTION.callSubOrchestrator, `${RUN}:weather:0:weather`],
      [ACTION.callSubOrchestrator, `${RUN}:restaurants:0:restaurants`],
    ]);
  });

  // Regression: each child's task was once the planner model's free text, so a planner that
  // rewrote a brief (a past date, 9 passengers, no price cap) sent unchecked facts to the flights
  // and hotels agents, and what they found was quoted and booked. The plan chooses which agents
  // run and in what order; the facts come from the checked briefs.
  it('gives each specialist the brief built from the checked facts, not the planner’s text', async () => {
    const children = await childrenAfterPlan((briefs) => ({
      goal: 'trip',
      steps: Object.entries(briefs).map(([agent, brief]) => ({
        id: agent,
        agent,
        task: JSON.stringify(
          agent === 'flights'
            ? {
                ...(brief as Record<string, unknown>),
                departDate: '2020-01-01',
                returnDate: '2020-01-02',
                passengers: 9,
              }
            : brief,
        ),
        dependsOn: [],
      })),
    }));
    const flights = children.find((c) => c.instanceId === `${RUN}:flights:0:flights`);
    expect(flights).toBeDefined();
    const task = JSON.parse((flights!.input as AgentLoopInput).task) as Record<string, unknown>;
    expect(task).toMatchObject({ departDate: '2027-03-10', returnDate: '2027-03-14', passengers: 2 });
  });
});
