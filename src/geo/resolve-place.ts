import { REGION_NAMES } from './city-table';
import { TOWN_EXONYMS } from './exonyms';
import { countryName, getGazetteer } from './gazetteer';
import { lookupPlace, qualifierAgrees } from './lookup';
import { foldName } from './normalize';
import { REGION_ROWS } from './regions';
import { airportsServing, distanceKm, townsNamed, type ServingAirport, type Town } from './towns';
import type { PlaceMatch } from './types';

/**
 * A place a traveller named, resolved for planning: what it is, where, and which airports with
 * scheduled service serve it — its own, or the nearest gateways with the distance over land.
 */
export interface ResolvedPlace {
  /** Stable id: a city's key, an airport's IATA code, "region:<name>", "country:<CC>", "town:<GeoNames id>". */
  key: string;
  kind: 'city' | 'airport' | 'region' | 'country' | 'town';
  /** English name for curated cities and regions, the GeoNames name for towns. */
  name: string;
  /** ISO 3166-1 alpha-2 and its English name. */
  country: string;
  countryName: string;
  /** ISO 3166-2 where known (US, Canadian and Australian places). */
  region?: string;
  /** Other names of the place (native, former, other languages). */
  otherNames: readonly string[];
  lat: number;
  lon: number;
  /** Airports with scheduled service, nearest or most used first. */
  airports: readonly ServingAirport[];
  /** How to get there from the airport when none is in town ("fly to Zurich (ZRH, 160 km) …"). */
  ground?: string;
}

/** What helps tell homonyms apart: the countries of the other places in the request, the language's countries. */
export interface PlaceHints {
  countries?: readonly string[];
}

/**
 * `text` ("Zermatt", "Portland, Maine", "Lissabon", "Crete", "Zaventem", "LHR") → the place, or
 * undefined when no source knows it (never a guess). Curated cities and airports first (as the
 * MCP servers resolve them), then regions, countries and towns; a qualifier after a comma or in
 * brackets must agree.
 */
export function resolvePlace(text: string, hints: PlaceHints = {}): ResolvedPlace | undefined {
  // A qualifier in brackets ("Saint-Louis (Haut-Rhin)") may be one we cannot check (a French
  // département): it is then set aside. One after a comma must be checkable and agree.
  const bracket = /\s*\(([^)]*)\)\s*$/.exec(text.trim());
  const bare = bracket ? text.trim().slice(0, bracket.index) : text.trim();
  const trimmed = bracket && checkable(bracket[1]) ? `${bare}, ${bracket[1].trim()}` : bare;
  const known = lookupPlace(trimmed);
  if (known !== undefined) return fromMatch(known);
  const [namePart = '', ...qualifiers] = trimmed.split(',').map((part) => part.trim());
  const exonym = TOWN_EXONYMS[namePart];
  const name = exonym ?? namePart;
  if (exonym !== undefined) {
    const curated = lookupPlace([exonym, ...qualifiers].join(', '));
    if (curated !== undefined) return fromMatch(curated);
  }
  const town = byRegion(name, qualifiers) ?? byCountry(name) ?? byTown(name, qualifiers, hints);
  return town && exonym !== undefined ? { ...town, otherNames: [...town.otherNames, namePart] } : town;
}

function fromMatch(match: PlaceMatch): ResolvedPlace {
  if (match.kind === 'city' || match.city !== undefined) {
    const city = match.kind === 'city' ? match.city : match.city!;
    const airports =
      match.kind === 'airport'
        ? [match.airport, ...city.airports.filter((a) => a !== match.airport)]
        : city.airports;
    return {
      key: city.key,
      kind: 'city',
      name: city.name,
      country: city.country,
      countryName: city.countryName,
      ...(city.region ? { region: city.region } : {}),
      otherNames: city.otherNames,
      lat: city.lat,
      lon: city.lon,
      airports: airports.map((airport) => ({
        airport,
        distanceKm: Math.round(distanceKm(city.lat, city.lon, airport.lat, airport.lon)),
        inTown: true,
      })),
    };
  }
  const { airport } = match;
  return {
    key: airport.iata,
    kind: 'airport',
    name: airport.cityName,
    country: airport.country,
    countryName: countryName(airport.country),
    otherNames: [],
    lat: airport.lat,
    lon: airport.lon,
    airports: [{ airport, distanceKm: 0, inTown: true }],
  };
}

function byRegion(name: string, qualifiers: readonly string[]): ResolvedPlace | undefined {
  const folded = foldName(name);
  const row = REGION_ROWS.find(
    (candidate) =>
      foldName(candidate.name) === folded ||
      candidate.otherNames.split(';').some((other) => other.trim() !== '' && foldName(other) === folded),
  );
  if (row === undefined) return undefined;
  const { airports } = getGazetteer();
  const served = row.airports.flatMap((code) => {
    const airport = airports.get(code);
    return airport ? [{ airport, distanceKm: 0, inTown: true }] : [];
  });
  const main = served[0]?.airport;
  if (main === undefined || !qualifiers.every((q) => countryAgrees(q, row.country))) return undefined;
  return {
    key: `region:${row.name}`,
    kind: 'region',
    name: row.name,
    country: row.country,
    countryName: countryName(row.country),
    otherNames: row.otherNames
      .split(';')
      .map((other) => other.trim())
      .filter(Boolean),
    lat: main.lat,
    lon: main.lon,
    airports: served,
  };
}

const COUNTRY_LANGUAGES = ['en', 'de', 'fr', 'es', 'pt', 'it', 'nl', 'ja', 'zh', 'ru'] as const;
let countryNames: Map<string, string> | undefined;

/** Folded country name in any of the planner's languages → ISO code ("Japón" → JP). */
function countryCodeOf(name: string): string | undefined {
  if (countryNames === undefined) {
    countryNames = new Map();
    const codes = new Set([...getGazetteer().airports.values()].map((airport) => airport.country));
    for (const language of COUNTRY_LANGUAGES) {
      const names = new Intl.DisplayNames(language, { type: 'region' });
      for (const code of codes) {
        const written = names.of(code);
        if (written && written !== code) countryNames.set(foldName(written), code);
      }
    }
  }
  return countryNames.get(foldName(name));
}

/** A country named as a destination: its main curated city is the gateway (an inference the run states). */
function byCountry(name: string): ResolvedPlace | undefined {
  const code = countryCodeOf(name);
  if (code === undefined) return undefined;
  const cities = getGazetteer().cities.filter((city) => city.country === code);
  const main = cities[0];
  if (main === undefined) return undefined;
  return {
    key: `country:${code}`,
    kind: 'country',
    name: countryName(code),
    country: code,
    countryName: countryName(code),
    otherNames: [name],
    lat: main.lat,
    lon: main.lon,
    airports: cities
      .slice(0, 3)
      .flatMap((city) =>
        city.airports.slice(0, 1).map((airport) => ({ airport, distanceKm: 0, inTown: false })),
      ),
    ground: `${countryName(code)}: the main gateway is ${main.name} (${main.key})`,
  };
}

function countryAgrees(written: string, country: string): boolean {
  const folded = foldName(written);
  return folded === country.toLowerCase() || countryCodeOf(written) === country;
}

function regionAgrees(written: string, town: Town): boolean {
  if (town.region === undefined) return false;
  const folded = foldName(written);
  const name = REGION_NAMES[town.region];
  return folded === town.region.slice(3).toLowerCase() || (name !== undefined && folded === foldName(name));
}

/** A qualifier we can check: a country, or a US, Canadian or Australian subdivision. */
export function checkable(written: string): boolean {
  const folded = foldName(written);
  return (
    countryCodeOf(written) !== undefined ||
    /^[a-z]{2}$/.test(folded) ||
    Object.values(REGION_NAMES).some((region) => foldName(region) === folded)
  );
}

function byTown(name: string, qualifiers: readonly string[], hints: PlaceHints): ResolvedPlace | undefined {
  const candidates = townsNamed(name).filter((town) =>
    qualifiers.every((q) => regionAgrees(q, town) || countryAgrees(q, town.country)),
  );
  if (candidates.length === 0) return undefined;
  // Homonyms: a town in a country the request already involves, else the most populous.
  const preferred = hints.countries ?? [];
  const town =
    candidates.find((candidate) => preferred.includes(candidate.country) && candidate.population >= 1000) ??
    candidates[0];
  const airports = airportsServing(town.name, town.lat, town.lon);
  const gateway = airports.length > 0 && !airports[0].inTown;
  return {
    key: `town:${town.id}`,
    kind: 'town',
    name: town.name,
    country: town.country,
    countryName: countryName(town.country),
    ...(town.region ? { region: town.region } : {}),
    otherNames: [],
    lat: town.lat,
    lon: town.lon,
    airports,
    ...(gateway ? { ground: groundLeg(town.name, airports) } : {}),
  };
}

/** "Zermatt: fly to Milan (MXP, 94 km) or Zurich (ZRH, 135 km), then over land." */
export function groundLeg(place: string, airports: readonly ServingAirport[]): string {
  const named = airports.map(
    (served) => `${served.airport.cityName} (${served.airport.iata}, ${served.distanceKm} km)`,
  );
  const list = named.length > 1 ? `${named.slice(0, -1).join(', ')} or ${named.at(-1)!}` : (named[0] ?? '');
  return `${place} has no airport with scheduled flights: fly to ${list}, then by train or road.`;
}

/** For callers that hold a match: does a written qualifier agree with the place? */
export { qualifierAgrees };
