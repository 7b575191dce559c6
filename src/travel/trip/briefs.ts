/**
 * What each specialist is told: a brief built from the checked facts only, never from a
 * planner's or a model's rewrite of them (a model could change the dates or the party on the way).
 */
import type { Topic, TripFacts } from '../schemas';
import { daysBetween } from '../validate-facts';
import { GUESTS_PER_ROOM } from './offers';

/** Share of the traveller's budget a specialist aims for (the rest is the other's). */
const BUDGET_SHARE = { flights: 0.6, hotels: 0.4 } as const;

export function briefFor(topic: Topic, facts: TripFacts): Record<string, unknown> {
  const where = (p: TripFacts['origin']) => p?.airport ?? p?.name;
  const budget = facts.budget?.usd;
  const travellers = facts.travellers ?? 1;
  switch (topic) {
    case 'flights':
      return {
        origin: where(facts.origin),
        destination: where(facts.destination),
        departDate: facts.startDate,
        ...(facts.endDate ? { returnDate: facts.endDate } : {}),
        passengers: travellers,
        cabin: facts.cabin ?? 'economy',
        ...(budget !== undefined ? { maxTotalUsd: Math.floor(budget * BUDGET_SHARE.flights) } : {}),
      };
    case 'hotels':
      return {
        city: facts.destination?.name,
        checkIn: facts.startDate,
        checkOut: facts.endDate,
        guests: travellers,
        rooms: facts.rooms ?? Math.ceil(travellers / GUESTS_PER_ROOM),
        ...(budget !== undefined ? { maxTotalUsd: Math.floor(budget * BUDGET_SHARE.hotels) } : {}),
        ...(facts.interests ? { interests: facts.interests } : {}),
      };
    case 'weather':
      return {
        place: facts.destination?.name,
        startDate: facts.startDate,
        endDate: facts.endDate ?? facts.startDate,
      };
    case 'restaurants':
      return {
        city: facts.destination?.name,
        days: facts.startDate && facts.endDate ? daysBetween(facts.startDate, facts.endDate) + 1 : 3,
      };
  }
}
