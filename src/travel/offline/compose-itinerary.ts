/**
 * The offline itinerary writer: one day per date, built around the real flight times when the
 * chosen offer carries them (a night arrival goes straight to the hotel, a morning departure has
 * no dinner, each flight shown with its airports and local times), activities that suit the
 * interests and the day's weather, a dinner suggestion on the days there is time for one (naming
 * the dietary needs the place caters for), and a cost breakdown that adds up.
 */
import type { Itinerary } from '../schemas';
import type { DiningPicks, FlightChoice, HotelChoice, WeatherReport } from '../agents';
import { addDays } from '../understand';
import {
  clock,
  flightTimes,
  journeyLine,
  legLine,
  localClock,
  localDate,
  localMinutes,
  type TravelSlice,
} from './flight-times';

export interface ComposeInput {
  facts: {
    destination: string;
    origin?: string;
    startDate: string;
    endDate: string;
    travellers: number;
    interests?: string[];
    budgetUsd?: number;
    /** The next stop, when this stay is not the trip's last: its last day travels on, not home. */
    next?: string;
    /** A place without an airport: the airport the flights use and its distance over land. */
    ground?: { airport: string; km: number };
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

/** Leave for the airport this long before a departure. */
const AIRPORT_LEAD_MINUTES = 150;

/**
 * Minutes over land for a straight-line distance: roads and rails wind (×1.6) at about 60 km/h,
 * plus half an hour to change from plane to train or car; rounded up to a quarter hour.
 */
export function transferMinutes(km: number): number {
  const minutes = ((km * 1.6) / 60) * 60 + 30;
  return Math.ceil(minutes / 15) * 15;
}

function transferLine(ground: { airport: string; km: number }, minutes: number): string {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  const time = hours === 0 ? `${rest} min` : rest === 0 ? `${hours} h` : `${hours} h ${rest}`;
  return `By train or road from ${ground.airport} (${ground.km} km, about ${time})`;
}

type Day = Itinerary['days'][number];
type Activity = { dry: string; wet: string };

export function composeItinerary(input: ComposeInput): Itinerary {
  const { facts } = input;
  const dates: string[] = [];
  for (let date = facts.startDate; date <= facts.endDate && dates.length < 60; date = addDays(date, 1))
    dates.push(date);
  const interests = (facts.interests ?? []).filter((i) => ACTIVITIES[i]);
  const weatherByDate = new Map((input.weather?.days ?? []).map((d) => [d.date, d]));
  const picks = input.restaurants?.picks ?? [];
  const { outbound, inbound } = flightTimes(input.flights);
  const hotel = input.hotel?.found && input.hotel.name ? input.hotel.name : undefined;
  const arrivalDate = outbound ? localDate(outbound.arrival) : dates[0];
  // A flight after midnight still ends the trip's last day.
  const departureDate = inbound ? minDate(localDate(inbound.departure), facts.endDate) : dates.at(-1)!;

  let activityDay = 0;
  const nextActivity = (): { title: string; activity: Activity } => {
    const interest = interests[activityDay++ % Math.max(1, interests.length)];
    return interest
      ? { title: `${capitalize(interest)} day`, activity: ACTIVITIES[interest] }
      : {
          title: `Exploring ${facts.destination}`,
          activity: { dry: 'explore the highlights on foot', wet: 'museums and cafés' },
        };
  };

  const days = dates.map((date, index): Day => {
    const forecast = weatherByDate.get(date);
    const wet =
      forecast !== undefined &&
      ((forecast.precipitationMm ?? 0) >= 3 || /rain|snow|storm/i.test(forecast.conditions));
    const pick = picks.length > 0 ? picks[index % picks.length] : undefined;
    const dinner = pick
      ? [`Dinner: ${pick.name} (${pick.cuisine}, ${'$'.repeat(pick.priceLevel)}${caters(pick)})`]
      : [];
    const weather = forecast
      ? { weather: `${forecast.conditions}, ${forecast.lowC}–${forecast.highC}°C` }
      : {};
    let day: Omit<Day, 'date'>;
    if (outbound && date < arrivalDate) {
      day = travelDay(facts.destination, date === localDate(outbound.departure) ? outbound : undefined);
    } else if (date === arrivalDate && (index === 0 || outbound)) {
      day = arrivalDay(input, facts.destination, hotel, outbound, nextActivity, wet, dinner);
    } else if (date === departureDate && dates.length > 1) {
      day = departureDay(input, hotel, inbound, nextActivity, wet, dinner);
    } else if (date > departureDate) {
      day = { title: 'Home', plan: ['Back home'] };
    } else {
      const { title, activity } = nextActivity();
      day = {
        title,
        plan: [wet ? `Weather looks wet: ${activity.wet}` : capitalize(activity.dry)],
        meals: dinner,
      };
    }
    const meals = day.meals && day.meals.length > 0 ? { meals: day.meals } : {};
    return { date, title: day.title, plan: day.plan, ...weather, ...meals };
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

/** The day(s) before landing: the journey out (flights with their local times), no plans, no meals. */
function travelDay(destination: string, journey: TravelSlice | undefined): Omit<Day, 'date'> {
  return journey
    ? { title: `Travel to ${destination}`, plan: [`Fly to ${destination}: ${journeyLine(journey)}`] }
    : { title: `Travel to ${destination}`, plan: ['In transit'] };
}

/** The landing day, by the local time of landing: a night arrival goes straight to bed. */
function arrivalDay(
  input: ComposeInput,
  destination: string,
  hotel: string | undefined,
  journey: TravelSlice | undefined,
  nextActivity: () => { title: string; activity: Activity },
  wet: boolean,
  dinner: string[],
): Omit<Day, 'date'> {
  const title = `Arrive in ${destination}`;
  const checkIn = hotel ? `Check in at ${hotel}` : 'Check in';
  if (!journey) {
    const flight = input.flights?.found ? `Fly in: ${input.flights.description.split(';')[0]}` : 'Travel in';
    return {
      title,
      plan: [flight, checkIn, 'An easy first evening walk to get your bearings'],
      meals: dinner,
    };
  }
  const last = journey.legs.at(-1)!;
  const landed = localMinutes(journey.arrival);
  const land =
    `Land at ${last.to} at ${localClock(journey.arrival)}` +
    (localDate(journey.departure) === localDate(journey.arrival)
      ? `: ${journeyLine(journey)}`
      : ` (${legLine(last)})`);
  const later = () => {
    const { activity } = nextActivity();
    return wet ? `${activity.wet} (the weather looks wet)` : activity.dry;
  };
  const ground = input.facts.ground;
  if (ground) {
    // The day is planned from the time the traveller reaches the place, not the airport.
    const transfer = transferMinutes(ground.km);
    const arrives = landed + transfer;
    const over = `${transferLine(ground, transfer)} to ${destination}: there about ${clock(arrives)}`;
    if (arrives >= 21 * 60 || arrives < 5 * 60)
      return { title, plan: [land, over, checkIn, 'Rest: the day starts tomorrow'] };
    if (arrives >= 18 * 60)
      return { title, plan: [land, over, checkIn, 'Dinner close to the hotel'], meals: dinner };
    return {
      title,
      plan: [land, over, checkIn, 'An easy first evening walk to get your bearings'],
      meals: dinner,
    };
  }
  if (landed < 5 * 60) {
    const straight = hotel
      ? `Straight to ${hotel} and to bed (tell the hotel you arrive after midnight)`
      : 'Straight to the hotel and to bed';
    return {
      title,
      plan: [land, straight, `A late, slow start; in the afternoon: ${later()}`],
      meals: dinner,
    };
  }
  if (landed < 12 * 60) {
    const bags = hotel
      ? `Drop your bags at ${hotel} (rooms are usually ready from 15:00)`
      : 'Drop your bags at the hotel';
    return { title, plan: [land, bags, `Afternoon: ${later()}`], meals: dinner };
  }
  if (landed < 18 * 60)
    return { title, plan: [land, checkIn, 'An easy first evening walk to get your bearings'], meals: dinner };
  if (landed < 21 * 60) return { title, plan: [land, checkIn, 'Dinner close to the hotel'], meals: dinner };
  return { title, plan: [land, checkIn, 'Rest: the day starts tomorrow'] };
}

/** The last day, by when the traveller must leave for the airport: no dinner after a day flight. */
function departureDay(
  input: ComposeInput,
  hotel: string | undefined,
  journey: TravelSlice | undefined,
  nextActivity: () => { title: string; activity: Activity },
  wet: boolean,
  dinner: string[],
): Omit<Day, 'date'> {
  const checkOut = hotel ? `Check out of ${hotel}` : 'Check out';
  const onward = input.facts.next;
  const title = onward ? `On to ${onward}` : 'Departure';
  if (!journey) {
    const plan = ['A slow breakfast and a last stroll', checkOut];
    if (onward) plan.push(`Travel on to ${onward}`);
    else if (input.flights?.found) plan.push('Fly home');
    return { title, plan };
  }
  const departs = localMinutes(journey.departure);
  const sameDay = localDate(journey.departure) <= input.facts.endDate;
  // Minutes after the last day's midnight when the traveller leaves (past 24:00 for a night flight).
  const ground = input.facts.ground;
  const transfer = ground ? transferMinutes(ground.km) : 0;
  const leave = (sameDay ? departs : departs + 1440) - AIRPORT_LEAD_MINUTES - transfer;
  const go = ground
    ? `Leave for the airport by ${clock(leave)}: ${transferLine(ground, transfer)}`
    : `Leave for the airport by ${clock(leave)}`;
  const fly = `${onward ? `Fly to ${onward}` : 'Fly home'}: ${journeyLine(journey)}`;
  if (leave < 9 * 60) return { title, plan: [`${checkOut} early`, go, fly] };
  if (leave < 14 * 60)
    return {
      title,
      plan: [
        hotel ? `Breakfast, then check out of ${hotel}` : 'Breakfast, then check out',
        'A last short walk nearby',
        go,
        fly,
      ],
    };
  const { activity } = nextActivity();
  const outing = wet ? `${activity.wet} (the weather looks wet)` : activity.dry;
  const plan = [`${checkOut} (leave your bags at the hotel)`, `A last day out: ${outing}`, go, fly];
  return { title, plan, meals: leave >= 20 * 60 + 30 ? dinner : [] };
}

function caters(pick: { dietary?: string[] | undefined }): string {
  return pick.dietary && pick.dietary.length > 0
    ? `; ${pick.dietary.map((d) => d.replace('_', '-')).join(', ')}`
    : '';
}

function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
