/**
 * What each specialist is told: a brief built from the checked facts only, never from a
 * planner's or a model's rewrite of them (a model could change the dates or the party on the way).
 * A trip's briefs are filed under its part keys (see shape.ts): one of each topic for one
 * destination, a flight per hop and a stay, a forecast and meals per stop for several.
 */
import type { Topic, TripFacts } from '../schemas';
import { daysBetween } from '../validate-facts';
import { GUESTS_PER_ROOM } from './offers';
import { partKey, shapeOf, type FlightPart, type StayPart, type TripShape } from './shape';

/** Share of the traveller's budget a specialist aims for (flights and stays share the rest). */
const BUDGET_SHARE = { flights: 0.6, hotels: 0.4 } as const;

export type Briefs = Record<string, Record<string, unknown>>;

/** Every specialist's brief for a full trip, by part key. */
export function briefsFor(facts: TripFacts): Briefs {
  const shaped = shapeOf(facts);
  if (!shaped || !('shape' in shaped)) return {};
  const { shape } = shaped;
  const briefs: Briefs = {};
  for (const flight of shape.flights) briefs[flight.key] = flightBrief(flight, facts, shape);
  for (const stay of shape.stays) {
    const n = shape.stays.length;
    briefs[partKey('hotels', stay.index, n)] = hotelBrief(stay, facts, shape);
    briefs[partKey('weather', stay.index, n)] = weatherBrief(stay);
    briefs[partKey('restaurants', stay.index, n)] = restaurantsBrief(stay, facts);
  }
  return briefs;
}

/** A single question's brief: one topic, from the facts as far as they go. */
export function briefFor(topic: Topic, facts: TripFacts): Record<string, unknown> {
  const place = facts.destination;
  const stay: StayPart | undefined = place
    ? {
        index: 1,
        place,
        checkIn: facts.startDate ?? '',
        checkOut: facts.endDate ?? facts.startDate ?? '',
        nights: facts.startDate && facts.endDate ? daysBetween(facts.startDate, facts.endDate) : 0,
      }
    : undefined;
  switch (topic) {
    case 'flights':
      return {
        origin: facts.origin?.airport ?? facts.origin?.name,
        destination: place?.airport ?? place?.name,
        departDate: facts.startDate,
        ...(facts.endDate ? { returnDate: facts.endDate } : {}),
        passengers: facts.travellers ?? 1,
        cabin: facts.cabin ?? 'economy',
      };
    case 'hotels':
      return stay ? hotelBrief(stay, facts) : {};
    case 'weather':
      return stay ? weatherBrief(stay) : {};
    case 'restaurants':
      return stay ? restaurantsBrief(stay, facts) : {};
  }
}

function flightBrief(flight: FlightPart, facts: TripFacts, shape: TripShape): Record<string, unknown> {
  const budget = facts.budget?.usd;
  return {
    origin: flight.from.airport ?? flight.from.name,
    destination: flight.to.airport ?? flight.to.name,
    departDate: flight.departDate,
    ...(flight.returnDate ? { returnDate: flight.returnDate } : {}),
    passengers: facts.travellers ?? 1,
    cabin: facts.cabin ?? 'economy',
    ...(budget !== undefined
      ? { maxTotalUsd: Math.floor((budget * BUDGET_SHARE.flights) / shape.flights.length) }
      : {}),
  };
}

function hotelBrief(stay: StayPart, facts: TripFacts, shape?: TripShape): Record<string, unknown> {
  const budget = facts.budget?.usd;
  const travellers = facts.travellers ?? 1;
  const totalNights = shape ? shape.stays.reduce((sum, s) => sum + s.nights, 0) : stay.nights;
  return {
    city: placeQuery(stay.place),
    checkIn: stay.checkIn,
    checkOut: stay.checkOut,
    guests: travellers,
    rooms: facts.rooms ?? Math.ceil(travellers / GUESTS_PER_ROOM),
    ...(budget !== undefined && totalNights > 0
      ? { maxTotalUsd: Math.floor((budget * BUDGET_SHARE.hotels * stay.nights) / totalNights) }
      : {}),
    ...(facts.interests ? { interests: facts.interests } : {}),
  };
}

function weatherBrief(stay: StayPart): Record<string, unknown> {
  return { place: placeQuery(stay.place), startDate: stay.checkIn, endDate: stay.checkOut };
}

function restaurantsBrief(stay: StayPart, facts: TripFacts): Record<string, unknown> {
  return {
    city: placeQuery(stay.place),
    days: stay.nights + 1,
    ...(facts.dietary?.length ? { dietary: facts.dietary } : {}),
  };
}

/**
 * How the tool servers are told a place: a city by its name, a town as the traveller wrote it
 * (with the qualifier that told it apart: "Portland, Maine"), so every server finds the same one.
 */
export function placeQuery(place: TripFacts['origin'] & object): string {
  return place.kind === 'town' ? place.query : place.name;
}
