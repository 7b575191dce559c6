/**
 * A router model's answer checked against the request: the recognizers run in code in every case,
 * and a model's fact is advice. It is kept as read from the text only when the recognizers or the
 * gazetteer confirm it there; a fact the recognizers did not find is kept but marked inferred (the
 * run states or asks it); where the two disagree, the text's reading wins and the difference is
 * listed. Pure and deterministic (`today` in).
 */
import { foldName } from '../../geo';
import { resolvePlace } from '../../geo/resolve-place';
import type { RouterAnswer } from '../agents';
import { placeFact } from './assemble';
import { understand } from './assemble';
import { nightsBetween } from './dates';
import { roomsFor, travellersOf } from './party';
import type { FactSource, PlaceFact, Understanding, UnderstoodFacts } from './types';

const modelSource = (inferred: boolean, note: string): FactSource => ({ from: 'model', inferred, note });

/** The understanding of `text`, with what the model read merged in as advice. */
export function reconcileRouterAnswer(answer: RouterAnswer, text: string, today: string): Understanding {
  const read = understand(text, today);
  // Out of scope on the text's own evidence stays so; a model that refuses a trip the text plainly states is overruled.
  if (read.route === 'out_of_scope') return read;
  const route =
    answer.route === 'out_of_scope'
      ? read.route
      : answer.route === 'booking_change'
        ? 'booking_change'
        : read.route;
  const merged: Understanding = {
    ...read,
    route,
    topics: route === read.route ? read.topics : answer.topics,
    facts: { ...read.facts },
    sources: { ...read.sources },
    inferences: [...read.inferences],
    questions: [...read.questions],
  };
  if (route !== read.route)
    merged.inferences.push({
      field: 'route',
      note: `the model read this as ${route}; the text reads as ${read.route}`,
    });
  mergePlaces(answer, text, merged);
  mergeValue(merged, 'startDate', answer.facts.startDate, isIsoDate);
  mergeValue(merged, 'endDate', answer.facts.endDate, isIsoDate);
  mergeValue(
    merged,
    'budget',
    answer.facts.budget && { ...answer.facts.budget, currency: answer.facts.budget.currency.toUpperCase() },
  );
  mergeValue(merged, 'party', answer.facts.party);
  mergeValue(merged, 'rooms', answer.facts.rooms);
  const { facts } = merged;
  if (facts.party && facts.travellers === undefined) facts.travellers = travellersOf(facts.party);
  if (facts.party && facts.rooms === undefined) facts.rooms = roomsFor(facts.party);
  if (facts.startDate && facts.endDate && facts.nights === undefined && facts.endDate >= facts.startDate)
    facts.nights = nightsBetween(facts.startDate, facts.endDate);
  if (facts.nights === undefined && answer.facts.nights !== undefined) {
    facts.nights = answer.facts.nights;
    merged.sources.nights = modelSource(true, 'read by the model; not found in the text');
  }
  for (const key of ['interests', 'dietary'] as const) {
    if (!facts[key] && answer.facts[key]?.length) facts[key] = answer.facts[key];
  }
  if (answer.facts.book === true && !facts.book && /\bbook|buch|réserv|reserv|prenot|boek/i.test(text))
    facts.book = true;
  if (
    answer.facts.bookingId &&
    !facts.bookingId &&
    text.toUpperCase().includes(answer.facts.bookingId.toUpperCase())
  )
    facts.bookingId = answer.facts.bookingId.toUpperCase();
  return merged;
}

const isIsoDate = (value: unknown) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);

/** One fact: equal to the text's reading → confirmed; absent there → the model's, inferred; different → the text's. */
function mergeValue<K extends 'startDate' | 'endDate' | 'budget' | 'party' | 'rooms'>(
  merged: Understanding,
  key: K,
  fromModel: UnderstoodFacts[K] | undefined,
  valid: (value: unknown) => boolean = () => true,
): void {
  if (fromModel === undefined || !valid(fromModel)) return;
  const fromText = merged.facts[key];
  if (fromText === undefined) {
    merged.facts[key] = fromModel;
    merged.sources[key] = modelSource(true, 'read by the model; not found in the text');
    merged.inferences.push({
      field: key,
      note: `${key} ${JSON.stringify(fromModel)} was read by the model only`,
    });
  } else if (JSON.stringify(fromText) !== JSON.stringify(fromModel)) {
    merged.inferences.push({
      field: key,
      note: `the model read ${key} as ${JSON.stringify(fromModel)}; the text says ${JSON.stringify(fromText)}`,
    });
  }
}

/** A place the model named: confirmed when it is written in the request and the gazetteer knows it. */
function modelPlace(
  written: string,
  text: string,
  countries: string[],
): { fact: PlaceFact; confirmed: boolean } | undefined {
  const place = resolvePlace(written, { countries });
  if (place === undefined) return undefined;
  const name = foldName(written.split(',')[0] ?? written);
  const confirmed = name.length > 0 && foldName(text).includes(name);
  return { fact: placeFact(written, place), confirmed };
}

function mergePlaces(answer: RouterAnswer, text: string, merged: Understanding): void {
  const { facts, sources, inferences, questions } = merged;
  const countries = [facts.origin?.country, ...(facts.legs ?? []).map((leg) => leg.place.country)].filter(
    (country): country is string => country !== undefined,
  );
  if (answer.facts.origin && !facts.origin) {
    const found = modelPlace(answer.facts.origin, text, countries);
    if (found) {
      facts.origin = found.fact;
      sources.origin = modelSource(
        !found.confirmed,
        found.confirmed ? 'read by the model, found in the text' : 'read by the model only',
      );
      if (!found.confirmed)
        inferences.push({ field: 'origin', note: `origin ${found.fact.name} was read by the model only` });
    } else
      questions.push({
        path: 'origin',
        issue: `"${answer.facts.origin}" is not a place we know; give a city or airport`,
      });
  }
  const wanted =
    answer.facts.destinations ?? (answer.facts.destination ? [{ place: answer.facts.destination }] : []);
  if (wanted.length > 0 && !facts.legs?.length) {
    const legs: NonNullable<UnderstoodFacts['legs']> = [];
    wanted.forEach((leg) => {
      const found = modelPlace(leg.place, text, countries);
      if (!found) {
        questions.push({
          path: `legs.${legs.length}`,
          issue: `"${leg.place}" is not a place we know; give a city or airport`,
        });
        return;
      }
      sources[`legs.${legs.length}`] = modelSource(
        !found.confirmed,
        found.confirmed ? 'read by the model, found in the text' : 'read by the model only',
      );
      if (!found.confirmed)
        inferences.push({
          field: `legs.${legs.length}`,
          note: `${found.fact.name} was read by the model only`,
        });
      legs.push({ place: found.fact, ...(leg.nights ? { nights: leg.nights } : {}) });
    });
    if (legs.length > 0) facts.legs = legs;
  }
}
