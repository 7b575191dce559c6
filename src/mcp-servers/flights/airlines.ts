import type { SeededRandom } from '../shared/seeded-random';
import { wordList } from '../shared/word-list';

export interface Airline {
  code: string;
  name: string;
}

/** Flag carriers by country (OpenFlights country names); a route is flown by its ends' carriers. */
const CARRIERS_BY_COUNTRY: Record<string, Airline[]> = {
  'United Kingdom': [
    { code: 'BA', name: 'British Airways' },
    { code: 'VS', name: 'Virgin Atlantic' },
  ],
  'United States': [
    { code: 'AA', name: 'American Airlines' },
    { code: 'DL', name: 'Delta Air Lines' },
    { code: 'UA', name: 'United Airlines' },
  ],
  France: [{ code: 'AF', name: 'Air France' }],
  Germany: [{ code: 'LH', name: 'Lufthansa' }],
  Netherlands: [{ code: 'KL', name: 'KLM' }],
  Spain: [{ code: 'IB', name: 'Iberia' }],
  Italy: [{ code: 'AZ', name: 'ITA Airways' }],
  Portugal: [{ code: 'TP', name: 'TAP Air Portugal' }],
  Switzerland: [{ code: 'LX', name: 'Swiss' }],
  Austria: [{ code: 'OS', name: 'Austrian Airlines' }],
  Ireland: [{ code: 'EI', name: 'Aer Lingus' }],
  Turkey: [{ code: 'TK', name: 'Turkish Airlines' }],
  'United Arab Emirates': [{ code: 'EK', name: 'Emirates' }],
  Japan: [
    { code: 'JL', name: 'Japan Airlines' },
    { code: 'NH', name: 'ANA' },
  ],
  'South Korea': [{ code: 'KE', name: 'Korean Air' }],
  China: [
    { code: 'CA', name: 'Air China' },
    { code: 'MU', name: 'China Eastern' },
  ],
  Singapore: [{ code: 'SQ', name: 'Singapore Airlines' }],
  Thailand: [{ code: 'TG', name: 'Thai Airways' }],
  India: [{ code: 'AI', name: 'Air India' }],
  Australia: [{ code: 'QF', name: 'Qantas' }],
  'New Zealand': [{ code: 'NZ', name: 'Air New Zealand' }],
  Canada: [{ code: 'AC', name: 'Air Canada' }],
  Mexico: [{ code: 'AM', name: 'Aeromexico' }],
  Brazil: [{ code: 'LA', name: 'LATAM Brasil' }],
  Argentina: [{ code: 'AR', name: 'Aerolineas Argentinas' }],
  Chile: [{ code: 'LA', name: 'LATAM Airlines' }],
  'South Africa': [{ code: 'SA', name: 'South African Airways' }],
  Egypt: [{ code: 'MS', name: 'EgyptAir' }],
  Norway: [{ code: 'SK', name: 'SAS' }],
  Sweden: [{ code: 'SK', name: 'SAS' }],
  Denmark: [{ code: 'SK', name: 'SAS' }],
  Finland: [{ code: 'AY', name: 'Finnair' }],
  Iceland: [{ code: 'FI', name: 'Icelandair' }],
  Greece: [{ code: 'A3', name: 'Aegean Airlines' }],
  Poland: [{ code: 'LO', name: 'LOT Polish Airlines' }],
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
  LHR CDG FRA AMS IST DXB JFK ORD ATL SIN HKG NRT GRU MAD YYZ SYD JNB
`);
