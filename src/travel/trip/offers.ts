/**
 * Offers as the tool servers state them, and the checks that decide whether an offer a model
 * chose can be quoted at all: the route, dates, party, cabin and rooms must be the traveller's,
 * whatever the model said about them. Pure: the orchestration fetches the offers by id and passes
 * them in; nothing here trusts a model's description or price.
 */
import { z } from 'zod';
import type { Issue } from '../../agents/contracts';
import type { TripFacts } from '../schemas';
import { partKey, shapeOf } from './shape';

const amountSchema = z.object({ amount: z.number().positive(), currency: z.string() });

const flightSliceSchema = z.looseObject({
  from: z.string(),
  to: z.string(),
  departure: z.string(),
  arrival: z.string(),
  durationMinutes: z.number().optional(),
  stops: z.number().int().nonnegative(),
  segments: z
    .array(
      z.looseObject({
        flightNumber: z.string(),
        airline: z.looseObject({ name: z.string() }),
        from: z.string(),
        to: z.string(),
        departure: z.string(),
        arrival: z.string(),
      }),
    )
    .min(1),
});

/** The part of `get_flight_details`' offer the planner relies on (the rest is kept as is). */
export const flightOfferSchema = z.looseObject({
  offerId: z.string(),
  cabin: z.string(),
  passengers: z.number().int().positive(),
  outbound: flightSliceSchema,
  inbound: flightSliceSchema.optional(),
  totalPrice: amountSchema,
});
export type FlightOffer = z.infer<typeof flightOfferSchema>;

/** The part of `get_hotel_details`' offer the planner relies on. */
export const hotelOfferSchema = z.looseObject({
  offerId: z.string(),
  hotel: z.looseObject({
    name: z.string(),
    city: z.string(),
    country: z.string(),
    stars: z.number().optional(),
  }),
  checkIn: z.string(),
  checkOut: z.string(),
  nights: z.number().int().positive(),
  guests: z.number().int().positive(),
  rooms: z.number().int().positive(),
  roomType: z.string().optional(),
  totalPrice: amountSchema,
});
export type HotelOffer = z.infer<typeof hotelOfferSchema>;

/** What a flight must be to serve the trip. */
export interface FlightNeed {
  /** Airports the trip may leave from and return to (IATA). */
  from: readonly string[];
  /** Airports at the destination (IATA). */
  to: readonly string[];
  departDate: string;
  /** Absent for one way. */
  returnDate?: string;
  passengers: number;
  cabin: string;
}

/** What a hotel stay must be to serve the trip. */
export interface HotelNeed {
  city: string;
  checkIn: string;
  checkOut: string;
  guests: number;
  rooms: number;
}

/** Guests a room takes when the traveller did not say how many rooms. */
export const GUESTS_PER_ROOM = 2;

/** The airports a resolved place can be reached through (its own, or listed gateways). */
export function airportsOf(place: TripFacts['origin']): string[] {
  if (!place) return [];
  const listed = (place as { airports?: readonly (string | { iata?: string })[] }).airports ?? [];
  const codes = listed
    .map((a) => (typeof a === 'string' ? a : a.iata))
    .filter((c): c is string => typeof c === 'string');
  return [...new Set([...(place.airport ? [place.airport] : []), ...codes])];
}

/** The flights and stays a trip with these facts needs, by part key (empty before it has a shape). */
export interface TripNeeds {
  flights: Record<string, FlightNeed>;
  hotels: Record<string, HotelNeed>;
}

export function needsOf(facts: TripFacts): TripNeeds {
  const needs: TripNeeds = { flights: {}, hotels: {} };
  const shaped = shapeOf(facts);
  if (!shaped || !('shape' in shaped)) return needs;
  const travellers = facts.travellers ?? 1;
  for (const flight of shaped.shape.flights) {
    needs.flights[flight.key] = {
      from: airportsOf(flight.from),
      to: airportsOf(flight.to),
      departDate: flight.departDate,
      ...(flight.returnDate ? { returnDate: flight.returnDate } : {}),
      passengers: travellers,
      cabin: facts.cabin ?? 'economy',
    };
  }
  const stays = shaped.shape.stays;
  for (const stay of stays) {
    needs.hotels[partKey('hotels', stay.index, stays.length)] = {
      city: stay.place.name,
      checkIn: stay.checkIn,
      checkOut: stay.checkOut,
      guests: travellers,
      rooms: facts.rooms ?? Math.ceil(travellers / GUESTS_PER_ROOM),
    };
  }
  return needs;
}

/** Where `offer` differs from what the trip needs; empty when it can be quoted. */
export function checkFlightOffer(offer: FlightOffer, need: FlightNeed, part = 'flights'): Issue[] {
  const issues: Issue[] = [];
  const at = (path: string, issue: string) => issues.push({ path: `${part}.${path}`, issue });
  const { outbound, inbound } = offer;
  if (!need.from.includes(outbound.from))
    at('origin', `leaves from ${outbound.from}, not from ${need.from.join('/')}`);
  if (!need.to.includes(outbound.to))
    at('destination', `flies to ${outbound.to}, not to ${need.to.join('/')}`);
  if (localDate(outbound.departure) !== need.departDate)
    at('departDate', `departs on ${localDate(outbound.departure)}, not on ${need.departDate}`);
  if (need.returnDate === undefined) {
    if (inbound) at('returnDate', 'is a round trip; the trip is one way');
  } else if (!inbound) {
    at('returnDate', `is one way; the trip returns on ${need.returnDate}`);
  } else {
    if (!need.to.includes(inbound.from) || !need.from.includes(inbound.to))
      at('returnRoute', `returns ${inbound.from} → ${inbound.to}, not to ${need.from.join('/')}`);
    if (localDate(inbound.departure) !== need.returnDate)
      at('returnDate', `returns on ${localDate(inbound.departure)}, not on ${need.returnDate}`);
  }
  if (offer.passengers !== need.passengers)
    at('passengers', `is for ${offer.passengers} passenger(s), not ${need.passengers}`);
  if (offer.cabin !== need.cabin) at('cabin', `is in ${offer.cabin}, not ${need.cabin}`);
  if (offer.totalPrice.currency !== 'USD') at('price', `is priced in ${offer.totalPrice.currency}, not USD`);
  return issues;
}

export function checkHotelOffer(offer: HotelOffer, need: HotelNeed, part = 'hotels'): Issue[] {
  const issues: Issue[] = [];
  const at = (path: string, issue: string) => issues.push({ path: `${part}.${path}`, issue });
  if (plain(offer.hotel.city) !== plain(need.city))
    at('city', `is in ${offer.hotel.city}, not in ${need.city}`);
  if (offer.checkIn !== need.checkIn) at('checkIn', `checks in on ${offer.checkIn}, not on ${need.checkIn}`);
  if (offer.checkOut !== need.checkOut)
    at('checkOut', `checks out on ${offer.checkOut}, not on ${need.checkOut}`);
  if (offer.guests !== need.guests) at('guests', `is for ${offer.guests} guest(s), not ${need.guests}`);
  if (offer.rooms < need.rooms) at('rooms', `has ${offer.rooms} room(s); the party needs ${need.rooms}`);
  if (offer.totalPrice.currency !== 'USD') at('price', `is priced in ${offer.totalPrice.currency}, not USD`);
  return issues;
}

/** "Aerolíneas Argentinas, SEA 10 Mar 07:15 → FTE 11 Mar 09:40, 1 stop; back …; 2 passengers, economy". */
export function describeFlight(offer: FlightOffer): string {
  const slice = (s: FlightOffer['outbound']) =>
    `${s.from} ${dayTime(s.departure)} → ${s.to} ${dayTime(s.arrival)}, ${s.stops === 0 ? 'non-stop' : `${s.stops} stop${s.stops > 1 ? 's' : ''}`}`;
  const airline = offer.outbound.segments[0].airline.name;
  return (
    `${airline}: ${slice(offer.outbound)}` +
    (offer.inbound ? `; back ${slice(offer.inbound)}` : '') +
    `; ${offer.passengers} passenger${offer.passengers > 1 ? 's' : ''}, ${offer.cabin.replace('_', ' ')}`
  );
}

/** "Hotel Kau Yatun (4★), El Calafate: 10 Mar → 14 Mar, 4 nights, 2 guests, 1 room". */
export function describeHotel(offer: HotelOffer): string {
  const stars = offer.hotel.stars ? ` (${offer.hotel.stars}★)` : '';
  return (
    `${offer.hotel.name}${stars}, ${offer.hotel.city}: ${dayMonth(offer.checkIn)} → ${dayMonth(offer.checkOut)}, ` +
    `${offer.nights} night${offer.nights > 1 ? 's' : ''}, ${offer.guests} guest${offer.guests > 1 ? 's' : ''}, ` +
    `${offer.rooms} room${offer.rooms > 1 ? 's' : ''}` +
    (offer.roomType ? ` (${offer.roomType})` : '')
  );
}

/** The local calendar date of an ISO local time with offset ("2027-03-10T07:15:00-08:00"). */
export function localDate(isoLocal: string): string {
  return isoLocal.slice(0, 10);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function dayMonth(isoDate: string): string {
  return `${Number(isoDate.slice(8, 10))} ${MONTHS[Number(isoDate.slice(5, 7)) - 1] ?? isoDate.slice(5, 7)}`;
}

function dayTime(isoLocal: string): string {
  return `${dayMonth(isoLocal)} ${isoLocal.slice(11, 16)}`;
}

/** Case and accents folded, for comparing place names. */
function plain(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim();
}
