/**
 * The shape of a trip: its stays (one per destination, with dates) and the flights between them,
 * from the facts. One destination is a round trip and one stay; several are one-way flights
 * origin → first → … → last → origin, with a stay at each. Each part has a key the specialists'
 * work, the findings and the quote items are filed under: `flights`, `hotels`, `weather`,
 * `restaurants` for one destination, `flights:1`, `hotels:2`, `flights:return` … for several.
 * Pure.
 */
import type { Issue } from '../../agents/contracts';
import type { ResolvedPlace, Topic, TripFacts } from '../schemas';
import { addDays, daysBetween } from '../../domain/dates';

export interface FlightPart {
  key: string;
  from: ResolvedPlace;
  to: ResolvedPlace;
  departDate: string;
  /** A round trip's return (one destination only). */
  returnDate?: string;
}

export interface StayPart {
  /** 1-based position among the stays. */
  index: number;
  place: ResolvedPlace;
  checkIn: string;
  checkOut: string;
  nights: number;
}

export interface TripShape {
  flights: FlightPart[];
  stays: StayPart[];
  /** Readings the shape made (nights split evenly): stated to the traveller. */
  inferences: { field: string; note: string }[];
}

/** The key of a topic's work for stay `index` of a trip with `stays` stays. */
export function partKey(topic: Topic, index: number, stays: number): string {
  return stays === 1 ? topic : `${topic}:${index}`;
}

/** The topic a part key belongs to ("hotels:2" → hotels). */
export function topicOf(key: string): Topic {
  return key.split(':')[0] as Topic;
}

/** The trip's shape, or the issues that keep it from having one (nights that do not add up). */
export function shapeOf(facts: TripFacts): { shape: TripShape } | { issues: Issue[] } | undefined {
  const legs = facts.legs ?? (facts.destination ? [{ place: facts.destination }] : []);
  const { origin, startDate, endDate } = facts;
  if (!origin || legs.length === 0 || !startDate || !endDate) return undefined;
  const total = daysBetween(startDate, endDate);
  // Dates in the wrong order are the dates' question, not the stops'.
  if (total <= 0) return undefined;
  const nights = splitNights(
    legs.map((leg) => leg.nights),
    total,
  );
  if ('issue' in nights) return { issues: [{ path: 'legs', issue: nights.issue }] };
  const stays: StayPart[] = [];
  let checkIn = startDate;
  legs.forEach((leg, k) => {
    const checkOut = addDays(checkIn, nights.split[k]);
    stays.push({ index: k + 1, place: leg.place, checkIn, checkOut, nights: nights.split[k] });
    checkIn = checkOut;
  });
  const inferences =
    nights.even && legs.length > 1
      ? [
          {
            field: 'legs',
            note: `nights not given for every stop, split evenly: ${nights.split.join(' + ')}`,
          },
        ]
      : [];
  return { shape: { flights: flightsOf(origin, stays, endDate), stays, inferences } };
}

function flightsOf(origin: ResolvedPlace, stays: readonly StayPart[], endDate: string): FlightPart[] {
  if (stays.length === 1) {
    return [
      { key: 'flights', from: origin, to: stays[0].place, departDate: stays[0].checkIn, returnDate: endDate },
    ];
  }
  const hops: FlightPart[] = [
    { key: 'flights:1', from: origin, to: stays[0].place, departDate: stays[0].checkIn },
  ];
  for (let k = 1; k < stays.length; k++) {
    // Two stops served by the same airport are a journey over land, not a flight.
    if (stays[k - 1].place.airport === stays[k].place.airport) continue;
    hops.push({
      key: `flights:${k + 1}`,
      from: stays[k - 1].place,
      to: stays[k].place,
      departDate: stays[k].checkIn,
    });
  }
  hops.push({ key: 'flights:return', from: stays.at(-1)!.place, to: origin, departDate: endDate });
  return hops;
}

/**
 * Nights per stay: as given, the rest of the trip split evenly over the stays without nights.
 * Stays given more nights than the dates hold, or given nights that do not fill them, are asked.
 */
function splitNights(
  given: readonly (number | undefined)[],
  total: number,
): { split: number[]; even: boolean } | { issue: string } {
  const known = given.reduce<number>((sum, n) => sum + (n ?? 0), 0);
  const open = given.filter((n) => n === undefined).length;
  if (open === 0) {
    return known === total
      ? { split: given as number[], even: false }
      : { issue: `the stops add up to ${known} nights, but the dates give ${total}: which is right?` };
  }
  const left = total - known;
  if (left < open) {
    return {
      issue: `${given.length} stops in ${total} nights leave no night for some of them: which dates did you mean?`,
    };
  }
  let spare = left % open;
  const split = given.map((n) => n ?? Math.floor(left / open) + (spare-- > 0 ? 1 : 0));
  return { split, even: true };
}
