import { getGazetteer } from './gazetteer';
import { qualifierAgrees } from './lookup';
import { foldName } from './normalize';
import type { PlaceMatch, PlaceMention } from './types';

/**
 * City names that are also everyday English words: a mention only when capitalised ("Nice" the
 * city, not "a nice hotel"), and never in text written all in capitals.
 */
const WORD_LIKE_NAMES = new Set(['nice', 'split', 'male', 'cork']);

/**
 * Codes that are everyday English words. Codes are mentions only when written in capitals; in
 * text written all in capitals ("FLY ME TO BER AND BACK"), these are read as words.
 */
const WORD_LIKE_CODES = new Set(
  `THE AND FOR ARE BUT NOT YOU ALL ANY CAN HAD HER WAS ONE OUR OUT DAY GET HAS HIM HIS HOW MAN NEW
   NOW OLD SEE TWO WAY WHO DID ITS LET PUT SAY SHE TOO USE SEA SIN DEN PER INN ADD MAY FLY BUS CAR
   AIR BED BAR FUN HOT SUN TOP TEN SIX BIG END EAT RUN SET YES LOW OFF OWN BOX CUT FAR FEW GOT HIT
   JOB LAY LEG LOT MEN OIL PAY RED SIT SKI SPA TAX TEA TIP TRY WAR WET WIN ZOO BAY ICE ART ASK BAD
   BAG BIT BOY DOG EGG EYE FIT FIX GAS GUN KEY KID LAW LIE MAP MIX NET PEN PIN POT RAW ROW SAD SHY
   SON TOY VAN WEB WON YET ACT AGE AGO AID AIM ARM BAN BEE BET BOW BUY COW CRY DRY DUE EAR FAN FEE
   FLU FOG FOX FUR GAP GYM HAT HEN HOP HUG HUT ILL INK JAM JAR JET JOY LAB LAP LID LIP LOG MAD MUD
   NOR NUT ODD OWL PAN PAT PET PIE PIG POP PUB RAT RIB RID ROB ROD RUG SAW SEW SKY SOY SPY SUM TAB
   TAN TAP TIE TIN TOE TON TUB VET WAX WIG WOK YAK ZIP`
    .trim()
    .split(/\s+/),
);

/** The longest qualifier after a place, in words ("United States of America"). */
const MAX_QUALIFIER_WORDS = 4;

/** Between words of one name: spaces, a hyphen, an apostrophe, or an abbreviation's full stop ("St. Petersburg"). */
const JOINER = /^(?:\.?\s+|\s*[-‐–]\s*|['’])$/;

interface Token {
  text: string;
  folded: string;
  start: number;
  end: number;
}

function tokens(text: string): Token[] {
  return [...text.matchAll(/[\p{L}\p{M}\p{N}]+/gu)].map((m) => ({
    text: m[0],
    folded: foldName(m[0]),
    start: m.index,
    end: m.index + m[0].length,
  }));
}

const hasLowerCase = (text: string) => /\p{Ll}/u.test(text);
const isCapitalised = (text: string) => /^\p{Lu}/u.test(text);

/**
 * Place mentions in free text ("Plan a trip from Seattle to El Calafate in March"): non-overlapping,
 * longest match first, in text order, with UTF-16 offsets. Names match whatever their case and
 * accents; IATA and metropolitan codes only when written in capitals, and codes that are English
 * words ("FOR", "THE") not at all in text written entirely in capitals. A state or country after a
 * comma that agrees with the place belongs to its mention ("Seattle, Washington" is Seattle, not
 * Seattle and Washington, D.C.); the mention's text then resolves with `lookupPlace` as it is.
 */
export function findPlaces(text: string): PlaceMention[] {
  const { names, capitalsOnly, airports, cityOfAirport, metroCodes, maxNameWords } = getGazetteer();
  const shouting = !hasLowerCase(text);
  const words = tokens(text);
  const mentions: PlaceMention[] = [];

  const codeMatch = (word: string): PlaceMatch | undefined => {
    if (!/^[A-Z]{3}$/.test(word) || (shouting && WORD_LIKE_CODES.has(word))) return undefined;
    const airport = airports.get(word);
    if (airport !== undefined) return { kind: 'airport', airport, city: cityOfAirport.get(word) };
    const city = metroCodes.get(word);
    return city === undefined ? undefined : { kind: 'city', city };
  };

  const nameMatch = (span: string, folded: string): PlaceMatch | undefined => {
    const match = names.get(folded);
    if (match === undefined) return undefined;
    if (capitalsOnly.has(folded) && hasLowerCase(span)) return undefined;
    if (WORD_LIKE_NAMES.has(folded) && (shouting || !isCapitalised(span))) return undefined;
    return match;
  };

  const joinedSpan = (span: readonly Token[]) =>
    span.every((word, k) => k === 0 || JOINER.test(text.slice(span[k - 1].end, word.start)));

  /** "Seattle, Washington" is one mention (Seattle), not Seattle and Washington, D.C. */
  const withQualifier = (mention: PlaceMention): PlaceMention => {
    const next = words.findIndex((word) => word.start >= mention.end);
    if (next < 0 || !/^\s*,\s*$/.test(text.slice(mention.end, words[next].start))) return mention;
    for (let length = Math.min(MAX_QUALIFIER_WORDS, words.length - next); length >= 1; length--) {
      const span = words.slice(next, next + length);
      const end = span[span.length - 1].end;
      if (joinedSpan(span) && qualifierAgrees(mention.match, text.slice(span[0].start, end)))
        return { ...mention, text: text.slice(mention.start, end), end };
    }
    return mention;
  };

  let i = 0;
  while (i < words.length) {
    let found: PlaceMention | undefined;
    // Longest span first, so "New York" wins over "NEW" and "San José" over "San".
    for (let length = Math.min(maxNameWords, words.length - i); length >= 1 && !found; length--) {
      const span = words.slice(i, i + length);
      if (!joinedSpan(span)) continue;
      const first = span[0];
      const last = span[span.length - 1];
      const written = text.slice(first.start, last.end);
      const match =
        (length === 1 ? codeMatch(first.text) : undefined) ??
        nameMatch(written, span.map((word) => word.folded).join(' '));
      if (match !== undefined) found = { text: written, start: first.start, end: last.end, match };
    }
    if (found) {
      found = withQualifier(found);
      mentions.push(found);
      while (i < words.length && words[i].start < found.end) i++;
    } else {
      i++;
    }
  }
  return mentions;
}
