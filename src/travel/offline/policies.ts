/**
 * The offline model's travel policies: for each travel agent, the decision a capable model would
 * make on the same messages — the same tool calls, the same structured answers — computed by
 * rules, deterministically, with no network. They read only the request (task JSON and tool
 * results in the transcript), never the clock or the environment.
 */
import type { ChatMessage, ModelRequest } from '../../models/types';
import type { OfflineDecision } from '../../models/offline/policy';
import type { OfflinePolicies } from '../../models/offline';
import { toolExchanges } from '../../models/offline/policy';
import type { Plan } from '../../agents/plan';
import type { Review } from '../../agents/orchestration/supervise';
import { understandRequest } from '../understand';
import { composeItinerary, type ComposeInput } from './compose-itinerary';
import { chooseFlight, chooseHotel, dietaryNeeds, pickRestaurants, summarizeWeather } from './choices';

/** The agent's task: the first user message, parsed as JSON (the runtime sends tasks as JSON). */
export function taskOf<T>(request: ModelRequest): T {
  const first = request.messages.find(
    (message): message is Extract<ChatMessage, { role: 'user' }> => message.role === 'user',
  );
  try {
    return JSON.parse(first?.content ?? '{}') as T;
  } catch {
    return {} as T;
  }
}

/** The latest answer of `tool` in the transcript, parsed, or undefined before it was called. */
function resultOf(request: ModelRequest, tool: string): unknown {
  const exchange = toolExchanges(request)
    .filter((e) => e.name === tool)
    .at(-1);
  if (!exchange) return undefined;
  try {
    return JSON.parse(exchange.content) as unknown;
  } catch {
    return { error: { code: 'unreadable', message: exchange.content.slice(0, 200) } };
  }
}

function errorOf(result: unknown): string | undefined {
  const error = (result as { error?: { message?: string } } | undefined)?.error;
  return error ? (error.message ?? 'the tool failed') : undefined;
}

const router = (request: ModelRequest): OfflineDecision => {
  const task = taskOf<{ request?: string; today?: string }>(request);
  return { output: understandRequest(task.request ?? '', task.today ?? '1970-01-01') };
};

interface FlightsTask {
  origin: string;
  destination: string;
  departDate: string;
  returnDate?: string;
  passengers: number;
  cabin?: string;
  maxTotalUsd?: number;
  feedback?: string;
}

const flights = (request: ModelRequest): OfflineDecision => {
  const task = taskOf<FlightsTask>(request);
  const result = resultOf(request, 'flights.search_flights');
  if (result === undefined) {
    return {
      toolCalls: [
        {
          name: 'flights.search_flights',
          arguments: {
            origin: task.origin,
            destination: task.destination,
            departDate: task.departDate,
            ...(task.returnDate ? { returnDate: task.returnDate } : {}),
            passengers: task.passengers,
            cabin: task.cabin ?? 'economy',
          },
        },
      ],
    };
  }
  const failure = errorOf(result);
  if (failure) return { output: { found: false, description: `No flights: ${failure}` } };
  return { output: chooseFlight(result, task.maxTotalUsd) };
};

interface HotelsTask {
  city: string;
  checkIn: string;
  checkOut: string;
  guests: number;
  rooms?: number;
  maxTotalUsd?: number;
  interests?: string[];
  feedback?: string;
}

const hotels = (request: ModelRequest): OfflineDecision => {
  const task = taskOf<HotelsTask>(request);
  const result = resultOf(request, 'hotels.search_hotels');
  if (result === undefined) {
    return {
      toolCalls: [
        {
          name: 'hotels.search_hotels',
          arguments: {
            city: task.city,
            checkIn: task.checkIn,
            checkOut: task.checkOut,
            guests: task.guests,
            ...(task.rooms ? { rooms: task.rooms } : {}),
          },
        },
      ],
    };
  }
  const failure = errorOf(result);
  if (failure) return { output: { found: false, description: `No hotels: ${failure}` } };
  // A reviewer's "keep the hotel total under N USD" tightens the limit, as a model would read it.
  const asked = /under\s+([\d.]+)\s*USD/i.exec(task.feedback ?? '');
  const limit = asked ? Math.min(Number(asked[1]), task.maxTotalUsd ?? Infinity) : task.maxTotalUsd;
  return { output: chooseHotel(result, limit) };
};

const weather = (request: ModelRequest): OfflineDecision => {
  const task = taskOf<{ place: string; startDate: string; endDate: string }>(request);
  const result = resultOf(request, 'weather.get_forecast');
  if (result === undefined) {
    return {
      toolCalls: [
        {
          name: 'weather.get_forecast',
          arguments: { place: task.place, startDate: task.startDate, endDate: task.endDate },
        },
      ],
    };
  }
  const failure = errorOf(result);
  if (failure) return { output: { summary: `No weather outlook: ${failure}`, days: [] } };
  return { output: summarizeWeather(result) };
};

const restaurants = (request: ModelRequest): OfflineDecision => {
  const task = taskOf<{ city: string; dietary?: string[]; maxPriceLevel?: number; days?: number }>(request);
  const result = resultOf(request, 'restaurants.search_restaurants');
  const { needs } = dietaryNeeds(task.dietary);
  if (result === undefined) {
    return {
      toolCalls: [
        {
          name: 'restaurants.search_restaurants',
          arguments: { city: task.city, ...(needs.length > 0 ? { dietary: needs } : {}) },
        },
      ],
    };
  }
  const failure = errorOf(result);
  if (failure) return { output: { picks: [], summary: `No restaurants: ${failure}` } };
  return { output: pickRestaurants(result, task.days ?? 3, task.maxPriceLevel, task.dietary) };
};

interface PlannerTask {
  topics: string[];
  briefs: Record<string, unknown>;
  goal?: string;
}

const planner = (request: ModelRequest): OfflineDecision => {
  const task = taskOf<PlannerTask>(request);
  const plan: Plan = {
    goal: task.goal ?? 'Plan the trip',
    steps: task.topics
      .filter((topic) => task.briefs[topic] !== undefined)
      // One step per part of the trip ("flights", "hotels:2" …): its id the part, its agent the topic.
      .map((topic) => ({
        id: topic,
        agent: topic.split(':')[0],
        task: JSON.stringify(task.briefs[topic]),
        dependsOn: [],
      })),
  };
  return { output: plan };
};

interface SupervisorTask {
  constraints: { budgetUsd?: number; nights: number };
  results: {
    flights?: { found: boolean; totalUsd?: number };
    hotels?: { found: boolean; totalUsd?: number };
  };
}

const supervisor = (request: ModelRequest): OfflineDecision => {
  const task = taskOf<SupervisorTask>(request);
  const review: Review = { approved: true, findings: [], revisions: [] };
  const flightUsd = task.results.flights?.found ? (task.results.flights.totalUsd ?? 0) : 0;
  const hotelUsd = task.results.hotels?.found ? (task.results.hotels.totalUsd ?? 0) : 0;
  const budget = task.constraints.budgetUsd;
  if (budget !== undefined && flightUsd + hotelUsd > budget) {
    review.approved = false;
    const hotelRoom = Math.floor(Math.max(0, budget - flightUsd) * 0.95);
    review.findings.push(
      `Flights (${flightUsd} USD) and hotel (${hotelUsd} USD) exceed the budget of ${budget} USD.`,
    );
    if (hotelRoom > 0) {
      review.revisions.push({ agent: 'hotels', feedback: `Keep the hotel total under ${hotelRoom} USD.` });
    }
  }
  return { output: review };
};

const itinerary = (request: ModelRequest): OfflineDecision => ({
  output: composeItinerary(taskOf<ComposeInput>(request)),
});

export const TRAVEL_OFFLINE_POLICIES: OfflinePolicies = {
  router,
  flights,
  hotels,
  weather,
  restaurants,
  planner,
  supervisor,
  itinerary,
};
