/**
 * The offline router's reading of a request, in the router agent's answer shape: the route, the
 * topics and the facts as written. The reading itself is `src/travel/understanding` (recognizers
 * with the gazetteer as the checker); this entry keeps the router's answer shape for the offline
 * policy and for callers that read one destination and a traveller count.
 */
import type { RouterAnswer } from './agents';
import { understand } from './understanding/assemble';
import type { Understanding } from './understanding/types';

export { addDays } from './understanding/dates';

export type UnderstoodRequest = RouterAnswer;

/** Understands `text` as of `today` (YYYY-MM-DD). Explicit fields, merged later, win over the text. */
export function understandRequest(text: string, today: string): UnderstoodRequest {
  return asRouterAnswer(understand(text, today));
}

/** The understanding in the router's answer shape (places as written). */
export function asRouterAnswer(understood: Understanding): RouterAnswer {
  const { facts } = understood;
  const out: RouterAnswer['facts'] = {};
  if (facts.origin) out.origin = facts.origin.query;
  if (facts.legs?.length) {
    out.destination = facts.legs[0].place.query;
    out.destinations = facts.legs.map((leg) => ({
      place: leg.place.query,
      ...(leg.nights ? { nights: leg.nights } : {}),
    }));
  }
  if (facts.startDate) out.startDate = facts.startDate;
  if (facts.endDate) out.endDate = facts.endDate;
  if (facts.nights !== undefined) out.nights = facts.nights;
  if (facts.party) out.party = facts.party;
  if (facts.travellers !== undefined) out.travellers = facts.travellers;
  if (facts.rooms !== undefined) out.rooms = facts.rooms;
  if (facts.budget) out.budget = facts.budget;
  if (facts.interests) out.interests = facts.interests;
  if (facts.dietary) out.dietary = facts.dietary;
  if (facts.cabin) out.cabin = facts.cabin;
  if (facts.book) out.book = true;
  if (facts.bookingId) out.bookingId = facts.bookingId;
  return {
    route: understood.route,
    topics: understood.topics,
    facts: out,
    ...(understood.reply ? { reply: understood.reply } : {}),
  };
}
