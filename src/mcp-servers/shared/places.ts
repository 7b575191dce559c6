import { z } from 'zod';
import {
  airportByIata,
  cityByKey,
  cityOfAirport,
  countryName,
  lookupPlace,
  type Airport,
  type City,
} from '../../geo';
import { resolvePlace, type ResolvedPlace } from '../../geo/resolve-place';
import { airportsServing, townById } from '../../geo/towns';

/** A tool argument naming the city a stay or a meal is for, as `resolveCity` reads it. */
export const cityQuerySchema = z
  .string()
  .trim()
  .min(2)
  .max(100)
  .describe(
    'City name, native or English, accents optional ("Lisboa", "Lisbon"), optionally with its country ("Lisbon, Portugal"), or an airport IATA code ("LIS").',
  );

/**
 * The tool servers' view of the gazetteer (src/geo): a place a stay, a meal or a forecast is
 * generated for. Either a curated city, or — for an airport outside the city table, typed by its
 * IATA code — the area around that airport, named after it (the source has no city field, so we
 * never invent one).
 */
export interface Destination {
  /**
   * Stable key for everything generated here: the city's key, the airport's IATA code, or for a
   * town without its own entry `T<GeoNames id>` (`S<n>` for our own small destinations).
   */
  key: string;
  kind: 'city' | 'airport_area' | 'town';
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  countryName: string;
  timeZone: string;
  lat: number;
  lon: number;
  /** Approximate elevation in metres; undefined when unknown (airport areas). */
  elevationM: number | undefined;
  mainAirport: Airport;
  airports: readonly Airport[];
}

export type { Airport };

function fromCity(city: City): Destination {
  const [mainAirport] = city.airports;
  if (mainAirport === undefined) throw new Error(`city ${city.name} has no airport`); // the gazetteer never builds one
  return {
    key: city.key,
    kind: 'city',
    name: city.name,
    country: city.country,
    countryName: city.countryName,
    timeZone: city.timeZone,
    lat: city.lat,
    lon: city.lon,
    elevationM: city.elevationM,
    mainAirport,
    airports: city.airports,
  };
}

function aroundAirport(airport: Airport): Destination {
  return {
    key: airport.iata,
    kind: 'airport_area',
    name: airport.cityName,
    country: airport.country,
    countryName: countryName(airport.country),
    timeZone: airport.timeZone,
    lat: airport.lat,
    lon: airport.lon,
    elevationM: undefined,
    mainAirport: airport,
    airports: [airport],
  };
}

/** The destination an airport belongs to: its city, or the area around it. */
export function destinationOfAirport(airport: Airport): Destination {
  const city = cityOfAirport(airport.iata);
  return city === undefined ? aroundAirport(airport) : fromCity(city);
}

/** The key a town's stays and meals are generated under. */
function townKey(id: number): string {
  return id >= 0 ? `T${id}` : `S${-id}`;
}

function townDestination(
  town: { id: number; name: string; country: string; lat: number; lon: number },
  airports: readonly Airport[],
): Destination | undefined {
  const [mainAirport] = airports;
  if (mainAirport === undefined) return undefined;
  return {
    key: townKey(town.id),
    kind: 'town',
    name: town.name,
    country: town.country,
    countryName: countryName(town.country),
    timeZone: mainAirport.timeZone,
    lat: town.lat,
    lon: town.lon,
    elevationM: undefined,
    mainAirport,
    airports,
  };
}

/** A town, region or country the gazetteer knows beyond its cities and airports. */
function fromPlace(place: ResolvedPlace): Destination | undefined {
  const airports = place.airports.map((served) => served.airport);
  const id = /^town:(-?\d+)$/.exec(place.key)?.[1];
  if (place.kind === 'town' && id !== undefined) {
    return townDestination({ ...place, id: Number(id) }, airports);
  }
  // A region or a country: stays and meals where its main airport is.
  return airports[0] === undefined ? undefined : destinationOfAirport(airports[0]);
}

/**
 * A traveller's place for stays, meals and weather: a city ("Köln", "Cologne", "new york"), a city
 * with its country ("Paris, France"), an airport code (LGW → London; AAL → around Aalborg
 * Airport), or a town the gazetteer knows ("Zermatt", "Portland, Maine"), served by its nearest
 * airports. Undefined for an unknown place.
 */
export function resolveCity(query: string): Destination | undefined {
  const match = lookupPlace(query);
  if (match !== undefined) {
    return match.kind === 'city' ? fromCity(match.city) : destinationOfAirport(match.airport);
  }
  const place = resolvePlace(query);
  return place === undefined ? undefined : fromPlace(place);
}

/** A destination by its key, as encoded in offer ids (a city key, an airport-area IATA code, a town). */
export function destinationByKey(key: string): Destination | undefined {
  const town = /^([TS])(\d{1,10})$/.exec(key);
  if (town) {
    const found = townById(town[1] === 'T' ? Number(town[2]) : -Number(town[2]));
    if (found === undefined) return undefined;
    const airports = airportsServing(found.name, found.lat, found.lon).map((served) => served.airport);
    return townDestination(found, airports);
  }
  const city = cityByKey(key);
  if (city !== undefined) return fromCity(city);
  const airport = airportByIata(key);
  return airport === undefined || cityOfAirport(airport.iata) !== undefined
    ? undefined
    : aroundAirport(airport);
}

/** An airport for a flight search: the exact airport for a code, a city's main airport otherwise. */
export function resolveAirport(query: string): Airport | undefined {
  const match = lookupPlace(query);
  if (match === undefined) return undefined;
  return match.kind === 'airport' ? match.airport : match.city.airports[0];
}

export { airportByIata, cityOfAirport };
