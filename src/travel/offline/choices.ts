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
    ...(data.note ? { note: data.note } : {}),
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
}

export function pickRestaurants(result: unknown, days: number, maxPriceLevel?: number): DiningPicks {
  const all = (result as { restaurants?: Restaurant[] }).restaurants ?? [];
  const affordable = maxPriceLevel === undefined ? all : all.filter((r) => r.priceLevel <= maxPriceLevel);
  const local = affordable.filter((r) => r.cuisine === 'local');
  const ordered = [...local, ...affordable.filter((r) => r.cuisine !== 'local')];
  const picks = ordered.slice(0, Math.max(1, Math.min(days, 10))).map((r) => ({
    name: r.name,
    cuisine: r.cuisineLabel ?? r.cuisine,
    priceLevel: Math.min(4, Math.max(1, r.priceLevel)),
    rating: r.rating,
    neighbourhood: r.neighbourhood,
    averageMainCourseUsd: r.averageMainCourseUsd,
  }));
  return {
    picks,
    summary:
      picks.length > 0
        ? `${picks.length} place(s), best rated first, local kitchen first.`
        : 'No restaurants found.',
  };
}
