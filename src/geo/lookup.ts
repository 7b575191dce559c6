import { REGION_NAMES } from './city-table';
import { countryName, getGazetteer } from './gazetteer';
import { foldName } from './normalize';
import type { Airport, City, PlaceMatch } from './types';

/** Country names travellers write that are not the ISO English short name. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  uk: 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  usa: 'US',
  us: 'US',
  america: 'US',
  'united states of america': 'US',
  'czech republic': 'CZ',
  turkey: 'TR',
  holland: 'NL',
  uae: 'AE',
  'south korea': 'KR',
  korea: 'KR',
  russia: 'RU',
  vietnam: 'VN',
};

/** Does the written country ("Germany", "de", "UK") name this ISO 3166-1 code? */
function countryMatches(written: string, code: string): boolean {
  const folded = foldName(written);
  return (
    folded === code.toLowerCase() ||
    folded === foldName(countryName(code)) ||
    COUNTRY_ALIASES[folded] === code
  );
}

/** Does the written region ("OR", "Oregon") name this ISO 3166-2 subdivision? */
function regionMatches(written: string, region: string | undefined): boolean {
  if (region === undefined) return false;
  const folded = foldName(written);
  const name = REGION_NAMES[region];
  return folded === region.slice(3).toLowerCase() || (name !== undefined && folded === foldName(name));
}

/** Does a qualifier written after a place ("OR", "Oregon", "USA") agree with it? */
export function qualifierAgrees(match: PlaceMatch, written: string): boolean {
  const country = match.kind === 'city' ? match.city.country : match.airport.country;
  const region = match.kind === 'city' ? match.city.region : undefined;
  return regionMatches(written, region) || countryMatches(written, country);
}

/** The match, if every qualifier after the name agrees with it; else undefined. */
function qualified(match: PlaceMatch, qualifiers: readonly string[]): PlaceMatch | undefined {
  return qualifiers.every((written) => qualifierAgrees(match, written)) ? match : undefined;
}

function byCode(code: string): PlaceMatch | undefined {
  const { airports, cityOfAirport, metroCodes } = getGazetteer();
  const upper = code.toUpperCase();
  const airport = airports.get(upper);
  if (airport !== undefined) return { kind: 'airport', airport, city: cityOfAirport.get(upper) };
  const city = metroCodes.get(upper);
  return city === undefined ? undefined : { kind: 'city', city };
}

/**
 * What a traveller typed ("Köln", "Cologne", "CGN", "new york", "Paris, France", "Portland, OR")
 * → the place, or undefined when we do not know it (never a guess). Three capital letters read as
 * a code first, so "GOA" is Genoa's airport while "Goa" is the Indian state's; a lower-case code
 * still resolves when no name matches. Whatever follows a comma (a country, or a US, Canadian or
 * Australian state) must agree with the place: "Paris, Texas" and "Portland, Maine" are unknown.
 */
export function lookupPlace(text: string): PlaceMatch | undefined {
  const { names } = getGazetteer();
  const whole = names.get(foldName(text)); // names with a comma in them: "Washington, D.C."
  if (whole !== undefined && text.includes(',')) return whole;
  const [namePart = '', ...rest] = text.split(',');
  const name = namePart.trim();
  const qualifiers = rest.map((part) => part.trim());
  if (name.length === 0 || qualifiers.some((part) => part.length === 0)) return undefined;

  if (/^[A-Z]{3}$/.test(name)) {
    const coded = byCode(name);
    if (coded !== undefined) return qualified(coded, qualifiers);
  }
  const named = names.get(foldName(name));
  if (named !== undefined) return qualified(named, qualifiers);
  if (/^[a-z]{3}$/i.test(name)) {
    const coded = byCode(name);
    if (coded !== undefined) return qualified(coded, qualifiers);
  }
  return undefined;
}

/** An airport with scheduled passenger service by IATA code (any case); undefined otherwise. */
export function airportByIata(code: string): Airport | undefined {
  return getGazetteer().airports.get(code.trim().toUpperCase());
}

/** The curated city an airport serves (LGW → London), if it is in the city table. */
export function cityOfAirport(code: string): City | undefined {
  return getGazetteer().cityOfAirport.get(code.trim().toUpperCase());
}

/** A city by its stable key (its main airport's IATA code). */
export function cityByKey(key: string): City | undefined {
  const city = cityOfAirport(key);
  return city?.key === key.trim().toUpperCase() ? city : undefined;
}

/** Every city in the table, in table order. */
export function allCities(): readonly City[] {
  return getGazetteer().cities;
}
