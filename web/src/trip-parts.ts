/**
 * The parts of a trip with several stops, as the planner files them: `flights:2` is the flight
 * into stop 2, `hotels:2` the hotel there, `flights:return` the flight home; a trip with one
 * destination has just `flights` and `hotels`. From these the checkout lists what is booked stop
 * by stop, and confirmations say which flight or hotel they are. Pure.
 */
import type { RunResource } from '../../src/travel/api/run-resource';
import { calendarDate, dateRange } from './format';
import { tripFacts } from './trip';

type QuoteItem = NonNullable<RunResource['quote']>['items'][number];

export interface PartRef {
  kind: 'flight' | 'hotel';
  /** The stop (1-based), 'return' for the flight home; undefined for a one-destination trip. */
  stop?: number | 'return';
}

/** "flights:2" → a flight into stop 2; "hotels" → a hotel of the only stop. */
export function partRef(part: string | undefined, kind: 'flight' | 'hotel'): PartRef {
  const match = /^(flights|hotels):(\d+|return)$/.exec(part ?? '');
  if (!match) return { kind };
  return {
    kind: match[1] === 'flights' ? 'flight' : 'hotel',
    stop: match[2] === 'return' ? 'return' : Number(match[2]),
  };
}

/** An item's part (the field is new: older runs' items have none). */
function partOf(item: object): string | undefined {
  const part = (item as { part?: unknown }).part;
  return typeof part === 'string' ? part : undefined;
}

export interface StopGroup<T> {
  key: string;
  /** "Rome", "Back to London". */
  title: string;
  /** "10–14 Mar 2027", "Thu 18 Mar". */
  when?: string;
  items: { item: T; label: string }[];
}

/** Where stop `n` is and when, from what the run understood, else from the hotel booked there. */
function stopInfo(run: RunResource, n: number, items: readonly QuoteItem[]) {
  const known = tripFacts(run).stops[n - 1];
  const hotel = items.find((i) => i.kind === 'hotel' && partRef(partOf(i), 'hotel').stop === n)?.offer as
    | { hotel?: { city?: unknown }; checkIn?: unknown; checkOut?: unknown }
    | undefined;
  const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  return {
    place: known?.place ?? text(hotel?.hotel?.city) ?? `Stop ${n}`,
    checkIn: known?.checkIn ?? text(hotel?.checkIn),
    checkOut: known?.checkOut ?? text(hotel?.checkOut),
  };
}

/** The day a flight item leaves, from the offer the server stated. */
function departureDay(item: QuoteItem): string | undefined {
  const departure = (item.offer as { outbound?: { departure?: unknown } } | undefined)?.outbound?.departure;
  return typeof departure === 'string' ? departure.slice(0, 10) : undefined;
}

/**
 * The quote's items stop by stop (the flight in, then the hotel), the flight home last; one
 * untitled group when the trip has one destination. Items keep the quote's order within a group.
 */
export function itemsByStop(run: RunResource, items: readonly QuoteItem[]): StopGroup<QuoteItem>[] {
  const refs = items.map((item) => partRef(partOf(item), item.kind));
  if (refs.every((r) => r.stop === undefined)) {
    return [
      {
        key: 'trip',
        title: '',
        items: items.map((item) => ({ item, label: item.kind === 'flight' ? 'Flights' : 'Hotel' })),
      },
    ];
  }
  const origin = tripFacts(run).origin;
  const groups = new Map<string, StopGroup<QuoteItem>>();
  const order = (key: string) => (key === 'return' ? Number.MAX_SAFE_INTEGER : Number(key) || 0);
  items.forEach((item, i) => {
    const stop = refs[i].stop ?? 1;
    const key = String(stop);
    let group = groups.get(key);
    if (!group) {
      if (stop === 'return') {
        const day = departureDay(item);
        group = {
          key,
          title: origin ? `Back to ${origin}` : 'The way home',
          ...(day ? { when: calendarDate(day, { year: false }) } : {}),
          items: [],
        };
      } else {
        const info = stopInfo(run, stop, items);
        const when = dateRange(info.checkIn, info.checkOut);
        group = { key, title: info.place, ...(when ? { when } : {}), items: [] };
      }
      groups.set(key, group);
    }
    const place = group.title;
    const label =
      stop === 'return' ? 'Flight home' : item.kind === 'flight' ? `Flight to ${place}` : `Hotel in ${place}`;
    group.items.push({ item, label });
  });
  return [...groups.values()]
    .sort((a, b) => order(a.key) - order(b.key))
    .map((g) => ({
      ...g,
      items: [...g.items].sort((a, b) =>
        a.item.kind === b.item.kind ? 0 : a.item.kind === 'flight' ? -1 : 1,
      ),
    }));
}

/** What a confirmation is for ("Flight to Rome", "Hotel in Florence"), from its quote item. */
export function bookingLabel(run: RunResource, booking: { item: string; offerId: string }): string {
  const items = run.quote?.items ?? [];
  for (const group of itemsByStop(run, items)) {
    const found = group.items.find(({ item }) => item.offerId === booking.offerId);
    if (found) return found.label;
  }
  return booking.item === 'flight' ? 'Flights' : booking.item === 'hotel' ? 'Hotel' : booking.item;
}
