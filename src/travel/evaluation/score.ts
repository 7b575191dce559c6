/**
 * Scoring an understanding against its label, field by field (pure). A field a label leaves out
 * must be absent from the understanding too: inventing a fact counts as wrong.
 */
import { foldName } from '../../geo';
import type { PlaceFact, Understanding } from '../understanding/types';
import type { LabelledRequest } from './labels';

export const FIELDS = [
  'route',
  'origin',
  'destinations',
  'dates',
  'nights',
  'party',
  'rooms',
  'budget',
] as const;
export type Field = (typeof FIELDS)[number];

export interface LineScore {
  id: string;
  lang: string;
  /** Per field: right or wrong; fields that do not apply (out-of-scope lines) are left out. */
  fields: Partial<Record<Field, boolean>>;
  /** What was read, for the report of misses. */
  got: Record<string, unknown>;
}

/** Does the place read match the label ("Portland, US-ME"): the name or one of its other names, the country, the state? */
export function placeMatches(label: string | undefined, place: PlaceFact | undefined): boolean {
  if (label === undefined || place === undefined) return label === undefined && place === undefined;
  const [name = '', code = ''] = label.split(', ');
  const [country, region] = code.split('-');
  const names = [place.name, place.query, ...place.otherNames].map(foldName);
  return (
    names.includes(foldName(name)) &&
    place.country === country &&
    (region === undefined || place.region === `${country}-${region}`)
  );
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export function scoreLine(line: LabelledRequest, understood: Understanding): LineScore {
  const e = line.expect;
  const f = understood.facts;
  const fields: LineScore['fields'] = { route: understood.route === e.route };
  if (e.route !== 'out_of_scope' && e.route !== 'booking_change') {
    const legs = f.legs ?? [];
    const wanted = e.destinations ?? [];
    fields.origin = placeMatches(e.origin, f.origin);
    fields.destinations =
      wanted.length === legs.length && wanted.every((d, k) => placeMatches(d, legs[k]?.place));
    fields.dates = same(e.startDate, f.startDate) && same(e.endDate, f.endDate);
    fields.nights = same(e.nights, f.nights);
    fields.party = same(
      e.party,
      f.party ? [f.party.adults, f.party.children.length, f.party.infants] : undefined,
    );
    fields.rooms = same(e.rooms, f.rooms);
    fields.budget = same(e.budget, f.budget ? [f.budget.amount, f.budget.currency] : undefined);
  }
  return {
    id: line.id,
    lang: line.lang,
    fields,
    got: {
      route: understood.route,
      origin: f.origin?.name,
      destinations: (f.legs ?? []).map((leg) => leg.place.name),
      startDate: f.startDate,
      endDate: f.endDate,
      nights: f.nights,
      party: f.party && [f.party.adults, f.party.children.length, f.party.infants],
      rooms: f.rooms,
      budget: f.budget && [f.budget.amount, f.budget.currency],
    },
  };
}

export interface FieldFigure {
  correct: number;
  total: number;
  /** 0–1. */
  accuracy: number;
}

export interface Summary {
  lines: number;
  fields: Record<Field, FieldFigure>;
  /** Lines with every applicable field right. */
  allRight: number;
  languages: Record<string, number>;
}

export function summarize(scores: readonly LineScore[]): Summary {
  const fields = Object.fromEntries(
    FIELDS.map((field) => [field, { correct: 0, total: 0, accuracy: 1 }]),
  ) as Record<Field, FieldFigure>;
  const languages: Record<string, number> = {};
  let allRight = 0;
  for (const score of scores) {
    languages[score.lang] = (languages[score.lang] ?? 0) + 1;
    const values = Object.entries(score.fields) as [Field, boolean][];
    if (values.every(([, right]) => right)) allRight++;
    for (const [field, right] of values) {
      fields[field].total++;
      if (right) fields[field].correct++;
    }
  }
  for (const figure of Object.values(fields))
    figure.accuracy = figure.total === 0 ? 1 : figure.correct / figure.total;
  return { lines: scores.length, fields, allRight, languages };
}
