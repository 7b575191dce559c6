/**
 * The itinerary as a travel app shows it, derived purely from the run's result: flight legs with
 * airports, local times and durations; the hotel stay with check-in and check-out times; each day
 * with its timed events first; costs in the traveller's currency against their budget. The
 * specialists' parts are `unknown` in the run resource (a model chose them, the tools priced
 * them), so each is read field by field and whatever does not fit is left out.
 */
import type { RunResource } from '../../src/travel/api/run-resource';
import { calendarDate, flightDuration, localTime, money, plural } from './format';

type Result = NonNullable<RunResource['result']>;
type Itinerary = NonNullable<Result['itinerary']>;

const obj = (v: unknown): Record<string, unknown> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export interface FlightSegment {
  flightNumber?: string;
  airline?: string;
  from: string;
  to: string;
  /** Local to each airport, as the ISO text gives it. */
  departure: { date: string; time: string };
  arrival: { date: string; time: string };
  durationMinutes?: number;
  aircraft?: string;
}

export interface FlightLeg {
  direction: 'outbound' | 'return';
  /** On a trip with several stops, which journey this is ("London → Rome"). */
  title?: string;
  from: string;
  to: string;
  stops: number;
  durationMinutes?: number;
  segments: FlightSegment[];
}

export interface FlightPlan {
  legs: FlightLeg[];
  cabin?: string;
  passengers?: number;
  totalUsd?: number;
  description?: string;
  fareNotes: string[];
}

function segmentOf(value: unknown): FlightSegment | undefined {
  const s = obj(value);
  const departure = localTime(str(s?.departure));
  const arrival = localTime(str(s?.arrival));
  const from = str(s?.from);
  const to = str(s?.to);
  if (!s || !departure || !arrival || !from || !to) return undefined;
  const airline = obj(s.airline);
  return {
    flightNumber: str(s.flightNumber),
    airline: str(airline?.name) ?? str(s.airline),
    from,
    to,
    departure,
    arrival,
    durationMinutes: num(s.durationMinutes),
    aircraft: str(s.aircraft),
  };
}

function legOf(value: unknown, direction: FlightLeg['direction']): FlightLeg | undefined {
  const leg = obj(value);
  if (!leg) return undefined;
  let segments = arr(leg.segments)
    .map(segmentOf)
    .filter((s): s is FlightSegment => s !== undefined);
  // A leg without segment detail is one segment of its own.
  if (segments.length === 0) {
    const whole = segmentOf(leg);
    segments = whole ? [whole] : [];
  }
  if (segments.length === 0) return undefined;
  return {
    direction,
    from: str(leg.from) ?? segments[0].from,
    to: str(leg.to) ?? segments[segments.length - 1].to,
    stops: num(leg.stops) ?? segments.length - 1,
    durationMinutes: num(leg.durationMinutes),
    segments,
  };
}

export function flightPlanOf(flights: unknown): FlightPlan | undefined {
  const choice = obj(flights);
  if (!choice || choice.found === false) return undefined;
  const details = obj(choice.details) ?? {};
  const legs = [legOf(details.outbound, 'outbound'), legOf(details.inbound, 'return')].filter(
    (l): l is FlightLeg => l !== undefined,
  );
  const fare = obj(details.fare);
  const changeFee = obj(fare?.changeFee);
  const fareNotes = [
    fare?.refundable === true ? 'Refundable' : fare?.refundable === false ? 'Not refundable' : undefined,
    changeFee && num(changeFee.amount) !== undefined
      ? `changes ${money(num(changeFee.amount)!, str(changeFee.currency) ?? 'USD')}`
      : undefined,
    num(fare?.checkedBags) === 0
      ? 'no checked bag'
      : num(fare?.checkedBags) !== undefined
        ? `${plural(num(fare?.checkedBags)!, 'checked bag')} each`
        : undefined,
  ].filter((n): n is string => n !== undefined);
  if (legs.length === 0 && !str(choice.description)) return undefined;
  return {
    legs,
    cabin: str(details.cabin),
    passengers: num(details.passengers),
    totalUsd: num(choice.totalUsd) ?? num(obj(details.totalPrice)?.amount),
    description: str(choice.description),
    fareNotes,
  };
}

export interface HotelStay {
  name: string;
  stars?: number;
  rating?: number;
  area?: string;
  roomType?: string;
  rooms?: number;
  guests?: number;
  checkIn?: string;
  checkOut?: string;
  checkInFrom?: string;
  checkOutUntil?: string;
  nights?: number;
  totalUsd?: number;
  nightlyUsd?: number;
  freeCancellationUntil?: string;
  refundable?: boolean;
  description?: string;
}

export function hotelStayOf(hotel: unknown): HotelStay | undefined {
  const choice = obj(hotel);
  if (!choice || choice.found === false) return undefined;
  const details = obj(choice.details) ?? {};
  const property = obj(details.hotel) ?? {};
  const cancellation = obj(details.cancellation);
  const name = str(choice.name) ?? str(property.name);
  if (!name) return undefined;
  return {
    name,
    stars: num(property.stars),
    rating: num(property.guestRating),
    area: [str(property.neighbourhood), str(property.city)].filter(Boolean).join(', ') || undefined,
    roomType: str(details.roomType),
    rooms: num(details.rooms),
    guests: num(details.guests),
    checkIn: str(details.checkIn),
    checkOut: str(details.checkOut),
    checkInFrom: str(property.checkInFrom),
    checkOutUntil: str(property.checkOutUntil),
    nights: num(details.nights),
    totalUsd: num(choice.totalUsd) ?? num(obj(details.totalPrice)?.amount),
    nightlyUsd: num(choice.nightlyUsd) ?? num(obj(details.averageNightlyPrice)?.amount),
    freeCancellationUntil: str(cancellation?.freeCancellationUntil),
    refundable: typeof cancellation?.refundable === 'boolean' ? cancellation.refundable : undefined,
    description: str(choice.description),
  };
}

export interface DayEvent {
  kind: 'flight' | 'arrival' | 'check-in' | 'check-out';
  /** HH:MM local, when known. */
  time?: string;
  title: string;
  detail?: string;
  /** A flight's (or a landing's) local arrival, for placing the check-in after it. */
  lands?: { date: string; time: string };
}

export interface DayView {
  date: string;
  title: string;
  /** Where the day is spent on a trip with several stops ("Rome", "Rome → Florence"). */
  place?: string;
  weather?: string;
  events: DayEvent[];
  /** The plan's own items, without those the timed events already say. */
  activities: string[];
  meals: string[];
}

/** Plan items that restate a flight or the hotel's check-in/out, dropped when an event shows it. */
const RESTATED = /^(fly in|fly home|fly out|fly to|land at|check[ -]?in|check[ -]?out)\b/i;

function flightEvents(plan: FlightPlan | undefined, date: string): DayEvent[] {
  const events: DayEvent[] = [];
  for (const leg of plan?.legs ?? []) {
    for (const s of leg.segments) {
      const label = [s.airline, s.flightNumber].filter(Boolean).join(' ');
      const overnight = s.arrival.date !== s.departure.date;
      if (s.departure.date === date) {
        events.push({
          kind: 'flight',
          time: s.departure.time,
          title: `Flight ${s.from} → ${s.to}${label ? ` · ${label}` : ''}`,
          detail: [
            `arrives ${overnight ? `${calendarDate(s.arrival.date, { year: false })} ` : ''}${s.arrival.time}`,
            s.durationMinutes !== undefined ? flightDuration(s.durationMinutes) : undefined,
          ]
            .filter(Boolean)
            .join(' · '),
          lands: s.arrival,
        });
      }
      if (overnight && s.arrival.date === date) {
        events.push({
          kind: 'arrival',
          time: s.arrival.time,
          title: `Land in ${s.to}`,
          detail: label || undefined,
          lands: s.arrival,
        });
      }
    }
  }
  return events;
}

function hotelEvents(stay: HotelStay | undefined, date: string): DayEvent[] {
  if (!stay) return [];
  const events: DayEvent[] = [];
  if (stay.checkIn === date)
    events.push({
      kind: 'check-in',
      time: stay.checkInFrom,
      title: `Check in at ${stay.name}`,
      detail: stay.checkInFrom ? `from ${stay.checkInFrom}` : undefined,
    });
  if (stay.checkOut === date)
    events.push({
      kind: 'check-out',
      time: stay.checkOutUntil,
      title: `Check out of ${stay.name}`,
      detail: stay.checkOutUntil ? `by ${stay.checkOutUntil}` : undefined,
    });
  return events;
}

/**
 * A day's events in the order they happen. Hotel times are bounds, not appointments: when a flight
 * leaves before the check-out deadline, the check-out comes first and says so; when the day's
 * flights land after the room is ready (or only the next day), the check-in follows the landing
 * and says when that is — never a 14:00 check-in listed while the traveller is in the air.
 */
function inDayOrder(events: DayEvent[], date: string): DayEvent[] {
  const departures = events
    .filter((e) => e.kind === 'flight' && e.time)
    .map((e) => e.time!)
    .sort();
  const landing = events
    .flatMap((e) => (e.lands ? [e.lands] : []))
    .sort((a, b) => `${a.date}T${a.time}`.localeCompare(`${b.date}T${b.time}`))
    .pop();
  const keyed = events.map((event) => {
    const first = departures[0];
    if (event.kind === 'check-out' && first && (!event.time || first < event.time)) {
      const { time: _deadline, ...rest } = event;
      return { key: `${first}a`, event: { ...rest, detail: `before your ${first} flight` } };
    }
    if (
      event.kind === 'check-in' &&
      landing &&
      (landing.date > date || !event.time || landing.time > event.time)
    ) {
      const { time: from, ...rest } = event;
      const ready = from ? `from ${from}` : undefined;
      if (landing.date > date) {
        const when = `${calendarDate(landing.date, { year: false })}, ${landing.time}`;
        return { key: '99:99c', event: { ...rest, detail: `room ${ready ?? 'ready'}; you land ${when}` } };
      }
      const after = `after you land at ${landing.time}`;
      return { key: `${landing.time}c`, event: { ...rest, detail: ready ? `${ready} · ${after}` : after } };
    }
    return { key: `${event.time ?? '99:99'}b`, event };
  });
  return keyed.sort((a, b) => a.key.localeCompare(b.key)).map((k) => k.event);
}

export function dayViews(itinerary: Itinerary): DayView[] {
  // A trip with several stops has a flight per journey and a hotel per stop; one destination,
  // a round trip and a hotel.
  const journeys = journeysOf(itinerary);
  const stops = stopsOf(itinerary);
  const plans = (journeys.length ? journeys.map((j) => j.plan) : [flightPlanOf(itinerary.flights)]).filter(
    (p): p is FlightPlan => p !== undefined,
  );
  const hotels = (stops.length ? stops.map((s) => s.hotel) : [hotelStayOf(itinerary.hotel)]).filter(
    (h): h is HotelStay => h !== undefined,
  );
  return itinerary.days.map((day) => {
    const events = inDayOrder(
      [
        ...plans.flatMap((plan) => flightEvents(plan, day.date)),
        ...hotels.flatMap((stay) => hotelEvents(stay, day.date)),
      ],
      day.date,
    );
    const restated = (item: string) =>
      RESTATED.test(item.trim()) &&
      events.some((e) =>
        /^fly/i.test(item.trim()) ? e.kind === 'flight' || e.kind === 'arrival' : e.kind !== 'flight',
      );
    const place = placeOfDay(stops, day.date);
    return {
      date: day.date,
      title: day.title,
      ...(place ? { place } : {}),
      weather: day.weather,
      events,
      activities: day.plan.filter((item) => !restated(item)),
      meals: day.meals ?? [],
    };
  });
}

export interface CostLine {
  label: string;
  amount: number;
}

export interface CostView {
  currency: string;
  lines: CostLine[];
  total: number;
  budget?: number;
  /** Positive: under budget by this much; negative: over. */
  leftOver?: number;
  /** Set when the figures were converted from USD: the USD total, for the record. */
  usdTotal?: number;
}

/**
 * The costs in the traveller's currency: the server's own conversion (`costs.display`) when it
 * sends one; else the rate the traveller's budget carries (its amount and its USD value). The AI
 * spend is the operator's cost, listed apart from the trip's total.
 */
export function costView(
  itinerary: Itinerary,
  budget?: { amount: number; currency: string; usd?: number },
): CostView {
  const c = itinerary.costs;
  const display = (
    c as {
      display?: {
        currency: string;
        flights: number;
        hotel: number;
        total: number;
        budget?: number;
        remaining?: number;
      };
    }
  ).display;
  if (display) {
    return {
      currency: display.currency,
      lines: [
        { label: 'Flights', amount: display.flights },
        { label: 'Hotel', amount: display.hotel },
      ],
      total: display.total,
      ...(display.budget !== undefined
        ? {
            budget: display.budget,
            leftOver: display.remaining ?? Math.round((display.budget - display.total) * 100) / 100,
          }
        : {}),
      usdTotal: c.total,
    };
  }
  const currency = budget && budget.currency !== c.currency && budget.usd ? budget.currency : c.currency;
  const rate = currency === c.currency ? 1 : budget!.amount / budget!.usd!;
  const at = (usd: number) => Math.round(usd * rate * 100) / 100;
  const lines: CostLine[] = [
    { label: 'Flights', amount: at(c.flights) },
    { label: 'Hotel', amount: at(c.hotel) },
  ];
  // Older runs counted the AI spend in the total: listed then, so the lines add up.
  const aiInTotal = Math.abs(c.flights + c.hotel + c.ai - c.total) < 0.005 && c.ai > 0;
  if (aiInTotal) lines.push({ label: 'Planning (AI)', amount: c.ai * rate });
  const total = at(c.total);
  const budgetAmount = budget && currency === budget.currency ? budget.amount : c.budget;
  return {
    currency,
    lines,
    total,
    ...(budgetAmount !== undefined
      ? { budget: budgetAmount, leftOver: Math.round((budgetAmount - total) * 100) / 100 }
      : {}),
    ...(rate !== 1 ? { usdTotal: c.total } : {}),
  };
}

/** "$32 under budget", "€120 over budget". */
export function budgetNote(view: CostView): string | undefined {
  if (view.leftOver === undefined) return undefined;
  const amount = money(Math.abs(view.leftOver), view.currency);
  return view.leftOver >= 0 ? `${amount} under budget` : `${amount} over budget`;
}

/** One flight of a trip with several stops, in travel order. */
export interface Journey {
  /** The quote's part key: "flights:1", "flights:2", "flights:return". */
  part: string;
  from: string;
  to: string;
  date: string;
  plan?: FlightPlan;
}

/** One stop of a trip with several stops: where, when, and the hotel there. */
export interface Stop {
  /** 1-based, in travel order. */
  index: number;
  place: string;
  checkIn: string;
  checkOut: string;
  hotel?: HotelStay;
  /** The weather outlook there, in a sentence. */
  weather?: string;
  /** The restaurants picked there. */
  restaurants: string[];
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The flights between the stops, in order; empty for a trip with one destination. */
export function journeysOf(itinerary: Itinerary): Journey[] {
  const journeys = arr((itinerary as { journeys?: unknown }).journeys);
  return journeys.flatMap((value): Journey[] => {
    const j = obj(value);
    const part = str(j?.part);
    const from = str(j?.from);
    const to = str(j?.to);
    const date = str(j?.date);
    if (!part || !from || !to || !date || !ISO_DATE.test(date)) return [];
    const plan = flightPlanOf(j?.flight);
    return [{ part, from, to, date, ...(plan ? { plan } : {}) }];
  });
}

/** The stops of a trip with several, in order; empty for a trip with one destination. */
export function stopsOf(itinerary: Itinerary): Stop[] {
  const stays = arr((itinerary as { stays?: unknown }).stays);
  return stays.flatMap((value, k): Stop[] => {
    const s = obj(value);
    const place = str(s?.place);
    const checkIn = str(s?.checkIn);
    const checkOut = str(s?.checkOut);
    if (!place || !checkIn || !checkOut || !ISO_DATE.test(checkIn) || !ISO_DATE.test(checkOut)) return [];
    const hotel = hotelStayOf(s?.hotel);
    const weather = str(obj(s?.weather)?.summary);
    const restaurants = arr(obj(s?.restaurants)?.picks)
      .map((p) => str(obj(p)?.name))
      .filter((n): n is string => n !== undefined);
    return [
      {
        index: k + 1,
        place,
        checkIn,
        checkOut,
        ...(hotel
          ? { hotel: { ...hotel, checkIn: hotel.checkIn ?? checkIn, checkOut: hotel.checkOut ?? checkOut } }
          : {}),
        ...(weather ? { weather } : {}),
        restaurants,
      },
    ];
  });
}

/**
 * Where the traveller is on `date`: the stop they sleep at, and on a day they move on, where from
 * ("Rome → Florence"). Undefined for a trip with one destination.
 */
export function placeOfDay(stops: readonly Stop[], date: string): string | undefined {
  if (stops.length < 2) return undefined;
  const leaving = stops.find((s) => s.checkOut === date);
  const staying = stops.find((s) => s.checkIn <= date && date < s.checkOut);
  if (leaving && staying) return `${leaving.place} → ${staying.place}`;
  return (staying ?? leaving)?.place;
}

/** Every journey's flight as one plan (each a leg titled by its journey), for the flights card. */
export function journeysPlan(journeys: readonly Journey[]): FlightPlan | undefined {
  const planned = journeys.filter((j): j is Journey & { plan: FlightPlan } => j.plan !== undefined);
  if (planned.length === 0) return undefined;
  const first = planned[0].plan;
  return {
    legs: planned.flatMap((j) => j.plan.legs.map((leg) => ({ ...leg, title: `${j.from} → ${j.to}` }))),
    cabin: first.cabin,
    passengers: first.passengers,
    totalUsd: planned.reduce((sum, j) => sum + (j.plan.totalUsd ?? 0), 0),
    fareNotes: first.fareNotes,
  };
}
