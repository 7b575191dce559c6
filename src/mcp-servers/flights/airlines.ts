import type { SeededRandom } from '../shared/seeded-random';
import { wordList } from '../shared/word-list';

export interface Airline {
  code: string;
  name: string;
}

/** Flag carriers by country (ISO 3166-1 alpha-2); a route is flown by its ends' carriers. */
const CARRIERS_BY_COUNTRY: Record<string, Airline[]> = {
  GB: [
    { code: 'BA', name: 'British Airways' },
    { code: 'VS', name: 'Virgin Atlantic' },
  ],
  US: [
    { code: 'AA', name: 'American Airlines' },
    { code: 'DL', name: 'Delta Air Lines' },
    { code: 'UA', name: 'United Airlines' },
  ],
  FR: [{ code: 'AF', name: 'Air France' }],
  DE: [{ code: 'LH', name: 'Lufthansa' }],
  NL: [{ code: 'KL', name: 'KLM' }],
  ES: [{ code: 'IB', name: 'Iberia' }],
  IT: [{ code: 'AZ', name: 'ITA Airways' }],
  PT: [{ code: 'TP', name: 'TAP Air Portugal' }],
  CH: [{ code: 'LX', name: 'Swiss' }],
  AT: [{ code: 'OS', name: 'Austrian Airlines' }],
  IE: [{ code: 'EI', name: 'Aer Lingus' }],
  TR: [{ code: 'TK', name: 'Turkish Airlines' }],
  AE: [{ code: 'EK', name: 'Emirates' }],
  QA: [{ code: 'QR', name: 'Qatar Airways' }],
  JP: [
    { code: 'JL', name: 'Japan Airlines' },
    { code: 'NH', name: 'ANA' },
  ],
  KR: [{ code: 'KE', name: 'Korean Air' }],
  CN: [
    { code: 'CA', name: 'Air China' },
    { code: 'MU', name: 'China Eastern' },
  ],
  SG: [{ code: 'SQ', name: 'Singapore Airlines' }],
  TH: [{ code: 'TG', name: 'Thai Airways' }],
  IN: [{ code: 'AI', name: 'Air India' }],
  AU: [{ code: 'QF', name: 'Qantas' }],
  NZ: [{ code: 'NZ', name: 'Air New Zealand' }],
  CA: [{ code: 'AC', name: 'Air Canada' }],
  MX: [{ code: 'AM', name: 'Aeromexico' }],
  BR: [{ code: 'LA', name: 'LATAM Brasil' }],
  AR: [{ code: 'AR', name: 'Aerolineas Argentinas' }],
  CL: [{ code: 'LA', name: 'LATAM Airlines' }],
  ZA: [{ code: 'SA', name: 'South African Airways' }],
  EG: [{ code: 'MS', name: 'EgyptAir' }],
  NO: [{ code: 'SK', name: 'SAS' }],
  SE: [{ code: 'SK', name: 'SAS' }],
  DK: [{ code: 'SK', name: 'SAS' }],
  FI: [{ code: 'AY', name: 'Finnair' }],
  IS: [{ code: 'FI', name: 'Icelandair' }],
  GR: [{ code: 'A3', name: 'Aegean Airlines' }],
  PL: [{ code: 'LO', name: 'LOT Polish Airlines' }],
};

/** Carriers that fly almost anywhere through their hubs, used when an end has no flag carrier listed. */
const GLOBAL_CARRIERS: Airline[] = [
  { code: 'EK', name: 'Emirates' },
  { code: 'TK', name: 'Turkish Airlines' },
  { code: 'LH', name: 'Lufthansa' },
  { code: 'AF', name: 'Air France' },
  { code: 'QR', name: 'Qatar Airways' },
  { code: 'UA', name: 'United Airlines' },
];

/** The airlines serving a route: both ends' carriers first, topped up with global carriers. */
export function carriersForRoute(
  originCountry: string,
  destinationCountry: string,
  random: SeededRandom,
): Airline[] {
  const carriers = new Map<string, Airline>();
  for (const airline of [
    ...(CARRIERS_BY_COUNTRY[originCountry] ?? []),
    ...(CARRIERS_BY_COUNTRY[destinationCountry] ?? []),
  ]) {
    carriers.set(airline.code, airline);
  }
  for (const airline of random.sample(GLOBAL_CARRIERS, GLOBAL_CARRIERS.length)) {
    if (carriers.size >= 3) break;
    carriers.set(airline.code, airline);
  }
  return [...carriers.values()];
}

/** The carrier based in a country, if one is listed (one-stop itineraries fly the hub's carrier). */
export function homeCarrier(country: string): Airline | undefined {
  return CARRIERS_BY_COUNTRY[country]?.[0];
}

/** Hubs through which one-stop itineraries connect. */
export const CONNECTING_HUBS = wordList(`
  LHR CDG FRA AMS IST DXB DOH JFK ORD ATL SIN HKG NRT GRU MAD YYZ SYD JNB
`);
