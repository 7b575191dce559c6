/**
 * The places a request names, where, and in which role: the gazetteer's own scanner for cities,
 * airports and codes; capitalised names after a direction word for towns, regions and countries;
 * Japanese and Chinese names by substring. Roles come from each language's direction words
 * ("von X nach Y", "de X à Y", "X から Y へ", "从 X 到 Y") and from order ("X to Y", "X – Y").
 */
import { findPlaces, foldName } from '../../geo';
import { checkable, resolvePlace, type ResolvedPlace } from '../../geo/resolve-place';
import { getGazetteer } from '../../geo/gazetteer';
import { TOWN_EXONYMS } from '../../geo/exonyms';
import { REGION_ROWS } from '../../geo/regions';
import {
  CJK_FROM_AFTER,
  CJK_FROM_BEFORE,
  CJK_TO_AFTER,
  CJK_TO_BEFORE,
  DIRECTION_LEADS,
  isFromBefore,
  isToBefore,
  type Language,
} from './languages';

export type PlaceRole = 'origin' | 'destination' | 'unmarked';

export interface PlaceInText {
  /** As written, with its qualifier ("Portland, Maine", "Saint-Louis (Haut-Rhin)"). */
  text: string;
  start: number;
  end: number;
  place: ResolvedPlace;
  role: PlaceRole;
}

/** Countries whose towns a request in this language most likely means (homonyms only). */
const LANGUAGE_COUNTRIES: Partial<Record<Language, string[]>> = {
  de: ['DE', 'AT', 'CH'],
  fr: ['FR', 'BE', 'CH', 'CA'],
  es: ['ES', 'MX', 'AR', 'CO'],
  pt: ['PT', 'BR'],
  it: ['IT', 'CH'],
  nl: ['NL', 'BE'],
  ja: ['JP'],
  zh: ['CN'],
  ru: ['RU'],
  sv: ['SE'],
};

/** Capitalised words that are never a place in a request, whatever town shares the name. */
const NOT_PLACES = new Set(
  `plan trip travel budget family friends team business honeymoon weekend week nights days adults kids
   children people couple solo vacation holiday holidays flights flight hotel hotels weather ski system
   ignore new instruction sunday monday tuesday wednesday thursday friday saturday january february
   march april may june july august september october november december spring summer autumn winter
   fall no somewhere warm long we i my one two three four five six seven eight nine ten
   familienurlaub urlaub rundreise erst eine zwei drei personen erwachsene kinder budget woche wochen
   skiurlaub junggesellenabschied vereinsausflug nächstes im wir allein bitte frühling zurück von nach
   vacances famille une semaine deux seul nous enterrement le au printemps de du depuis
   vacaciones familia una semana despedida dos tres el en somos viajo próximo
   férias família uma semana sozinho somos no
   vacanza famiglia una settimana addio il da prossimo
   gezinsvakantie een week met vanuit in het
   business team offsite stag`
    .trim()
    .split(/\s+/),
);

/** A capitalised run of words ("Saint-Louis", "Salt Lake City", "Cortina d'Ampezzo"), then an optional (qualifier). */
const CANDIDATE =
  /\p{Lu}[\p{L}'’-]*(?:\s(?:(?:de|del|da|do|di|am|an|der|la|le|les|el|sur|upon|on)\s|d['’]|dell['’])?\p{Lu}[\p{L}'’-]*){0,3}(?:\s*\([^)]{2,40}\))?/gu;

let cjkNames: string[] | undefined;
/** Every CJK or Cyrillic name the gazetteer and the town exonyms know, longest first. */
function scriptNames(): string[] {
  if (cjkNames === undefined) {
    const names = new Set<string>();
    for (const city of getGazetteer().cities) {
      for (const name of city.otherNames) if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(name)) names.add(name);
    }
    for (const [name] of getGazetteer().names) if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(name)) names.add(name);
    for (const name of Object.keys(TOWN_EXONYMS))
      if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(name)) names.add(name);
    for (const row of REGION_ROWS)
      for (const name of row.otherNames.split(';'))
        if (/[\u3040-\u30ff\u4e00-\u9fff]/.test(name)) names.add(name.trim());
    cjkNames = [...names].sort((a, b) => b.length - a.length);
  }
  return cjkNames;
}

interface Span {
  text: string;
  start: number;
  end: number;
  /** Found by the capitalised-name scan (not the gazetteer's own scanner). */
  scanned?: boolean;
}

/** Places named in `text`, in text order, each with its role. */
export function placesInText(text: string, language: Language): PlaceInText[] {
  const spans: Span[] = [];
  const taken = (start: number, end: number) => spans.some((s) => start < s.end && end > s.start);
  for (const mention of findPlaces(text))
    spans.push({ text: mention.text, start: mention.start, end: mention.end });
  if (language === 'ja' || language === 'zh') {
    for (const name of scriptNames()) {
      for (let at = text.indexOf(name); at >= 0; at = text.indexOf(name, at + 1)) {
        if (!taken(at, at + name.length)) spans.push({ text: name, start: at, end: at + name.length });
      }
    }
  }
  for (const match of text.matchAll(CANDIDATE)) {
    let written = match[0];
    let start = match.index;
    // "Von Frankfurt": a capitalised direction word at a sentence start is not part of the name.
    const lead = /^(\p{Lu}\p{Ll}*'?)\s*/u.exec(written);
    if (
      lead &&
      written.length > lead[0].length &&
      (NOT_PLACES.has(foldName(lead[1])) || DIRECTION_LEADS.has(lead[1].toLowerCase()))
    ) {
      written = written.slice(lead[0].length);
      start += lead[0].length;
    }
    // "Cortina d'Ampezzo da Roma": the run stops where a place the gazetteer found begins.
    const next = spans
      .filter((s) => s.start > start && s.start < start + written.length)
      .sort((a, b) => a.start - b.start)[0];
    if (next) written = written.slice(0, next.start - start).replace(/\s+(?:\p{Ll}+\s*)*$/u, '');
    // Codes are the gazetteer scanner's (findPlaces); capitals alone here are words ("SYSTEM", "CAD").
    if (written.length < 3 || !/\p{Ll}/u.test(written) || taken(start, start + written.length)) continue;
    if (NOT_PLACES.has(foldName(written.replace(/\s*\(.*$/, '')))) continue;
    spans.push({ text: written, start, end: start + written.length, scanned: true });
  }
  spans.sort((a, b) => a.start - b.start);
  return resolveSpans(text, spans, language);
}

function resolveSpans(text: string, spans: Span[], language: Language): PlaceInText[] {
  const found: PlaceInText[] = [];
  const countries = [...(LANGUAGE_COUNTRIES[language] ?? [])];
  const skip = new Set<Span>();
  for (const span of spans) {
    if (skip.has(span)) continue;
    const qualified = withQualifier(text, span, spans, countries);
    if (qualified) qualified.covered.forEach((covered) => skip.add(covered));
    const current = qualified?.span ?? span;
    const place = qualified?.place ?? resolvePlace(current.text, { countries });
    if (place === undefined) continue;
    // A scanned three-letter word that resolved as a code ("Tre" → TRE) is a word, not a place.
    if (current.scanned && /^\p{L}{3}$/u.test(current.text) && place.kind !== 'town') continue;
    const role = roleOf(text, current, language);
    // A town that shares its name with a word needs a direction word, a qualifier or a place in a list.
    if (
      place.kind === 'town' &&
      role === 'unmarked' &&
      !qualified &&
      !looseTownAllowed(text, current, spans, language)
    )
      continue;
    found.push({ ...current, place, role });
    countries.unshift(place.country);
  }
  return found;
}

/** "Portland, Maine", "London, Ontario", "Córdoba, Argentina": a state or country after a comma that picks the homonym. */
function withQualifier(
  text: string,
  span: Span,
  spans: readonly Span[],
  countries: readonly string[],
): { span: Span; place: ResolvedPlace; covered: Span[] } | undefined {
  const m = /^\s*,\s*(\p{Lu}[\p{L}.]*(?:\s\p{Lu}[\p{L}.]*){0,2})/u.exec(text.slice(span.end));
  if (!m || !checkable(m[1])) return undefined;
  const end = span.end + m[0].length;
  const written = text.slice(span.start, end);
  const place = resolvePlace(written, { countries });
  const plain = resolvePlace(span.text, { countries });
  if (place === undefined || place.key === plain?.key) return undefined;
  return {
    span: { text: written, start: span.start, end },
    place,
    covered: spans.filter((s) => s.start >= span.end && s.start < end),
  };
}

/** An unmarked town counts at the start of the request, after a duration ("Een week Zermatt") or in a list of places. */
function looseTownAllowed(text: string, span: Span, spans: readonly Span[], language: Language): boolean {
  if (language === 'ja' || language === 'zh') return true;
  const before = text.slice(0, span.start);
  // At the start, only with what a destination is followed by: "Alicante from …", "Positano for 4 nights".
  const followed =
    /^\s*,?\s*(?:from|to|for|per|para|pour|für|vanuit|van|naar|nach|da|de|desde|depuis|ab|von|\d|→|–|-)(?![\p{L}])/iu.test(
      text.slice(span.end),
    );
  if ((/^[\s"'¿¡(]*$/.test(before) || /[.!?:]\s*$/.test(before)) && followed) return true;
  if (
    /(?:week|weeks|nights?|days?|woche|wochen|nächte|semaine|semaines|semana|semanas|settimana|weken|nachten)\s*$/iu.test(
      before,
    )
  )
    return true;
  return (
    /,\s*$/.test(before) &&
    spans.some(
      (other) =>
        other.end <= span.start && /^\s*[\p{L}\d\s]{0,20},\s*$/u.test(text.slice(other.end, span.start)),
    )
  );
}

function roleOf(text: string, span: Span, language: Language): PlaceRole {
  if (language === 'ja' || language === 'zh') {
    const after = text.slice(span.end, span.end + 3);
    const before = text.slice(Math.max(0, span.start - 2), span.start);
    if (CJK_FROM_AFTER.test(after) || CJK_FROM_BEFORE.test(before)) return 'origin';
    if (CJK_TO_AFTER.test(after) || CJK_TO_BEFORE.test(before)) return 'destination';
    return 'unmarked';
  }
  const before = text.slice(Math.max(0, span.start - 24), span.start);
  if (isFromBefore(before, language)) return 'origin';
  if (isToBefore(before, language)) return 'destination';
  return 'unmarked';
}
