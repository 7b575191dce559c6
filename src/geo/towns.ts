import { getGazetteer } from './gazetteer';
import { foldName } from './normalize';
import { readTowns, type TownRow } from './town-source';
import { SMALL_DESTINATIONS } from './small-destinations';
import type { Airport } from './types';

/**
 * Towns by name, and the airports that serve them. Loaded on first use (about a second: the
 * MCP servers never need it), then kept for the process.
 */
export interface Town {
  id: number;
  name: string;
  country: string;
  /** ISO 3166-2 for US and Canadian towns ("US-ME"), undefined elsewhere. */
  region?: string;
  population: number;
  lat: number;
  lon: number;
}

/** An airport with how far it is from the place, and whether it is in town or a gateway. */
export interface ServingAirport {
  airport: Airport;
  distanceKm: number;
  /** The airport carries the town's name or lies within a few kilometres of it. */
  inTown: boolean;
}

interface TownIndex {
  byName: Map<string, Town[]>;
  byId: Map<number, Town>;
}

let index: TownIndex | undefined;
let airportNames: Map<string, string> | undefined;

/** US states and Canadian provinces are GeoNames admin codes already; others are GeoNames' own. */
const ISO_SUBDIVISION_COUNTRIES = new Set(['US', 'CA']);
const CANADIAN_ADMIN: Readonly<Record<string, string>> = {
  '01': 'AB',
  '02': 'BC',
  '03': 'MB',
  '04': 'NB',
  '05': 'NL',
  '07': 'NS',
  '08': 'ON',
  '09': 'PE',
  '10': 'QC',
  '11': 'SK',
  '12': 'YT',
  '13': 'NT',
  '14': 'NU',
};

function regionOf(row: Pick<TownRow, 'country' | 'admin'>): string | undefined {
  if (!ISO_SUBDIVISION_COUNTRIES.has(row.country)) return undefined;
  const code = row.country === 'CA' ? CANADIAN_ADMIN[row.admin] : row.admin;
  return code ? `${row.country}-${code}` : undefined;
}

function build(): TownIndex {
  const byName = new Map<string, Town[]>();
  const byId = new Map<number, Town>();
  const add = (name: string, town: Town) => {
    byId.set(town.id, town);
    const folded = foldName(name);
    const list = byName.get(folded);
    if (list === undefined) byName.set(folded, [town]);
    else if (!list.some((other) => other.id === town.id)) list.push(town);
  };
  for (const row of readTowns()) {
    const region = regionOf(row);
    add(row.name, {
      id: row.id,
      name: row.name,
      country: row.country,
      ...(region ? { region } : {}),
      population: row.population,
      lat: row.lat,
      lon: row.lon,
    });
  }
  SMALL_DESTINATIONS.forEach((place, k) => {
    // Negative ids: these rows are ours, not GeoNames'.
    const town: Town = {
      id: -(k + 1),
      name: place.name,
      country: place.country,
      population: place.population,
      lat: place.lat,
      lon: place.lon,
    };
    for (const name of [place.name, ...place.otherNames]) add(name, town);
  });
  for (const list of byName.values()) list.sort((a, b) => b.population - a.population);
  return { byName, byId };
}

/** Towns of that name, most populous first (empty when none). */
export function townsNamed(name: string): readonly Town[] {
  index ??= build();
  return index.byName.get(foldName(name)) ?? [];
}

/** The town with this id (a GeoNames id, or a negative id for our own small destinations). */
export function townById(id: number): Town | undefined {
  index ??= build();
  return index.byId.get(id);
}

const EARTH_KM = 6371;
export function distanceKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const rad = Math.PI / 180;
  const dLat = (bLat - aLat) * rad;
  const dLon = (bLon - aLon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(aLat * rad) * Math.cos(bLat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Within this distance an airport is the town's own, whatever its name (Zaventem → BRU). */
const IN_TOWN_KM = 12;
/** An airport named for the town may lie this far out (Tianjin Binhai, Salt Lake City). */
const NAMED_KM = 60;
/** Gateways: large airports this far at most, else medium ones closer in. */
const GATEWAY_LARGE_KM = 300;
const GATEWAY_MEDIUM_KM = 120;
const MAX_GATEWAYS = 3;

/**
 * The airports with scheduled service that serve a place at these coordinates: its own (in
 * town, or named for it nearby), else the nearest gateways — large airports within 300 km, or
 * medium ones within 120 km when no large one is near — nearest first.
 */
export function airportsServing(name: string, lat: number, lon: number): ServingAirport[] {
  const folded = foldName(name);
  airportNames ??= new Map(
    [...getGazetteer().airports.values()].map((a) => [a.iata, ` ${foldName(a.name)} `]),
  );
  const own: ServingAirport[] = [];
  const large: ServingAirport[] = [];
  const medium: ServingAirport[] = [];
  for (const airport of getGazetteer().airports.values()) {
    const km = distanceKm(lat, lon, airport.lat, airport.lon);
    if (km > GATEWAY_LARGE_KM) continue;
    const named = km <= NAMED_KM && (airportNames.get(airport.iata) ?? '').includes(` ${folded} `);
    if (km <= IN_TOWN_KM || named) own.push({ airport, distanceKm: Math.round(km), inTown: true });
    if (airport.size === 'large' && !(km <= IN_TOWN_KM || named))
      large.push({ airport, distanceKm: Math.round(km), inTown: false });
    else if (airport.size === 'medium' && km <= GATEWAY_MEDIUM_KM)
      medium.push({ airport, distanceKm: Math.round(km), inTown: false });
  }
  const byDistance = (a: ServingAirport, b: ServingAirport) => a.distanceKm - b.distanceKm;
  // A town with its own airport also lists the metropolitan gateway nearby (Nagoya: NKM and NGO).
  if (own.length > 0)
    return [...own.sort(byDistance), ...large.filter((a) => a.distanceKm <= NAMED_KM).sort(byDistance)];
  const gateways = large.length > 0 ? large : medium;
  return gateways.sort(byDistance).slice(0, MAX_GATEWAYS);
}
