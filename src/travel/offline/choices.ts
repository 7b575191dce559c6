/**
 * How the offline specialists choose from what the tools returned: the same judgement a model is
 * asked for in their instructions (fit the budget, fewest stops, best rated …), as rules.
 */
import type { DiningPicks, FlightChoice, HotelChoice, WeatherReport } from '../agents';

interface Money {
  amount: number;
  currency: string;
}
interface Slice {
  departure: string;
  arrival: string;
  stops: number;
  segments: { flightNumber: string; airline: { name: string } }[];
}
interface FlightOffer {
  offerId: string;
  outbound: Slice;
  inbound?: Slice;
  totalPrice: Money;
  seatsLeft?: number;
}

export function chooseFlight(result: unknown, maxTotalUsd?: number): FlightChoice {
  const offers = ((result as { offers?: FlightOffer[] }).offers ?? []).slice();
  if (offers.length === 0) return { found: false, description: 'No flight offers for these dates.' };
  const fitting =
    maxTotalUsd === undefined ? offers : offers.filter((o) => o.totalPrice.amount <= maxTotalUsd);
  const pool = fitting.length > 0 ? fitting : offers;
  const stops = (o: FlightOffer) => o.outbound.stops + (o.inbound?.stops ?? 0);
  pool.sort((a, b) => stops(a) - stops(b) || a.totalPrice.amount - b.totalPrice.amount);
  // Prefer fewer stops unless a one-more-stop offer saves over 30%.
  const best = pool.reduce((chosen, offer) =>
    stops(offer) > stops(chosen) && offer.totalPrice.amount < chosen.totalPrice.amount * 0.7 ? offer : chosen,
  );
  const airline = best.outbound.segments[0]?.airline.name ?? 'an airline';
  const describe = (slice: Slice) =>
    `${slice.departure.slice(0, 16).replace('T', ' ')} → ${slice.arrival.slice(0, 16).replace('T', ' ')}, ${slice.stops === 0 ? 'non-stop' : `${slice.stops} stop(s)`}`;
  return {
    found: true,
    offerId: best.offerId,
    totalUsd: best.totalPrice.amount,
    description:
      `${airline}: out ${describe(best.outbound)}` +
      (best.inbound ? `; back ${describe(best.inbound)}` : '') +
      `; ${best.totalPrice.amount} ${best.totalPrice.currency} in total` +
      (fitting.length === 0 && maxTotalUsd !== undefined ? ` (no offer under ${maxTotalUsd} USD)` : ''),
    details: best,
  };
}

interface HotelOffer {
  offerId: string;
  hotel: { name: string; stars: number; guestRating: number; neighbourhood: string };
  nights: number;
  averageNightlyPrice: Money;
  totalPrice: Money;
}

export function chooseHotel(result: unknown, maxTotalUsd?: number): HotelChoice {
  const offers = ((result as { offers?: HotelOffer[] }).offers ?? []).slice();
  if (offers.length === 0) return { found: false, description: 'No hotel offers for these dates.' };
  const fitting =
    maxTotalUsd === undefined ? offers : offers.filter((o) => o.totalPrice.amount <= maxTotalUsd);
  const best =
    fitting.length > 0
      ? fitting.sort(
          (a, b) => b.hotel.guestRating - a.hotel.guestRating || a.totalPrice.amount - b.totalPrice.amount,
        )[0]
      : offers.sort((a, b) => a.totalPrice.amount - b.totalPrice.amount)[0];
  return {
    found: true,
    offerId: best.offerId,
    name: best.hotel.name,
    totalUsd: best.totalPrice.amount,
    nightlyUsd: best.averageNightlyPrice.amount,
    description:
      `${best.hotel.name} (${best.hotel.stars}★, rated ${best.hotel.guestRating}/10, ${best.hotel.neighbourhood}): ` +
      `${best.nights} night(s), ${best.totalPrice.amount} ${best.totalPrice.currency}` +
      (fitting.length === 0 && maxTotalUsd !== undefined
        ? ` — the cheapest; none under ${maxTotalUsd} USD`
        : ''),
    details: best,
  };
}

interface ClimateDay {
  date: string;
  highC: number;
  lowC: number;
  conditions: string;
  precipitationMm: number;
}

export function summarizeWeather(result: unknown): WeatherReport {
  const data = result as {
    place?: { name: string };
    note?: string;
    source?: string;
    summary?: { averageHighC: number; averageLowC: number; wetDays: number };
    days?: ClimateDay[];
  };
  const days = (data.days ?? []).map((d) => ({
    date: d.date,
    highC: d.highC,
    lowC: d.lowC,
    conditions: d.conditions,
    precipitationMm: d.precipitationMm,
  }));
  const s = data.summary;
  return {
    summary: s
      ? `${data.place?.name ?? 'There'}: highs around ${s.averageHighC}°C, lows around ${s.averageLowC}°C, ${s.wetDays} wet day(s) of ${days.length}.`
      : 'No outlook available.',
    days,
    ...(data.note ? { note: data.source ? `${data.note} Source: ${data.source}.` : data.note } : {}),
  };
}

interface Restaurant {
  name: string;
  cuisine: string;
  cuisineLabel?: string;
  priceLevel: number;
  rating: number;
  neighbourhood: string;
  averageMainCourseUsd: number;
  dietary?: string[];
}

/** The dietary needs the restaurants search understands, and how travellers write them. */
const DIETARY_SYNONYMS: Record<string, readonly string[]> = {
  vegetarian: ['vegetarian', 'veggie', 'vegetarien', 'vegetarisch', 'vegetariano', 'vegetariana'],
  vegan: ['vegan', 'vegans', 'plant based', 'vegetalien', 'vegano', 'vegana'],
  gluten_free: [
    'gluten free',
    'glutenfree',
    'no gluten',
    'coeliac',
    'celiac',
    'sans gluten',
    'glutenfrei',
    'sin gluten',
    'senza glutine',
  ],
  halal: ['halal'],
  kosher: ['kosher', 'kasher', 'koscher'],
};

/** `dietary` wishes as the search's needs, and the wishes no need matches (to be said, not dropped). */
export function dietaryNeeds(wishes: readonly string[] = []): { needs: string[]; unmatched: string[] } {
  const needs = new Set<string>();
  const unmatched: string[] = [];
  for (const wish of wishes) {
    const plain = wish.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[_-]+/g, ' ').trim();
    const need = Object.keys(DIETARY_SYNONYMS).find((key) => DIETARY_SYNONYMS[key].includes(plain));
    if (need) needs.add(need);
    else if (plain !== '') unmatched.push(wish.trim());
  }
  return { needs: Object.keys(DIETARY_SYNONYMS).filter((key) => needs.has(key)), unmatched };
}

const needLabel = (need: string) => need.replace('_', '-');

export function pickRestaurants(
  result: unknown,
  days: number,
  maxPriceLevel?: number,
  wishes: readonly string[] = [],
): DiningPicks {
  const { needs, unmatched } = dietaryNeeds(wishes);
  const all = (result as { restaurants?: Restaurant[] }).restaurants ?? [];
  // The search filters by need already; this keeps a place that does not cater out whatever it said.
  const suitable = all.filter((r) => needs.every((need) => (r.dietary ?? []).includes(need)));
  const affordable =
    maxPriceLevel === undefined ? suitable : suitable.filter((r) => r.priceLevel <= maxPriceLevel);
  const local = affordable.filter((r) => r.cuisine === 'local');
  const ordered = [...local, ...affordable.filter((r) => r.cuisine !== 'local')];
  const picks = ordered.slice(0, Math.max(1, Math.min(days, 10))).map((r) => ({
    name: r.name,
    cuisine: r.cuisineLabel ?? r.cuisine,
    priceLevel: Math.min(4, Math.max(1, r.priceLevel)),
    rating: r.rating,
    neighbourhood: r.neighbourhood,
    averageMainCourseUsd: r.averageMainCourseUsd,
    ...(r.dietary ? { dietary: r.dietary } : {}),
  }));
  const caters = needs.length > 0 ? ` All cater for ${needs.map(needLabel).join(', ')}.` : '';
  const unchecked =
    unmatched.length > 0
      ? ` Not checked (the search knows no such option): ${unmatched.join(', ')} — ask each restaurant.`
      : '';
  return {
    picks,
    summary:
      (picks.length > 0
        ? `${picks.length} place(s), best rated first, local kitchen first.${caters}`
        : `No restaurants found${needs.length > 0 ? ` that cater for ${needs.map(needLabel).join(', ')}` : ''}.`) +
      unchecked,
  };
}
