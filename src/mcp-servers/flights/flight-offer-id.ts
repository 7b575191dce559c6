import { compactDate, expandCompactDate } from '../shared/dates';

export const CABINS = ['economy', 'premium_economy', 'business', 'first'] as const;
export type Cabin = (typeof CABINS)[number];

/** Most airlines take at most nine passengers in one booking. */
export const MAX_PASSENGERS = 9;

const CABIN_CODES: Record<Cabin, string> = { economy: 'Y', premium_economy: 'W', business: 'J', first: 'F' };

/** Everything a flight offer is generated from: the offer id encodes it, so no storage is needed. */
export interface FlightOfferKey {
  origin: string;
  destination: string;
  departDate: string;
  returnDate?: string;
  cabin: Cabin;
  passengers: number;
  /** Position in the search results as generated (before filtering). */
  index: number;
}

/** e.g. `FL-LHR-JFK-20270315-20270322-J2-3` (round trip) or `FL-LHR-JFK-20270315-OW-Y1-0`. */
export function encodeFlightOfferId(key: FlightOfferKey): string {
  const ret = key.returnDate === undefined ? 'OW' : compactDate(key.returnDate);
  return `FL-${key.origin}-${key.destination}-${compactDate(key.departDate)}-${ret}-${CABIN_CODES[key.cabin]}${key.passengers}-${key.index}`;
}

/** The key of a well-formed flight offer id; undefined when the id is malformed. */
export function decodeFlightOfferId(offerId: string): FlightOfferKey | undefined {
  const match = /^FL-([A-Z]{3})-([A-Z]{3})-(\d{8})-(\d{8}|OW)-([YWJF])(\d{1,2})-(\d{1,2})$/.exec(offerId);
  if (!match) return undefined;
  const [, origin, destination, depart, ret, cabinCode, passengers, index] = match;
  const departDate = expandCompactDate(depart);
  const returnDate = ret === 'OW' ? undefined : expandCompactDate(ret);
  const cabin = CABINS.find((candidate) => CABIN_CODES[candidate] === cabinCode);
  if (!departDate || (ret !== 'OW' && !returnDate) || !cabin) return undefined;
  if (Number(passengers) < 1 || Number(passengers) > MAX_PASSENGERS) return undefined;
  return {
    origin,
    destination,
    departDate,
    ...(returnDate === undefined ? {} : { returnDate }),
    cabin,
    passengers: Number(passengers),
    index: Number(index),
  };
}
