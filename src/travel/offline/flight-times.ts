/**
 * The times a trip is built around, read from the chosen flight offer (`flights.details`: the
 * search's or get_flight_details' offer, outbound and inbound slices with their segments). Times
 * are the airports' local times, as the offer writes them (`2027-05-04T00:45:00+02:00`), so the
 * date and the clock a traveller sees are the first 16 characters; nothing here reads a clock.
 */
import type { FlightChoice } from '../agents';

export interface FlightLeg {
  flightNumber: string;
  from: string;
  to: string;
  departure: string;
  arrival: string;
}

export interface TravelSlice {
  departure: string;
  arrival: string;
  legs: FlightLeg[];
}

const LOCAL_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

function legOf(value: unknown): FlightLeg | undefined {
  const leg = value as Partial<FlightLeg> | null;
  if (!leg || typeof leg !== 'object') return undefined;
  const { flightNumber, from, to, departure, arrival } = leg;
  if (typeof departure !== 'string' || typeof arrival !== 'string') return undefined;
  if (!LOCAL_TIME.test(departure) || !LOCAL_TIME.test(arrival)) return undefined;
  if (typeof from !== 'string' || typeof to !== 'string') return undefined;
  return { flightNumber: typeof flightNumber === 'string' ? flightNumber : '', from, to, departure, arrival };
}

function sliceOf(value: unknown): TravelSlice | undefined {
  const segments = (value as { segments?: unknown } | null)?.segments;
  if (!Array.isArray(segments)) return undefined;
  const legs = segments.map(legOf);
  if (legs.length === 0 || legs.some((leg) => leg === undefined)) return undefined;
  const known = legs as FlightLeg[];
  return { departure: known[0].departure, arrival: known.at(-1)!.arrival, legs: known };
}

/** The outbound and inbound journeys of the chosen offer, when its details carry them. */
export function flightTimes(flights: FlightChoice | undefined): {
  outbound?: TravelSlice;
  inbound?: TravelSlice;
} {
  if (!flights?.found || flights.details === undefined) return {};
  const details = flights.details as { outbound?: unknown; inbound?: unknown };
  const outbound = sliceOf(details.outbound);
  const inbound = sliceOf(details.inbound);
  return { ...(outbound ? { outbound } : {}), ...(inbound ? { inbound } : {}) };
}

/** `YYYY-MM-DD` of a local time. */
export const localDate = (iso: string): string => iso.slice(0, 10);
/** `HH:MM` of a local time. */
export const localClock = (iso: string): string => iso.slice(11, 16);
/** Minutes after local midnight. */
export const localMinutes = (iso: string): number =>
  Number(iso.slice(11, 13)) * 60 + Number(iso.slice(14, 16));

/** "LH1398 FRA 23:40 → PRG 00:45 (+1)": a leg with its airports and local times. */
export function legLine(leg: FlightLeg): string {
  const days = Math.round(
    (Date.parse(localDate(leg.arrival)) - Date.parse(localDate(leg.departure))) / 86_400_000,
  );
  const next = days > 0 ? ` (+${days})` : '';
  const number = leg.flightNumber === '' ? '' : `${leg.flightNumber} `;
  return `${number}${leg.from} ${localClock(leg.departure)} → ${leg.to} ${localClock(leg.arrival)}${next}`;
}

/** Every leg of a journey, with "local times" said once. */
export function journeyLine(slice: TravelSlice): string {
  return `${slice.legs.map(legLine).join(', ')} (local times)`;
}

/** "HH:MM" for minutes after midnight (wrapping past midnight). */
export function clock(minutes: number): string {
  const wrapped = ((minutes % 1440) + 1440) % 1440;
  return `${String(Math.floor(wrapped / 60)).padStart(2, '0')}:${String(wrapped % 60).padStart(2, '0')}`;
}
