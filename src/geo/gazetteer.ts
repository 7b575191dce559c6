import { createLogger } from '../telemetry/logger';
import { readScheduledAirports, type PackageAirportRow } from './airport-source';
import { CITY_ROWS, type CityRow } from './city-table';
import { EXONYMS } from './exonyms';
import { foldName, umlautForm } from './normalize';
import { NOT_OFFERED_AIRPORTS, NOT_OFFERED_COUNTRIES } from './not-offered';
import type { Airport, City, PlaceMatch } from './types';

/**
 * The gazetteer: airports with scheduled passenger service from `airport-data-js`, the curated
 * city table on top, and the indexes every lookup uses. Built once per process, on first use.
 */
export interface Gazetteer {
  airports: ReadonlyMap<string, Airport>;
  cities: readonly City[];
  cityOfAirport: ReadonlyMap<string, City>;
  /** Folded name → place (city names, other names, airport nicknames, full airport names). */
  names: ReadonlyMap<string, PlaceMatch>;
  /** Metropolitan codes (LON, NYC…) → city. */
  metroCodes: ReadonlyMap<string, City>;
  /** Folded names that are only places when written as in the table (abbreviations: "LA", "NYC"). */
  capitalsOnly: ReadonlySet<string>;
  /** Longest name in words: the free-text scanner never looks further. */
  maxNameWords: number;
  /** What the build left out and why (for diagnostics and tests). */
  report: GazetteerReport;
}

export interface GazetteerReport {
  /** Source rows with an IATA code and scheduled service, valid or not. */
  scheduledRows: number;
  rejectedRows: number;
  offeredAirports: number;
  /** IATA → why it is not offered though the source lists it with scheduled service. */
  withheld: Record<string, string>;
  /** Problems in the city table (an unknown airport, a name used twice); empty when healthy. */
  tableIssues: string[];
}

const logger = createLogger('geo');

/** Names travellers use for single airports. */
const AIRPORT_NICKNAMES: Readonly<Record<string, string>> = {
  heathrow: 'LHR',
  gatwick: 'LGW',
  stansted: 'STN',
  luton: 'LTN',
  newark: 'EWR',
  laguardia: 'LGA',
  'la guardia': 'LGA',
  orly: 'ORY',
  'charles de gaulle': 'CDG',
  roissy: 'CDG',
  schiphol: 'AMS',
  fiumicino: 'FCO',
  ciampino: 'CIA',
  malpensa: 'MXP',
  linate: 'LIN',
  bergamo: 'BGY',
  narita: 'NRT',
  haneda: 'HND',
  changi: 'SIN',
  ezeiza: 'EZE',
  aeroparque: 'AEP',
  'sabiha gokcen': 'SAW',
  'o hare': 'ORD',
  ohare: 'ORD',
  midway: 'MDW',
  'el alto': 'LPB',
  'el dorado': 'BOG',
  guarulhos: 'GRU',
  congonhas: 'CGH',
  galeao: 'GIG',
  'santos dumont': 'SDU',
};

/** Country names (ISO 3166-1 alpha-2 → English), from the platform's ICU data. */
const regionNames = new Intl.DisplayNames('en', { type: 'region' });
const SHORTER_COUNTRY_NAMES: Readonly<Record<string, string>> = {
  HK: 'Hong Kong',
  MO: 'Macao',
};
export function countryName(code: string): string {
  return SHORTER_COUNTRY_NAMES[code] ?? regionNames.of(code) ?? code;
}

/** Checked once per zone: building an Intl.DateTimeFormat per airport costs most of a second. */
const checkedZones = new Map<string, string | undefined>();
function validTimeZone(raw: string): string | undefined {
  if (!checkedZones.has(raw)) {
    const zone = raw.replace(/\s+/g, ''); // the source has e.g. "Asia/ Bangkok"
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      checkedZones.set(raw, zone);
    } catch {
      checkedZones.set(raw, undefined);
    }
  }
  return checkedZones.get(raw);
}

/** Generic words in airport names; what is left names the place ("Aalborg Airport" → "Aalborg"). */
const GENERIC_AIRPORT_WORDS =
  /\b(international|intl|regional|municipal|domestic|national|county|metropolitan|airport|airfield|aerodrome|airstrip|air ?port|field)\b/gi;
function placeLabel(airportName: string): string {
  const label = airportName.replace(GENERIC_AIRPORT_WORDS, ' ').replace(/\s+/g, ' ').trim();
  return label.length > 0 ? label : airportName;
}

function toAirport(row: PackageAirportRow, timeZone: string): Airport {
  return Object.freeze({
    iata: row.iata,
    ...(row.icao === undefined ? {} : { icao: row.icao }),
    name: row.airport,
    cityName: placeLabel(row.airport),
    country: row.country_code,
    timeZone,
    lat: row.latitude,
    lon: row.longitude,
    size: row.type === 'large_airport' ? 'large' : row.type === 'medium_airport' ? 'medium' : 'small',
  });
}

function offeredAirports(
  rows: readonly PackageAirportRow[],
  withheld: Record<string, string>,
): Map<string, Airport> {
  const airports = new Map<string, Airport>();
  for (const row of rows) {
    if (!/^[A-Z]{3}$/.test(row.iata) || airports.has(row.iata)) continue;
    const reason = NOT_OFFERED_AIRPORTS[row.iata] ?? NOT_OFFERED_COUNTRIES[row.country_code];
    if (reason !== undefined) {
      withheld[row.iata] = reason;
      continue;
    }
    const timeZone = validTimeZone(row.time);
    if (timeZone === undefined) {
      withheld[row.iata] = `unknown time zone "${row.time}"`;
      continue;
    }
    airports.set(row.iata, toAirport(row, timeZone));
  }
  return airports;
}

function buildCity(row: CityRow, airports: Map<string, Airport>, issues: string[]): City | undefined {
  const served: Airport[] = [];
  for (const code of row.airports) {
    const airport = airports.get(code);
    if (airport === undefined) {
      issues.push(`${row.name}: ${code} is not an airport with scheduled service`);
      continue;
    }
    const named = Object.freeze({ ...airport, cityName: row.name });
    airports.set(code, named);
    served.push(named);
  }
  const main = served[0];
  if (main === undefined) return undefined;
  // Frozen: one instance is shared by every caller in the process.
  return Object.freeze({
    key: main.iata,
    name: row.name,
    country: row.country,
    countryName: countryName(row.country),
    ...(row.region === undefined ? {} : { region: row.region }),
    timeZone: main.timeZone,
    lat: main.lat,
    lon: main.lon,
    airports: Object.freeze(served),
    elevationM: row.elevationM,
    otherNames: Object.freeze([...row.otherNames]),
  });
}

/** Names written in capitals in the table ("NYC", "KL") are abbreviations, not words. */
const isAbbreviation = (name: string) => /^[A-Z]{2,5}$/.test(name);

/** The gazetteer's indexes while the build fills them, with the problems it finds on the way. */
interface Draft {
  airports: Map<string, Airport>;
  cities: City[];
  cityOfAirport: Map<string, City>;
  names: Map<string, PlaceMatch>;
  metroCodes: Map<string, City>;
  capitalsOnly: Set<string>;
  tableIssues: string[];
}

function build(): Gazetteer {
  const { rows, rejected } = readScheduledAirports();
  const withheld: Record<string, string> = {};
  const draft: Draft = {
    airports: offeredAirports(rows, withheld),
    cities: [],
    cityOfAirport: new Map(),
    names: new Map(),
    metroCodes: new Map(),
    capitalsOnly: new Set(),
    tableIssues: [],
  };
  // Order matters: a name goes to whoever claims it first (cities, then exonyms, then airports).
  for (const row of CITY_ROWS) addCity(draft, row);
  addExonyms(draft);
  addAirportNicknames(draft);
  addFullAirportNames(draft);

  const { airports, tableIssues } = draft;
  if (rejected > 0 || tableIssues.length > 0) {
    // Not fatal: the rest of the data is sound, and the unit tests fail on either.
    logger.warn('gazetteer built with problems', {
      rejectedRows: rejected,
      tableIssues: tableIssues.join('; '),
    });
  }

  let maxNameWords = 1;
  for (const name of draft.names.keys()) maxNameWords = Math.max(maxNameWords, name.split(' ').length);

  return {
    airports,
    cities: draft.cities,
    cityOfAirport: draft.cityOfAirport,
    names: draft.names,
    metroCodes: draft.metroCodes,
    capitalsOnly: draft.capitalsOnly,
    maxNameWords,
    report: {
      scheduledRows: rows.length + rejected,
      rejectedRows: rejected,
      offeredAirports: airports.size,
      withheld,
      tableIssues,
    },
  };
}

/** Indexes `name` for `match`; a name that already means another place is a table issue. */
function addName(draft: Draft, name: string, match: PlaceMatch, owner: string): void {
  const folded = foldName(name);
  if (folded.length === 0) return;
  const existing = draft.names.get(folded);
  if (existing !== undefined && !samePlace(existing, match)) {
    draft.tableIssues.push(`"${name}" (${owner}) is already a name of ${describe(existing)}`);
    return;
  }
  draft.names.set(folded, match);
}

/** Adds `name` and, when it has umlauts, the way travellers also type it ("Köln" → "Koeln"). */
function addNameAndUmlautForm(draft: Draft, name: string, match: PlaceMatch, owner: string): void {
  addName(draft, name, match, owner);
  const umlauts = umlautForm(name);
  if (umlauts !== undefined) addName(draft, umlauts, match, owner);
}

/** One row of the city table: the city, its airports, its names and its metro codes. */
function addCity(draft: Draft, row: CityRow): void {
  const { airports, cityOfAirport, tableIssues } = draft;
  const city = buildCity(row, airports, tableIssues);
  if (city === undefined) return;
  for (const airport of city.airports) {
    if (cityOfAirport.has(airport.iata)) {
      tableIssues.push(
        `${airport.iata} serves both ${cityOfAirport.get(airport.iata)?.name} and ${city.name}`,
      );
      continue;
    }
    cityOfAirport.set(airport.iata, city);
  }
  draft.cities.push(city);
  const match: PlaceMatch = { kind: 'city', city };
  for (const name of [row.name, ...row.otherNames]) {
    addNameAndUmlautForm(draft, name, match, row.name);
    if (isAbbreviation(name)) draft.capitalsOnly.add(foldName(name));
  }
  for (const code of row.metroCodes) {
    if (airports.has(code)) tableIssues.push(`${row.name}: metro code ${code} is an airport code`);
    else draft.metroCodes.set(code, city);
  }
}

/** Names in other languages ("Lissabon", "Nueva York", "東京"): other names of the same city. */
function addExonyms(draft: Draft): void {
  for (const [place, written] of Object.entries(EXONYMS)) {
    const [name = '', country = ''] = place.split(', ');
    const city = draft.cities.find((candidate) => candidate.name === name && candidate.country === country);
    if (city === undefined) {
      draft.tableIssues.push(`exonyms: "${place}" is not a city in the table`);
      continue;
    }
    for (const other of written.split(';').map((part) => part.trim()))
      addNameAndUmlautForm(draft, other, { kind: 'city', city }, place);
  }
}

function addAirportNicknames(draft: Draft): void {
  for (const [nickname, iata] of Object.entries(AIRPORT_NICKNAMES)) {
    const airport = draft.airports.get(iata);
    if (airport === undefined) draft.tableIssues.push(`nickname "${nickname}": ${iata} is not offered`);
    else addName(draft, nickname, { kind: 'airport', airport, city: draft.cityOfAirport.get(iata) }, iata);
  }
}

/** Full airport names ("Berlin Brandenburg Airport") resolve too, unless a city already has the name. */
function addFullAirportNames(draft: Draft): void {
  for (const airport of draft.airports.values()) {
    const folded = foldName(airport.name);
    if (!draft.names.has(folded))
      draft.names.set(folded, { kind: 'airport', airport, city: draft.cityOfAirport.get(airport.iata) });
  }
}

function samePlace(a: PlaceMatch, b: PlaceMatch): boolean {
  return a.kind === 'city' && b.kind === 'city'
    ? a.city === b.city
    : a.kind === 'airport' && b.kind === 'airport' && a.airport.iata === b.airport.iata;
}

function describe(match: PlaceMatch): string {
  return match.kind === 'city' ? match.city.name : match.airport.iata;
}

let gazetteer: Gazetteer | undefined;

/** The process-wide gazetteer, built on first use (~0.3 s). */
export function getGazetteer(): Gazetteer {
  gazetteer ??= build();
  return gazetteer;
}
