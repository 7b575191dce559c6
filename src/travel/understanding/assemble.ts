/**
 * The understanding of one request: each reader on its own job (money, party, dates, places,
 * legs, scope), each fact with its source, the inferences that change the request, and every
 * question in one round. Pure and deterministic: `today` (YYYY-MM-DD) is passed in.
 */
import type { ResolvedPlace } from '../../geo/resolve-place';
import { datesInText, mask, nightsBetween, addDays, proposeDates } from './dates';
import { detectLanguage } from './languages';
import { assignNights, routeOf } from './legs';
import { amountsInText, budgetInText } from './money';
import { partyInText, roomsFor, travellersOf } from './party';
import { placesInText, type PlaceInText } from './places-in-text';
import { OUT_OF_SCOPE_REPLY, scopeOf } from './scope';
import type { FactSource, PlaceFact, Question, Understanding, UnderstoodFacts } from './types';

const INTERESTS = [
  'hiking',
  'trekking',
  'beach',
  'beaches',
  'museums',
  'art',
  'food',
  'wine',
  'nightlife',
  'skiing',
  'diving',
  'surfing',
  'history',
  'shopping',
  'wildlife',
  'glaciers',
  'architecture',
  'music',
  'family',
];
/** Whole words in any script (JavaScript's \b ends at the first accented letter). */
const word = (body: string) => new RegExp(`(?<![\\p{L}\\p{N}])(?:${body})(?![\\p{L}\\p{N}])`, 'iu');
const DIETARY: [RegExp, string][] = [
  [
    word(
      'vegetarians?|vegetarisch(?:e[nr]?)?|végétarien(?:ne)?s?|vegetarian[oa]s?|vegetariër|vegetarier|菜食|素食',
    ),
    'vegetarian',
  ],
  [word('vegans?|végan(?:e)?s?|vegan[oa]s?|veganistisch|vegane[nr]?'), 'vegan'],
  [
    word('gluten[- ]free|glutenfrei|sans gluten|sin gluten|sem glúten|senza glutine|coeliac|celiac|zöliakie'),
    'gluten-free',
  ],
  [word('halal'), 'halal'],
  [word('kosher|koscher|casher|cacher'), 'kosher'],
];
const BOOK_IT =
  /\b(book (it|them|this|that|everything|the (trip|flights?|hotel))|and book|please book|book for (me|us)|und buche|buchen sie|et réserve|y reserva|e reserve|e prenota)\b/i;

export function placeFact(query: string, place: ResolvedPlace): PlaceFact {
  return {
    query,
    key: place.key,
    kind: place.kind,
    name: place.name,
    country: place.country,
    countryName: place.countryName,
    ...(place.region ? { region: place.region } : {}),
    otherNames: place.otherNames,
    airports: place.airports.map((served) => ({
      iata: served.airport.iata,
      name: served.airport.name,
      distanceKm: served.distanceKm,
      inTown: served.inTown,
    })),
    ...(place.ground ? { ground: place.ground } : {}),
  };
}

const spanSource = (
  m: { start: number; end: number; text: string },
  extra: Partial<FactSource> = {},
): FactSource => ({
  from: 'text',
  span: [m.start, m.end],
  text: m.text,
  ...extra,
});

/** Understands `text` as of `today` (YYYY-MM-DD). */
export function understand(text: string, today: string): Understanding {
  const language = detectLanguage(text);
  const facts: UnderstoodFacts = {};
  const sources: Understanding['sources'] = {};
  const inferences: Understanding['inferences'] = [];
  const questions: Question[] = [];

  const budget = budgetInText(text);
  const party = partyInText(text);
  const masked = mask(text, [
    ...(budget ? [budget] : []),
    ...(party?.spans ?? []),
    ...(party?.rooms ? [party.rooms] : []),
  ]);
  const dates = datesInText(text, masked, today, language);
  // Places are read with dates and amounts blanked out: "SEK 25 000" is no airport code.
  const dated = [dates.startDate, dates.endDate].filter((d) => d !== undefined);
  const places = placesInText(mask(text, [...dated, ...amountsInText(text)]), language);
  const route = routeOf(places);
  const looseDurations = assignNights(text, route.legs, dates.durations);

  const scope = scopeOf(text, {
    places: places.length,
    hasDates: dates.startDate !== undefined,
    hasParty: party !== undefined,
    hasBudget: budget !== undefined,
    hasDuration: dates.durations.length > 0,
  });
  if (scope.route === 'out_of_scope') {
    return {
      route: 'out_of_scope',
      topics: [],
      language,
      facts: {},
      sources: {},
      inferences: [],
      questions: [],
      reply: OUT_OF_SCOPE_REPLY,
    };
  }

  if (route.origin) {
    facts.origin = placeFact(route.origin.text, route.origin.place);
    sources.origin = spanSource(
      route.origin,
      route.originFromOrder ? { note: 'the first place, before the destination' } : {},
    );
    noteGateway('origin', facts.origin, inferences);
  }
  if (route.legs.length > 0) {
    facts.legs = route.legs.map((leg) => ({
      place: placeFact(leg.mention.text, leg.mention.place),
      ...(leg.nights ? { nights: leg.nights } : {}),
    }));
    route.legs.forEach((leg, k) => {
      sources[`legs.${k}`] = spanSource(leg.mention);
      if (leg.nightsSpan)
        sources[`legs.${k}.nights`] = {
          from: 'text',
          span: leg.nightsSpan,
          text: text.slice(...leg.nightsSpan),
        };
      noteGateway(`legs.${k}`, facts.legs![k].place, inferences);
    });
  }

  readDates(text, today, dates, facts, sources, inferences, questions, looseDurations);
  if (party) {
    facts.party = party.party;
    facts.travellers = travellersOf(party.party);
    // The party may be told in several places, in any order: the span covers them all, in text order.
    const spans = [...party.spans].sort((a, b) => a.start - b.start);
    sources.party = {
      from: 'text',
      ...(spans.length > 0
        ? {
            span: [spans[0].start, Math.max(...spans.map((s) => s.end))] as [number, number],
            text: spans.map((s) => s.text).join(' … '),
          }
        : {}),
      ...(party.inferred ? { inferred: true, note: party.note } : {}),
    };
    if (party.inferred && party.note) inferences.push({ field: 'party', note: party.note });
    facts.rooms = party.rooms?.count ?? roomsFor(party.party);
    sources.rooms = party.rooms
      ? spanSource(party.rooms)
      : { from: 'text', inferred: true, note: 'two adults per room, at most four guests' };
  }
  if (budget) {
    facts.budget = { amount: budget.amount, currency: budget.currency };
    sources.budget = spanSource(budget);
  }
  readWishes(text, facts, sources);
  return { route: scope.route, topics: scope.topics, language, facts, sources, inferences, questions };
}

function noteGateway(field: string, place: PlaceFact, inferences: Understanding['inferences']): void {
  if (place.ground) inferences.push({ field, note: place.ground });
  else if (place.kind === 'region' && place.airports.length > 1)
    inferences.push({
      field,
      note: `${place.name}: flying to ${place.airports[0].iata} (also served by ${place.airports
        .slice(1)
        .map((a) => a.iata)
        .join(', ')})`,
    });
}

function readDates(
  text: string,
  today: string,
  dates: ReturnType<typeof datesInText>,
  facts: UnderstoodFacts,
  sources: Understanding['sources'],
  inferences: Understanding['inferences'],
  questions: Question[],
  looseDurations: ReturnType<typeof assignNights>,
): void {
  const legNights = facts.legs?.every((leg) => leg.nights !== undefined)
    ? facts.legs.reduce((sum, leg) => sum + (leg.nights ?? 0), 0)
    : undefined;
  const stated = looseDurations.find((d) => !d.weekend) ?? looseDurations[0];
  const nights = legNights ?? stated?.nights;
  if (stated?.nights !== undefined && legNights === undefined)
    sources.nights = spanSource(
      stated,
      stated.weekend ? { inferred: true, note: 'a weekend: Friday to Sunday' } : {},
    );
  else if (legNights !== undefined)
    sources.nights = { from: 'text', note: 'the nights of each leg, added up' };
  const { startDate, endDate, vague } = dates;
  if (startDate) {
    facts.startDate = startDate.date;
    sources.startDate = spanSource(
      startDate,
      startDate.yearAssumed ? { inferred: true, note: `year ${startDate.date.slice(0, 4)} assumed` } : {},
    );
    if (startDate.yearAssumed)
      inferences.push({
        field: 'startDate',
        note: `${startDate.text.trim()} read as ${startDate.date} (the next one)`,
      });
  }
  if (endDate) {
    facts.endDate = endDate.date;
    sources.endDate = spanSource(endDate);
  } else if (startDate && nights !== undefined) {
    facts.endDate = addDays(startDate.date, nights);
    sources.endDate = { from: 'text', inferred: true, note: `${nights} nights from the start date` };
  }
  if (facts.startDate && facts.endDate) {
    const between = nightsBetween(facts.startDate, facts.endDate);
    if (between >= 0) facts.nights = between;
    else
      questions.push({
        path: 'endDate',
        issue: `the end date (${facts.endDate}) is before the start date (${facts.startDate}): which dates did you mean?`,
        proposal: { startDate: facts.endDate, endDate: facts.startDate },
      });
  } else if (nights !== undefined) {
    facts.nights = nights;
  }
  if (facts.startDate && facts.startDate <= today)
    questions.push({
      path: 'startDate',
      issue: `${facts.startDate} is in the past (today is ${today}): which dates did you mean?`,
    });
  if (!facts.startDate && vague) {
    const proposal = proposeDates(vague, today, facts.nights ?? 7);
    sources.dates = spanSource(vague, { note: 'a time without dates' });
    questions.push({
      path: 'startDate',
      issue: `"${vague.text}" has no dates: how about ${proposal.startDate} to ${proposal.endDate}?`,
      proposal,
    });
  }
  void text;
}

function readWishes(text: string, facts: UnderstoodFacts, sources: Understanding['sources']): void {
  const interests = INTERESTS.filter((word) => new RegExp(`\\b${word}\\b`, 'i').test(text));
  if (
    /\b(hik(e|es|ing)|trek|wandern|randonnée|senderismo|trilhas|escursioni)\b/i.test(text) &&
    !interests.includes('hiking')
  )
    interests.push('hiking');
  if (/\bski(ing)?\b|skiurlaub/i.test(text) && !interests.includes('skiing')) interests.push('skiing');
  if (interests.length > 0) facts.interests = interests;
  const dietary = DIETARY.filter(([pattern]) => pattern.test(text)).map(([, label]) => label);
  if (dietary.length > 0) facts.dietary = dietary;
  const cabin = /\b(business class|first class|premium economy)\b/i.exec(text)?.[1]?.toLowerCase();
  if (cabin)
    facts.cabin =
      cabin === 'business class' ? 'business' : cabin === 'first class' ? 'first' : 'premium_economy';
  const book = BOOK_IT.exec(text);
  if (book) {
    facts.book = true;
    sources.book = spanSource({ start: book.index, end: book.index + book[0].length, text: book[0] });
  }
  const bookingId = /\b(BK-[A-Z0-9-]{4,})\b/i.exec(text)?.[1];
  if (bookingId) facts.bookingId = bookingId.toUpperCase();
}

export type { PlaceInText };
