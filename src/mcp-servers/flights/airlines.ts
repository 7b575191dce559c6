import { wordList } from '../shared/word-list';

export interface Airline {
  code: string;
  name: string;
}

const a = (code: string, name: string): Airline => ({ code, name });

/**
 * The airlines based in a country (ISO 3166-1 alpha-2), the flag or main carrier first. A
 * non-stop route is flown by its two ends' own airlines, as in life: no third country's airline
 * flies Amsterdam–Prague. Countries without a listed airline are reached through a hub.
 */
const CARRIERS_BY_COUNTRY: Record<string, Airline[]> = {
  GB: [a('BA', 'British Airways'), a('VS', 'Virgin Atlantic')],
  US: [a('AA', 'American Airlines'), a('DL', 'Delta Air Lines'), a('UA', 'United Airlines')],
  FR: [a('AF', 'Air France')],
  DE: [a('LH', 'Lufthansa')],
  NL: [a('KL', 'KLM')],
  BE: [a('SN', 'Brussels Airlines')],
  LU: [a('LG', 'Luxair')],
  ES: [a('IB', 'Iberia'), a('UX', 'Air Europa')],
  IT: [a('AZ', 'ITA Airways')],
  PT: [a('TP', 'TAP Air Portugal')],
  CH: [a('LX', 'Swiss')],
  AT: [a('OS', 'Austrian Airlines')],
  IE: [a('EI', 'Aer Lingus')],
  CZ: [a('QS', 'Smartwings')],
  HU: [a('W6', 'Wizz Air')],
  HR: [a('OU', 'Croatia Airlines')],
  RS: [a('JU', 'Air Serbia')],
  RO: [a('RO', 'TAROM')],
  LV: [a('BT', 'airBaltic')],
  MT: [a('KM', 'KM Malta Airlines')],
  TR: [a('TK', 'Turkish Airlines')],
  AE: [a('EK', 'Emirates'), a('EY', 'Etihad Airways')],
  QA: [a('QR', 'Qatar Airways')],
  SA: [a('SV', 'Saudia')],
  JO: [a('RJ', 'Royal Jordanian')],
  IL: [a('LY', 'El Al')],
  OM: [a('WY', 'Oman Air')],
  JP: [a('JL', 'Japan Airlines'), a('NH', 'ANA')],
  KR: [a('KE', 'Korean Air')],
  CN: [a('CA', 'Air China'), a('MU', 'China Eastern')],
  HK: [a('CX', 'Cathay Pacific')],
  TW: [a('BR', 'EVA Air'), a('CI', 'China Airlines')],
  SG: [a('SQ', 'Singapore Airlines')],
  TH: [a('TG', 'Thai Airways')],
  VN: [a('VN', 'Vietnam Airlines')],
  MY: [a('MH', 'Malaysia Airlines')],
  ID: [a('GA', 'Garuda Indonesia')],
  PH: [a('PR', 'Philippine Airlines')],
  IN: [a('AI', 'Air India')],
  LK: [a('UL', 'SriLankan Airlines')],
  AU: [a('QF', 'Qantas')],
  NZ: [a('NZ', 'Air New Zealand')],
  FJ: [a('FJ', 'Fiji Airways')],
  CA: [a('AC', 'Air Canada')],
  MX: [a('AM', 'Aeromexico')],
  PA: [a('CM', 'Copa Airlines')],
  CO: [a('AV', 'Avianca')],
  PE: [a('LA', 'LATAM Airlines')],
  BR: [a('LA', 'LATAM Brasil')],
  AR: [a('AR', 'Aerolineas Argentinas')],
  CL: [a('LA', 'LATAM Airlines')],
  ZA: [a('SA', 'South African Airways')],
  EG: [a('MS', 'EgyptAir')],
  MA: [a('AT', 'Royal Air Maroc')],
  ET: [a('ET', 'Ethiopian Airlines')],
  KE: [a('KQ', 'Kenya Airways')],
  MU: [a('MK', 'Air Mauritius')],
  KZ: [a('KC', 'Air Astana')],
  UZ: [a('HY', 'Uzbekistan Airways')],
  NO: [a('SK', 'SAS')],
  SE: [a('SK', 'SAS')],
  DK: [a('SK', 'SAS')],
  FI: [a('AY', 'Finnair')],
  IS: [a('FI', 'Icelandair')],
  GR: [a('A3', 'Aegean Airlines')],
  CY: [a('A3', 'Aegean Airlines')],
  PL: [a('LO', 'LOT Polish Airlines')],
};

/** Hubs through which one-stop itineraries connect, with the airline whose hub each is. */
const HUB_CARRIERS: Record<string, Airline> = {
  LHR: a('BA', 'British Airways'),
  CDG: a('AF', 'Air France'),
  FRA: a('LH', 'Lufthansa'),
  AMS: a('KL', 'KLM'),
  MAD: a('IB', 'Iberia'),
  IST: a('TK', 'Turkish Airlines'),
  DXB: a('EK', 'Emirates'),
  DOH: a('QR', 'Qatar Airways'),
  JFK: a('AA', 'American Airlines'),
  ORD: a('UA', 'United Airlines'),
  ATL: a('DL', 'Delta Air Lines'),
  YYZ: a('AC', 'Air Canada'),
  SIN: a('SQ', 'Singapore Airlines'),
  HKG: a('CX', 'Cathay Pacific'),
  NRT: a('JL', 'Japan Airlines'),
  GRU: a('LA', 'LATAM Brasil'),
  SYD: a('QF', 'Qantas'),
  JNB: a('SA', 'South African Airways'),
};

/** Hubs through which one-stop itineraries connect. */
export const CONNECTING_HUBS = Object.keys(HUB_CARRIERS);

/**
 * Airports with scheduled intercontinental service: a long-haul non-stop needs one at each end
 * (Prague–Seattle connects; Amsterdam–Seattle does not have to).
 */
const LONG_HAUL_GATEWAYS = new Set(
  wordList(`
    LHR LGW MAN DUB CDG FRA MUC AMS BRU ZRH GVA VIE CPH ARN OSL HEL KEF MAD BCN LIS FCO MXP ATH IST WAW
    DXB AUH DOH RUH JED TLV CAI ADD NBO JNB CPT CMN LOS
    JFK EWR BOS IAD ATL MIA ORD DFW IAH DEN SEA SFO LAX PHX LAS MSP DTW PHL CLT MCO HNL
    YYZ YVR YUL MEX CUN PTY BOG LIM GRU GIG EZE SCL
    DEL BOM BLR MAA CMB BKK SIN KUL CGK DPS MNL SGN HAN HKG TPE PEK PVG CAN ICN NRT HND KIX
    SYD MEL BNE PER AKL NAN
  `),
);

/** A route longer than this is long haul. */
export const LONG_HAUL_KM = 4_000;

interface RouteEnd {
  iata: string;
  country: string;
}

/**
 * The airlines that fly a route non-stop: the two ends' own airlines (the origin's first), none
 * when neither end has one, and none for a long-haul route unless both ends are long-haul
 * gateways (such routes connect through a hub).
 */
export function nonstopCarriers(origin: RouteEnd, destination: RouteEnd, distanceKm: number): Airline[] {
  if (
    distanceKm > LONG_HAUL_KM &&
    !(LONG_HAUL_GATEWAYS.has(origin.iata) && LONG_HAUL_GATEWAYS.has(destination.iata))
  )
    return [];
  const carriers = new Map<string, Airline>();
  for (const airline of [
    ...(CARRIERS_BY_COUNTRY[origin.country] ?? []),
    ...(CARRIERS_BY_COUNTRY[destination.country] ?? []),
  ]) {
    carriers.set(airline.code, airline);
  }
  return [...carriers.values()];
}

/** The airline whose hub an airport is (one-stop itineraries fly the hub's airline). */
export function hubCarrier(iata: string): Airline | undefined {
  return HUB_CARRIERS[iata];
}

/** The carrier based in a country, if one is listed. */
export function homeCarrier(country: string): Airline | undefined {
  return CARRIERS_BY_COUNTRY[country]?.[0];
}
