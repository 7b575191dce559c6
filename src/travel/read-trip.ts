/**
 * The `readTrip` activity: the facts of a trip request, each with where it came from. The text is
 * read by the recognizers (src/travel/understanding), the router model's reading checked against
 * it; the request's explicit fields win over the text, and the traveller's answers over both.
 * Places are resolved through the gazetteer (an activity, because the gazetteer is loaded data):
 * a town without an airport comes with its gateways and the ground leg, an unknown place comes
 * back named, never guessed. Questions the reading raised (dates in the wrong order, a season
 * without dates) come back to be asked, with a proposal where there is one.
 */
import { z } from 'zod';
import type { Issue } from '../agents/contracts';
import { toUsd } from '../domain/currency';
import { resolvePlace } from '../geo/resolve-place';
import { routerAnswerSchema } from './agents';
import {
  isoDateSchema,
  tripFieldsSchema,
  type Party,
  type ResolvedPlace,
  type TripFacts,
  type TripFields,
} from './schemas';
import { addDays, placeFact, reconcileRouterAnswer, roomsFor, travellersOf } from './understanding';
import type { FactSource, PlaceFact, Understanding } from './understanding';

export const READ_TRIP = 'readTrip';

export const readTripInputSchema = z.object({
  request: z.string().max(4000),
  today: isoDateSchema,
  answer: routerAnswerSchema,
  /** Explicit fields on the request. */
  fields: tripFieldsSchema.partial().default({}),
  /** The traveller's answers so far, merged (later answers win). */
  answers: tripFieldsSchema.partial().default({}),
});
export type ReadTripInput = z.input<typeof readTripInputSchema>;

export interface ReadTripOutput {
  facts: TripFacts;
  /** Places written in a field or an answer that no source knows: asked again, by name. */
  unknown: Issue[];
  /** What the reading wants to ask (each with its proposal). */
  questions: Issue[];
}

export function readTrip(raw: unknown): ReadTripOutput {
  const input = readTripInputSchema.parse(raw);
  const understood = reconcileRouterAnswer(input.answer, input.request, input.today);
  const facts = factsOf(understood);
  const countries = placesOf(facts)
    .map((p) => p.countryCode)
    .filter((c): c is string => c !== undefined);
  const unknown: Issue[] = [];
  for (const [given, from] of [
    [input.fields, 'field'],
    [input.answers, 'answer'],
  ] as const) {
    applyFields(facts, given, from, countries, unknown);
  }
  derive(facts);
  // A question the fields or answers have settled is not asked.
  const settled = new Set([...Object.keys(input.fields), ...Object.keys(input.answers)]);
  const questions = understood.questions
    .filter((q) => !settled.has(q.path) && !(q.path === 'endDate' && settled.has('startDate')))
    .map((q) => ({
      path: q.path,
      issue: q.issue,
      ...(q.proposal === undefined ? {} : { proposal: q.proposal }),
    }));
  return { facts, unknown, questions };
}

/** The understanding's facts in the run's shape (places with their airports, sources kept). */
function factsOf(u: Understanding): TripFacts {
  const f = u.facts;
  const facts: TripFacts = { sources: { ...u.sources }, inferences: [...u.inferences] };
  if (f.origin) facts.origin = placeOf(f.origin);
  if (f.legs?.length)
    facts.legs = f.legs.map((leg) => ({
      place: placeOf(leg.place),
      ...(leg.nights ? { nights: leg.nights } : {}),
    }));
  if (f.startDate) facts.startDate = f.startDate;
  if (f.endDate) facts.endDate = f.endDate;
  if (f.nights !== undefined) facts.nights = f.nights;
  if (f.party) facts.party = f.party;
  if (f.travellers !== undefined) facts.travellers = f.travellers;
  if (f.rooms !== undefined) facts.rooms = f.rooms;
  if (f.budget) facts.budget = { ...f.budget, usd: toUsd(f.budget.amount, f.budget.currency) };
  if (f.interests?.length) facts.interests = f.interests;
  if (f.dietary?.length) facts.dietary = f.dietary;
  if (f.cabin) facts.cabin = f.cabin;
  if (f.book) facts.book = true;
  return facts;
}

export function placeOf(place: PlaceFact): ResolvedPlace {
  const main = place.airports[0];
  return {
    query: place.query,
    name: place.name,
    country: place.countryName,
    countryCode: place.country,
    ...(place.region ? { region: place.region } : {}),
    kind: place.kind,
    ...(main ? { airport: main.iata } : {}),
    airports: place.airports.map(({ iata, name, distanceKm, inTown }) => ({
      iata,
      name,
      distanceKm,
      inTown,
    })),
    ...(place.ground ? { ground: place.ground } : {}),
  };
}

function placesOf(facts: TripFacts): ResolvedPlace[] {
  return [facts.origin, ...(facts.legs ?? []).map((leg) => leg.place)].filter(
    (p): p is ResolvedPlace => p !== undefined,
  );
}

/** Fields (or answers) over the facts read so far; places resolved, unknown ones reported. */
function applyFields(
  facts: TripFacts,
  fields: Partial<TripFields>,
  from: 'field' | 'answer',
  countries: string[],
  unknown: Issue[],
): void {
  const source = (note?: string): FactSource => ({ from, ...(note ? { note } : {}) });
  const sources = (facts.sources ??= {});
  const resolve = (query: string, path: string): ResolvedPlace | undefined => {
    const found = resolvePlace(query, { countries });
    if (found) return placeOf(placeFact(query, found));
    unknown.push({ path, issue: `"${query}" is not a place we know; give a city, town or airport code` });
    return undefined;
  };
  if (fields.origin !== undefined) {
    const place = resolve(fields.origin, 'origin');
    if (place) facts.origin = place;
    else delete facts.origin;
    sources.origin = source();
  }
  if (fields.destination !== undefined) {
    const place = resolve(fields.destination, 'destination');
    if (place) facts.legs = [{ place }];
    else delete facts.legs;
    sources['legs.0'] = source();
  }
  for (const key of ['startDate', 'endDate', 'contactEmail', 'travellerNames', 'cabin', 'rooms'] as const) {
    if (fields[key] !== undefined) {
      (facts as Record<string, unknown>)[key] = fields[key];
      sources[key] = source();
    }
  }
  if (fields.party) {
    facts.party = fields.party;
    facts.travellers = travellersOf(fields.party);
    sources.party = source();
    if (fields.rooms === undefined) delete facts.rooms;
  } else if (fields.travellers !== undefined && fields.travellers !== facts.travellers) {
    // A count that differs from the party read: the count wins, as adults.
    facts.party = { adults: fields.travellers, children: [], infants: 0 } satisfies Party;
    facts.travellers = fields.travellers;
    sources.party = source('a number of travellers, read as adults');
    if (fields.rooms === undefined) delete facts.rooms;
  }
  if (fields.budget) {
    facts.budget = { ...fields.budget, usd: toUsd(fields.budget.amount, fields.budget.currency) };
    sources.budget = source();
  }
  // A new start keeps the trip's length when only its end was read from a duration ("a week").
  if (fields.endDate !== undefined) delete facts.nights;
  else if (fields.startDate !== undefined && facts.nights !== undefined && sources.endDate?.from !== from) {
    facts.endDate = addDays(fields.startDate, facts.nights);
    sources.endDate = { from, inferred: true, note: `${facts.nights} nights from the start date` };
  }
}

/** What follows from the rest: the first destination, seats and rooms from the party, nights. */
function derive(facts: TripFacts): void {
  if (facts.legs?.length) facts.destination = facts.legs[0].place;
  else delete facts.destination;
  if (facts.party && facts.travellers === undefined) facts.travellers = travellersOf(facts.party);
  if (facts.party && facts.rooms === undefined) facts.rooms = roomsFor(facts.party);
  const legNights = facts.legs?.every((leg) => leg.nights !== undefined)
    ? facts.legs.reduce((sum, leg) => sum + (leg.nights ?? 0), 0)
    : undefined;
  if (facts.startDate && !facts.endDate && legNights) facts.endDate = addDays(facts.startDate, legNights);
  if (facts.startDate && facts.endDate) {
    const nights = Math.round(
      (Date.parse(`${facts.endDate}T00:00:00Z`) - Date.parse(`${facts.startDate}T00:00:00Z`)) / 86_400_000,
    );
    if (nights >= 0) facts.nights = nights;
  }
}
