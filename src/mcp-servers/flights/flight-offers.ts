import type { Money } from '../../stores/types';
import { localTimeToInstant, toLocalIso } from '../shared/dates';
import { UnknownOfferError } from '../shared/errors';
import { greatCircleKm } from '../shared/geo';
import { market } from '../shared/market';
import { usd } from '../shared/money';
import { airportByIata, type Airport } from '../shared/places';
import { seasonalPriceFactor } from '../shared/seasons';
import { SeededRandom } from '../shared/seeded-random';
import { CONNECTING_HUBS, homeCarrier, hubCarrier, nonstopCarriers, type Airline } from './airlines';
import { decodeFlightOfferId, encodeFlightOfferId, type Cabin, type FlightOfferKey } from './flight-offer-id';

export interface FlightSegment {
  flightNumber: string;
  airline: Airline;
  from: string;
  to: string;
  /** Local times with their UTC offsets. */
  departure: string;
  arrival: string;
  durationMinutes: number;
  distanceKm: number;
  aircraft: string;
}

export interface FlightSlice {
  from: string;
  to: string;
  departure: string;
  arrival: string;
  durationMinutes: number;
  stops: number;
  segments: FlightSegment[];
}

export interface FlightOffer {
  offerId: string;
  cabin: Cabin;
  passengers: number;
  outbound: FlightSlice;
  inbound?: FlightSlice;
  pricePerPassenger: Money;
  totalPrice: Money;
  fare: { refundable: boolean; changeFee: Money; checkedBags: number };
  seatsLeft: number;
}

export type FlightQuery = Omit<FlightOfferKey, 'index'>;

const CABIN_PRICE_FACTOR: Record<Cabin, number> = {
  economy: 1,
  premium_economy: 1.7,
  business: 3.8,
  first: 6.5,
};
/** Beyond this even the longest nonstop routes stop being flown. */
const MAX_NONSTOP_KM = 15_000;

/** Block time: about 800 km/h over the great circle plus ~35 minutes of taxi, climb and descent. */
export function blockMinutes(distanceKm: number): number {
  return Math.round((35 + (distanceKm / 800) * 60) / 5) * 5;
}

function aircraftFor(distanceKm: number, random: SeededRandom): string {
  if (distanceKm < 2_500)
    return random.pick(['Airbus A320neo', 'Boeing 737-800', 'Airbus A321neo', 'Embraer E190']);
  if (distanceKm < 7_000) return random.pick(['Airbus A330-300', 'Boeing 767-300ER', 'Boeing 787-8']);
  return random.pick(['Boeing 787-9', 'Airbus A350-900', 'Boeing 777-300ER']);
}

/** Hubs that make a one-stop itinerary at most 35% longer than the direct route. */
function connectingHubs(origin: Airport, destination: Airport): Airport[] {
  const direct = greatCircleKm(origin, destination);
  return CONNECTING_HUBS.map((code) => airportByIata(code))
    .filter(
      (hub): hub is Airport => hub !== undefined && hub.iata !== origin.iata && hub.iata !== destination.iata,
    )
    .map((hub) => ({ hub, detour: (greatCircleKm(origin, hub) + greatCircleKm(hub, destination)) / direct }))
    .filter(({ detour }) => detour < 1.35)
    .sort((a, b) => a.detour - b.detour)
    .slice(0, 3)
    .map(({ hub }) => hub);
}

function segment(
  airline: Airline,
  from: Airport,
  to: Airport,
  departureInstant: Date,
  random: SeededRandom,
): { segment: FlightSegment; arrivalInstant: Date } {
  const distanceKm = Math.round(greatCircleKm(from, to));
  const durationMinutes = blockMinutes(distanceKm);
  const arrivalInstant = new Date(departureInstant.getTime() + durationMinutes * 60_000);
  return {
    arrivalInstant,
    segment: {
      flightNumber: `${airline.code}${random.int(10, 1999)}`,
      airline,
      from: from.iata,
      to: to.iata,
      departure: toLocalIso(departureInstant, from.timeZone),
      arrival: toLocalIso(arrivalInstant, to.timeZone),
      durationMinutes,
      distanceKm,
      aircraft: aircraftFor(distanceKm, random),
    },
  };
}

/** The day's itineraries between two airports: nonstops by each carrier plus one-stops through hubs. */
function schedule(origin: Airport, destination: Airport, date: string): FlightSlice[] {
  const random = SeededRandom.from(['flight-schedule', origin.iata, destination.iata, date]);
  const distance = greatCircleKm(origin, destination);
  const carriers = nonstopCarriers(origin, destination, distance);
  const slices: FlightSlice[] = [];

  const build = (legs: Airport[], airline: Airline): FlightSlice => {
    const departureMinutes = random.int(6 * 12, 22 * 12) * 5; // 06:00–22:00 local, on the 5 minutes.
    let departure = localTimeToInstant(date, departureMinutes, origin.timeZone);
    const firstDeparture = departure;
    const segments: FlightSegment[] = [];
    for (let i = 0; i + 1 < legs.length; i++) {
      const leg = segment(airline, legs[i], legs[i + 1], departure, random);
      segments.push(leg.segment);
      departure = new Date(leg.arrivalInstant.getTime() + random.int(12, 36) * 5 * 60_000); // 1–3 h layover.
    }
    const last = segments[segments.length - 1];
    const arrivalInstant = new Date(Date.parse(last.arrival));
    return {
      from: origin.iata,
      to: destination.iata,
      departure: toLocalIso(firstDeparture, origin.timeZone),
      arrival: last.arrival,
      durationMinutes: Math.round((arrivalInstant.getTime() - firstDeparture.getTime()) / 60_000),
      stops: segments.length - 1,
      segments,
    };
  };

  if (distance <= MAX_NONSTOP_KM && carriers.length > 0) {
    const nonstops =
      distance < 1_500 ? random.int(4, 6) : distance < 6_000 ? random.int(3, 5) : random.int(1, 3);
    for (let i = 0; i < nonstops; i++)
      slices.push(build([origin, destination], carriers[i % carriers.length]));
  }
  const viaHub = (hub: Airport) => hubCarrier(hub.iata) ?? homeCarrier(hub.country);
  for (const hub of connectingHubs(origin, destination)) {
    const airline = viaHub(hub);
    if (airline) slices.push(build([origin, hub, destination], airline));
  }
  if (slices.length === 0) {
    // No hub lies on the way (e.g. remote antipodes): route through the nearest hub to the origin.
    const nearest = CONNECTING_HUBS.map((code) => airportByIata(code))
      .filter(
        (hub): hub is Airport =>
          hub !== undefined && hub.iata !== origin.iata && hub.iata !== destination.iata,
      )
      .sort((a, b) => greatCircleKm(origin, a) - greatCircleKm(origin, b))[0];
    const airline = nearest && viaHub(nearest);
    if (nearest && airline) slices.push(build([origin, nearest, destination], airline));
  }
  return slices.sort((a, b) => a.departure.localeCompare(b.departure));
}

function sliceDistanceKm(slice: FlightSlice): number {
  return slice.segments.reduce((sum, leg) => sum + leg.distanceKm, 0);
}

/** One passenger, one way: distance-based, cheaper with a stop, dearer in season and in better cabins. */
function slicePrice(
  slice: FlightSlice,
  date: string,
  destination: Airport,
  cabin: Cabin,
  random: SeededRandom,
): number {
  const base = 45 + 0.085 * sliceDistanceKm(slice);
  const stopDiscount = slice.stops > 0 ? 0.82 : 1;
  return (
    base *
    stopDiscount *
    seasonalPriceFactor(date, destination.lat) *
    CABIN_PRICE_FACTOR[cabin] *
    random.between(0.85, 1.3)
  );
}

function requireAirport(code: string, offerId?: string): Airport {
  const airport = airportByIata(code);
  if (!airport) throw new UnknownOfferError(offerId ?? code, `unknown airport ${code}`);
  return airport;
}

/**
 * Every offer for a query, in generation order; `index` in an offer id points into this list.
 * Airports must be IATA codes (resolve names first). Deterministic: the same query, the same offers.
 */
export function generateFlightOffers(query: FlightQuery): FlightOffer[] {
  const origin = requireAirport(query.origin);
  const destination = requireAirport(query.destination);
  const outbound = schedule(origin, destination, query.departDate);
  const inbound =
    query.returnDate === undefined ? undefined : schedule(destination, origin, query.returnDate);
  const random = SeededRandom.from([
    'flight-fares',
    query.origin,
    query.destination,
    query.departDate,
    query.returnDate ?? null,
    query.cabin,
  ]);

  return outbound.map((out, index) => {
    const back = inbound === undefined ? undefined : random.pick(inbound);
    let perPassenger = slicePrice(out, query.departDate, destination, query.cabin, random);
    if (back !== undefined && query.returnDate !== undefined) {
      perPassenger = (perPassenger + slicePrice(back, query.returnDate, origin, query.cabin, random)) * 0.95;
    }
    const premium = query.cabin === 'business' || query.cabin === 'first';
    const longHaul = sliceDistanceKm(out) > 3_000;
    const price = usd(perPassenger);
    return {
      offerId: encodeFlightOfferId({ ...query, index }),
      cabin: query.cabin,
      passengers: query.passengers,
      outbound: out,
      ...(back === undefined ? {} : { inbound: back }),
      pricePerPassenger: price,
      totalPrice: usd(price.amount * query.passengers),
      fare: {
        refundable: premium,
        changeFee: usd(premium ? 0 : longHaul ? 150 : 60),
        checkedBags: premium ? 2 : longHaul ? 1 : 0,
      },
      seatsLeft: random.int(query.passengers, 9 + query.passengers),
    };
  });
}

/** Re-derives an offer from its id alone (for details and booking), or throws UnknownOfferError. */
export function flightOfferById(offerId: string): FlightOffer {
  const key = decodeFlightOfferId(offerId);
  if (!key)
    throw new UnknownOfferError(offerId, 'not a flight offer id (expected e.g. FL-LHR-JFK-20270315-OW-Y1-0)');
  const offers = generateFlightOffers(key);
  const offer = offers[key.index];
  if (!offer) throw new UnknownOfferError(offerId, `the search returned ${offers.length} offers`);
  return offer;
}

/** `offer` at the market's current price (`lookup`: this is a read by id, e.g. the details tool). */
export function atMarketPrice(offer: FlightOffer, options: { lookup?: boolean } = {}): FlightOffer {
  const totalPrice = market.priceOf('flight', offer.offerId, offer.totalPrice, options);
  if (totalPrice.amount === offer.totalPrice.amount) return offer;
  return { ...offer, totalPrice, pricePerPassenger: usd(totalPrice.amount / offer.passengers) };
}
