/**
 * Reading a traveller's request the way the offline router does: which route it is (a full trip,
 * a single question, a booking change, or out of scope), which topics it touches, and the facts
 * it states — places (through the gazetteer), dates (chrono-node), party size, budget, interests
 * and whether to book. Pure and deterministic: `today` is passed in.
 */
import * as chrono from 'chrono-node';
import { findPlaces, type PlaceMention } from '../geo';
import type { Topic, TripRoute } from './schemas';

export interface UnderstoodRequest {
  route: TripRoute;
  topics: Topic[];
  facts: {
    origin?: string;
    destination?: string;
    startDate?: string;
    endDate?: string;
    /** Days or nights the traveller asked for without dates ("a 4-day trip"). */
    durationDays?: number;
    travellers?: number;
    budget?: { amount: number; currency: string };
    interests?: string[];
    book?: boolean;
    bookingId?: string;
  };
  /** A polite answer when the request is out of scope. */
  reply?: string;
}

const WORD_NUMBERS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  a: 1,
  an: 1,
  single: 1,
};

const TOPIC_WORDS: Record<Topic, RegExp> = {
  flights: /\b(fly|flies|flying|flight|flights|fare|fares|airfare|plane|airline)\b/i,
  hotels: /\b(hotel|hotels|stay|staying|accommodation|lodging|room|rooms|hostel|where to sleep)\b/i,
  weather: /\b(weather|forecast|temperature|rain|rainy|sunny|climate|cold|warm|hot|snow)\b/i,
  restaurants: /\b(restaurant|restaurants|eat|eating|food|dinner|lunch|cuisine|dining|vegetarian|vegan)\b/i,
};
const TRIP_WORDS =
  /\b(trip|travel|travelling|traveling|vacation|holiday|holidays|getaway|itinerary|plan|visit|visiting|tour|honeymoon|journey|weekend in|(?:days?|nights?|weeks?) in)\b/i;
const BOOKING_CHANGE =
  /\b(cancel|change|modify|reschedule|amend|move)\b[^.?!]{0,40}\b(booking|reservation|flight|hotel)\b|\bBK-[A-Z0-9-]{4,}\b/i;
const BOOK_IT =
  /\b(book (it|them|this|that|everything|the (trip|flights?|hotel))|and book|please book|book for (me|us))\b/i;
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

/** Understands `text` as of `today` (YYYY-MM-DD). Explicit fields, merged later, win over the text. */
export function understandRequest(text: string, today: string): UnderstoodRequest {
  const places = findPlaces(text);
  const topics = (Object.keys(TOPIC_WORDS) as Topic[]).filter((topic) => TOPIC_WORDS[topic].test(text));
  const facts: UnderstoodRequest['facts'] = {};

  const { origin, destination } = assignPlaces(text, places);
  if (origin) facts.origin = origin;
  if (destination) facts.destination = destination;
  Object.assign(facts, readDates(text, today));
  const travellers = readTravellers(text);
  if (travellers !== undefined) facts.travellers = travellers;
  const budget = readBudget(text);
  if (budget) facts.budget = budget;
  const interests = INTERESTS.filter((word) => new RegExp(`\\b${word}\\b`, 'i').test(text));
  if (/\bhik(e|es|ing)\b|\btrek/i.test(text) && !interests.includes('hiking')) interests.push('hiking');
  if (interests.length > 0) facts.interests = interests;
  if (BOOK_IT.test(text)) facts.book = true;
  const bookingId = /\b(BK-[A-Z0-9-]{4,})\b/i.exec(text)?.[1];
  if (bookingId) facts.bookingId = bookingId.toUpperCase();

  const isTrip = TRIP_WORDS.test(text) || facts.book === true;
  if (BOOKING_CHANGE.test(text) && !/\bplan\b/i.test(text)) {
    return { route: 'booking_change', topics: [], facts };
  }
  if (!isTrip && topics.length === 0) {
    return {
      route: 'out_of_scope',
      topics: [],
      facts: {},
      reply:
        "I'm a travel planner: I can plan trips, find flights and hotels, check the weather and suggest restaurants. " +
        "I can't help with that request, but tell me where you'd like to go.",
    };
  }
  if (!isTrip && topics.length === 1) return { route: 'single_question', topics, facts };
  return { route: 'full_trip', topics: [...TOPIC_ORDER], facts };
}

const TOPIC_ORDER: readonly Topic[] = ['flights', 'hotels', 'weather', 'restaurants'];

/** "from X" is the origin; "to X" / "in X" / the first other place is the destination. */
function assignPlaces(text: string, places: PlaceMention[]): { origin?: string; destination?: string } {
  let origin: string | undefined;
  let destination: string | undefined;
  const before = (mention: PlaceMention) =>
    text.slice(Math.max(0, mention.start - 12), mention.start).toLowerCase();
  for (const mention of places) {
    const lead = before(mention);
    if (!origin && /\b(from|leaving|departing|out of)\s+$/.test(lead)) origin = mention.text;
    else if (!destination && /\b(to|in|at|visit|visiting|for|around|near|of)\s+$/.test(lead))
      destination = mention.text;
  }
  for (const mention of places) {
    if (mention.text === origin || mention.text === destination) continue;
    if (!destination) destination = mention.text;
    else if (!origin) origin = mention.text;
  }
  return { ...(origin ? { origin } : {}), ...(destination ? { destination } : {}) };
}

function readDates(
  text: string,
  today: string,
): Pick<UnderstoodRequest['facts'], 'startDate' | 'endDate' | 'durationDays'> {
  const out: Pick<UnderstoodRequest['facts'], 'startDate' | 'endDate' | 'durationDays'> = {};
  const duration =
    /\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|a)[- ](day|days|night|nights|week|weeks)\b/i.exec(
      text,
    );
  if (duration) {
    const count = Number(duration[1]) || WORD_NUMBERS[duration[1].toLowerCase()] || 1;
    const unit = duration[2].toLowerCase();
    out.durationDays = unit.startsWith('week') ? count * 7 : unit.startsWith('night') ? count + 1 : count;
  }
  const reference = new Date(`${today}T12:00:00Z`);
  const results = chrono
    .parse(text, reference, { forwardDate: true })
    .filter(
      (result) =>
        !/^(for|in)?\s*(\d+|a|an|one|two|three|four|five|six|seven)\s+(days?|nights?|weeks?)$/i.test(
          result.text.trim(),
        ),
    )
    .filter((result) => !/^for\b/i.test(result.text.trim()));
  const dated = results.find((result) => result.start.isCertain('day'));
  if (dated) {
    out.startDate = isoOf(dated.start);
    if (dated.end && dated.end.isCertain('day')) out.endDate = isoOf(dated.end);
    else {
      const second = results.find((result) => result !== dated && result.start.isCertain('day'));
      if (second) out.endDate = isoOf(second.start);
      else if (out.durationDays) out.endDate = addDays(out.startDate, out.durationDays - 1);
    }
  }
  return out;
}

function isoOf(component: chrono.ParsedComponents): string {
  const pad = (n: number | null, width = 2) => String(n ?? 0).padStart(width, '0');
  return `${pad(component.get('year'), 4)}-${pad(component.get('month'))}-${pad(component.get('day'))}`;
}

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

function readTravellers(text: string): number | undefined {
  if (/\b(solo|alone|just me|by myself|for one)\b/i.test(text)) return 1;
  if (/\b(couple|honeymoon|my (wife|husband|partner|girlfriend|boyfriend) and (i|me))\b/i.test(text))
    return 2;
  const match =
    /\bfor (\d{1,2}|one|two|three|four|five|six|seven|eight|nine)\b(?!\s*(days?|nights?|weeks?|hours?))/i.exec(
      text,
    ) ??
    /\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine)\s+(people|persons|travell?ers|adults|guests|passengers|of us|friends)\b/i.exec(
      text,
    ) ??
    /\bfamily of (\d{1,2}|three|four|five|six|seven|eight|nine)\b/i.exec(text) ??
    /\bparty of (\d{1,2}|two|three|four|five|six|seven|eight|nine)\b/i.exec(text);
  if (!match) return undefined;
  const n = Number(match[1]) || WORD_NUMBERS[match[1].toLowerCase()];
  return n && n >= 1 && n <= 99 ? n : undefined;
}

const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };
const CURRENCY_WORDS: Record<string, string> = {
  usd: 'USD',
  dollars: 'USD',
  dollar: 'USD',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  gbp: 'GBP',
  pounds: 'GBP',
  chf: 'CHF',
  francs: 'CHF',
  jpy: 'JPY',
  yen: 'JPY',
  cad: 'CAD',
  aud: 'AUD',
  ars: 'ARS',
  pesos: 'ARS',
  brl: 'BRL',
  mxn: 'MXN',
  sek: 'SEK',
  nok: 'NOK',
  dkk: 'DKK',
  inr: 'INR',
  rupees: 'INR',
};

function readBudget(text: string): { amount: number; currency: string } | undefined {
  const number = String.raw`(\d{1,3}(?:[,.\s]\d{3})+|\d+(?:\.\d+)?)\s*(k|K|thousand)?`;
  const symbolFirst = new RegExp(String.raw`(US\$|[$€£¥])\s?${number}`).exec(text);
  if (symbolFirst) {
    const currency = symbolFirst[1] === 'US$' ? 'USD' : SYMBOLS[symbolFirst[1]];
    return { amount: amountOf(symbolFirst[2], symbolFirst[3]), currency };
  }
  const wordAfter = new RegExp(`${number}\\s*(${Object.keys(CURRENCY_WORDS).join('|')})\\b`, 'i').exec(text);
  if (wordAfter) {
    return {
      amount: amountOf(wordAfter[1], wordAfter[2]),
      currency: CURRENCY_WORDS[wordAfter[3].toLowerCase()],
    };
  }
  const codeFirst = new RegExp(`\\b(USD|EUR|GBP|CHF|JPY|CAD|AUD)\\s?${number}`).exec(text);
  if (codeFirst) return { amount: amountOf(codeFirst[2], codeFirst[3]), currency: codeFirst[1] };
  const bare = new RegExp(`\\bbudget(?: of| is|:)?\\s+${number}`, 'i').exec(text);
  if (bare) return { amount: amountOf(bare[1], bare[2]), currency: 'USD' };
  return undefined;
}

function amountOf(digits: string, thousands: string | undefined): number {
  const value = Number(digits.replace(/[,\s]/g, '').replace(/\.(?=\d{3}\b)/g, ''));
  return thousands ? value * 1000 : value;
}
