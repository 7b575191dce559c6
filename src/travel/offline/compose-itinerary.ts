/**
 * The offline itinerary writer: one day per date, activities that suit the interests and the
 * day's weather, a meal suggestion per day, and a cost breakdown that adds up.
 */
import type { Itinerary } from '../schemas';
import type { DiningPicks, FlightChoice, HotelChoice, WeatherReport } from '../agents';
import { addDays } from '../understand';

export interface ComposeInput {
  facts: {
    destination: string;
    origin?: string;
    startDate: string;
    endDate: string;
    travellers: number;
    interests?: string[];
    budgetUsd?: number;
  };
  flights?: FlightChoice;
  hotel?: HotelChoice;
  weather?: WeatherReport;
  restaurants?: DiningPicks;
  aiCostUsd: number;
}

const ACTIVITIES: Record<string, { dry: string; wet: string }> = {
  hiking: {
    dry: 'a full-day hike on the best-known trail nearby',
    wet: 'a short, sheltered walk and the visitor centre',
  },
  trekking: { dry: 'a trek with an early start', wet: 'a rest day with gear checks and a museum' },
  glaciers: { dry: 'a glacier viewpoint excursion', wet: 'the glacier interpretation centre' },
  beach: { dry: 'a beach day', wet: 'the aquarium or a covered market' },
  beaches: { dry: 'a beach day', wet: 'the aquarium or a covered market' },
  museums: {
    dry: 'the main museum in the morning, a park in the afternoon',
    wet: 'two museums, back to back',
  },
  food: { dry: 'a market tour and a cooking class', wet: 'a cooking class' },
  wine: { dry: 'a vineyard visit', wet: 'a tasting room in town' },
  history: { dry: 'a walking tour of the old town', wet: 'the history museum' },
  skiing: { dry: 'a day on the slopes', wet: 'a spa afternoon' },
  wildlife: { dry: 'a guided wildlife outing', wet: 'the natural history museum' },
};

export function composeItinerary(input: ComposeInput): Itinerary {
  const { facts } = input;
  const dates: string[] = [];
  for (let date = facts.startDate; date <= facts.endDate && dates.length < 60; date = addDays(date, 1))
    dates.push(date);
  const interests = (facts.interests ?? []).filter((i) => ACTIVITIES[i]);
  const weatherByDate = new Map((input.weather?.days ?? []).map((d) => [d.date, d]));
  const picks = input.restaurants?.picks ?? [];

  const days = dates.map((date, index) => {
    const day = weatherByDate.get(date);
    const wet =
      day !== undefined && ((day.precipitationMm ?? 0) >= 3 || /rain|snow|storm/i.test(day.conditions));
    const plan: string[] = [];
    let title: string;
    if (index === 0) {
      title = `Arrive in ${facts.destination}`;
      plan.push(input.flights?.found ? `Fly in: ${input.flights.description.split(';')[0]}` : 'Travel in');
      plan.push(input.hotel?.found ? `Check in at ${input.hotel.name}` : 'Check in');
      plan.push('An easy first evening walk to get your bearings');
    } else if (index === dates.length - 1 && dates.length > 1) {
      title = 'Departure';
      plan.push(
        'A slow breakfast and a last stroll',
        input.hotel?.found ? `Check out of ${input.hotel.name}` : 'Check out',
      );
      if (input.flights?.found) plan.push('Fly home');
    } else {
      const interest = interests[(index - 1) % Math.max(1, interests.length)];
      const activity = interest
        ? ACTIVITIES[interest]
        : { dry: 'explore the highlights on foot', wet: 'museums and cafés' };
      title = interest ? `${capitalize(interest)} day` : `Exploring ${facts.destination}`;
      plan.push(wet ? `Weather looks wet: ${activity.wet}` : capitalize(activity.dry));
    }
    const pick = picks.length > 0 ? picks[index % picks.length] : undefined;
    return {
      date,
      title,
      plan,
      ...(day ? { weather: `${day.conditions}, ${day.lowC}–${day.highC}°C` } : {}),
      ...(pick ? { meals: [`Dinner: ${pick.name} (${pick.cuisine}, ${'$'.repeat(pick.priceLevel)})`] } : {}),
    };
  });

  const flightsUsd = input.flights?.found ? (input.flights.totalUsd ?? 0) : 0;
  const hotelUsd = input.hotel?.found ? (input.hotel.totalUsd ?? 0) : 0;
  const ai = Math.round(input.aiCostUsd * 10_000) / 10_000;
  const total = Math.round((flightsUsd + hotelUsd + ai) * 100) / 100;
  return {
    summary:
      `${dates.length} day(s) in ${facts.destination} for ${facts.travellers}` +
      (facts.origin ? `, from ${facts.origin}` : '') +
      `: ${total} USD in total` +
      (facts.budgetUsd !== undefined ? ` of a ${facts.budgetUsd} USD budget.` : '.'),
    days,
    ...(input.flights ? { flights: input.flights } : {}),
    ...(input.hotel ? { hotel: input.hotel } : {}),
    ...(input.weather ? { weather: input.weather } : {}),
    ...(input.restaurants ? { restaurants: input.restaurants } : {}),
    costs: {
      flights: flightsUsd,
      hotel: hotelUsd,
      ai,
      total,
      ...(facts.budgetUsd !== undefined
        ? { budget: facts.budgetUsd, remaining: Math.round((facts.budgetUsd - total) * 100) / 100 }
        : {}),
      currency: 'USD',
    },
  };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
