/**
 * Who travels: adults, children (with their ages when given) and infants, from what travellers
 * write in any of the planner's languages ("2 adults and 3 kids", "2 Erwachsene und ein Baby",
 * "deux adultes et un bébé", "大人2名と子供2名", "两个大人两个孩子", "family of four", "9 friends",
 * "solo", "zu zweit"), and the rooms they need. Pure.
 */
import { numberOf, NUMBER } from './languages';

export interface Party {
  adults: number;
  /** One entry per child: the age when the request gives it, else null. */
  children: (number | null)[];
  infants: number;
}

export interface PartyInText {
  party: Party;
  /** Spans the party was read from. */
  spans: { start: number; end: number; text: string }[];
  /** The composition was assumed ("for two" → two adults; "family of four" → two adults, two children). */
  inferred: boolean;
  note?: string;
  /** Rooms the request states ("in 2 rooms"). */
  rooms?: { count: number; start: number; end: number; text: string };
}

const N = NUMBER;
const ADULT = String.raw`adults?|grown-ups?|erwachsenen?|adultes?|adultos?|adulti|adulto|volwassenen|vuxna|взрослых|взрослый|взрослого`;
const CHILD = String.raw`kids?|children|child|sons?|daughters?|kinder|kindern|kind|enfants?|niños|niñas|niño|niña|hijos|crianças|criança|filhos|bambini|bambino|ragazzi|kinderen|kind|barn|детей|ребенка|ребёнка|детьми`;
const INFANT = String.raw`bab(?:y|ies)|infants?|toddlers?|baby|babys|bébés?|bebés?|bebês?|bebé|neonat[oi]|lattanti|peuters?|младенц(?:а|ев)|малыш`;
const PEOPLE = String.raw`guys|girls|lads|ladies|kollegen|kolleginnen|collègues|colegas|colleghi|collega's|people|persons?|travell?ers?|passengers?|guests?|personen|personnes?|personas?|pessoas?|persone|personer|человека|человек|of us|friends|colleagues|mates|freunde|freundinnen|amis|amies|copains|amigos|amigas|amici|amiche|vrienden|vänner|друзей|erwachsene`;

interface Hit {
  kind: 'adults' | 'children' | 'infants' | 'people';
  count: number;
  start: number;
  end: number;
  text: string;
}

function hits(text: string): Hit[] {
  const found: Hit[] = [];
  const push = (kind: Hit['kind'], count: number | undefined, m: RegExpExecArray | RegExpMatchArray) => {
    if (count === undefined || count < 1 || count > 99) return;
    const start = m.index!;
    if (found.some((h) => start < h.end && start + m[0].length > h.start)) return;
    found.push({ kind, count, start, end: start + m[0].length, text: m[0] });
  };
  const scan = (kind: Hit['kind'], nouns: string) => {
    for (const m of text.matchAll(
      new RegExp(
        String.raw`(?<![\p{L}\d])${N}\s+(?:(?:small|little|young|kleine?n?|petits?|pequeños|piccoli)\s+)?(?:${nouns})(?![\p{L}])`,
        'giu',
      ),
    ))
      push(kind, numberOf(m[1]), m);
  };
  scan('infants', INFANT);
  scan('children', CHILD);
  scan('adults', ADULT);
  scan('people', PEOPLE);
  // "a 6-year-old", "an 18-month-old baby"
  for (const m of text.matchAll(
    /\b(?:a|an|one)\s+(\d{1,2})[- ](year|month)s?[- ]old(?:\s+(?:baby|child|kid|son|daughter))?/gi,
  )) {
    const months = m[2].toLowerCase() === 'month' ? Number(m[1]) : Number(m[1]) * 12;
    push(months < 24 ? 'infants' : 'children', 1, m);
  }
  // Japanese and Chinese: 大人2名, 子供2名, 赤ちゃん1名, 友達6人, 两个大人, 2个成人, 8个朋友, 1人.
  const cjk: [RegExp, Hit['kind']][] = [
    [/大人\s*([0-9一二三四五六七八九十]+)\s*[名人]/gu, 'adults'],
    [/(?:子供|子ども|こども|小人)\s*([0-9一二三四五六七八九十]+)\s*[名人]/gu, 'children'],
    [/(?:赤ちゃん|乳児|幼児)\s*([0-9一二三四五六七八九十]+)\s*[名人]/gu, 'infants'],
    [/友達\s*([0-9一二三四五六七八九十]+)\s*人/gu, 'people'],
    [/([0-9一二三四五六七八九十两]+)\s*个?\s*(?:大人|成人|成年人)/gu, 'adults'],
    [/([0-9一二三四五六七八九十两]+)\s*个?\s*(?:孩子|小孩|儿童)/gu, 'children'],
    [/([0-9一二三四五六七八九十两]+)\s*个?\s*(?:婴儿|宝宝)/gu, 'infants'],
    [/([0-9一二三四五六七八九十两]+)\s*个?\s*朋友/gu, 'people'],
    [/(?<![0-9万千])([0-9一二三四五六七八九十两]+)\s*(?:名|人)(?![民])/gu, 'people'],
  ];
  for (const [pattern, kind] of cjk) for (const m of text.matchAll(pattern)) push(kind, numberOf(m[1]), m);
  return found;
}

/** Ages given after children: "(4 and 9)", "aged 5 and 8", "de 5 et 8 ans", "von 6 und 9 Jahren" — at most `count`. */
function agesAfter(text: string, at: number, count: number): { ages: number[]; end: number } | undefined {
  const lead =
    /^\s*(?:\(|,\s*)?\s*(?:aged|ages|of|von|im alter von|de|di|van|âgés de|agés de|com)?\s*/iu.exec(
      text.slice(at),
    )!;
  let end = at + lead[0].length;
  const ages: number[] = [];
  for (let k = 0; k < count; k++) {
    const m = (
      k === 0 ? /^(\d{1,2})(?![\d.:/-])/ : /^\s*(?:,|and|und|et|y|e|en|&)\s*(\d{1,2})(?![\d.:/-])/iu
    ).exec(text.slice(end));
    if (!m || Number(m[1]) >= 18) break;
    ages.push(Number(m[1]));
    end += m[0].length;
  }
  if (ages.length === 0) return undefined;
  const tail = /^\s*(?:years? old|years|yrs|jahren?|jahre|ans|años|anos|anni|jaar|år)?\s*\)?/iu.exec(
    text.slice(end),
  )!;
  return { ages, end: end + tail[0].length };
}

const SOLO =
  /(?<![\p{L}\p{N}])(solo|alone|just me|for one|for 1|by myself|on my own|1 traveller|1 traveler|one traveller|allein|alleine|seul|seule|viajo solo|sozinh[oa]|da sol[oa]|alleen)(?![\p{L}\p{N}])|一人旅|一人で|一个人/iu;
const PAIR =
  /(?<![\p{L}\p{N}])(for (?:two|2)|couple|honeymoon|my (?:wife|husband|partner|girlfriend|boyfriend|fiancée?)|zu zweit|à deux|pour deux|para dos|a dois|in due|met z'n tweeën|met zijn tweeën|для двоих)(?![\p{L}\p{N}])|二人で|ふたりで|两个人/iu;
const FAMILY_OF =
  /(?<![\p{L}\p{N}])(?:family of|familie mit|famille de|familia de|família de|famiglia di|gezin van)\s+(\d{1,2}|three|four|five|six|seven|eight|drei|vier|fünf|quatre|cinq|cuatro|cinco|quattro|vijf)(?![\p{L}\p{N}])/iu;
const ROOMS =
  /(?<![\p{L}\d])(\d{1,2}|one|two|three|four|five|zwei|drei|deux|trois|dos|tres|duas|due|tre|twee|drie)\s+(rooms?|zimmer|chambres?|habitaciones|habitación|quartos?|camere|camera|kamers?|номера)(?![\p{L}])|(\d{1,2})\s*(?:部屋|室|间房|間)/iu;

/** The party in `text`, or undefined when the request does not say who travels. */
export function partyInText(text: string): PartyInText | undefined {
  const found = hits(text);
  let adults = 0;
  const children: (number | null)[] = [];
  let infants = 0;
  let people = 0;
  const spans: PartyInText['spans'] = [];
  for (const hit of found) {
    spans.push({ start: hit.start, end: hit.end, text: hit.text });
    if (hit.kind === 'adults') adults += hit.count;
    else if (hit.kind === 'infants') infants += hit.count;
    else if (hit.kind === 'people') people = Math.max(people, hit.count);
    else {
      const ages = agesAfter(text, hit.end, hit.count);
      for (let k = 0; k < hit.count; k++) children.push(ages?.ages[k] ?? null);
      if (ages)
        spans[spans.length - 1] = { start: hit.start, end: ages.end, text: text.slice(hit.start, ages.end) };
    }
  }
  const rooms = roomsInText(text);
  const stated = (party: Party, inferred = false, note?: string): PartyInText => ({
    party,
    spans,
    inferred,
    ...(note ? { note } : {}),
    ...(rooms ? { rooms } : {}),
  });
  if (adults > 0 || children.length > 0 || infants > 0) {
    if (adults === 0 && people > 0) adults = Math.max(1, people - children.length - infants);
    if (adults === 0) {
      // "Me, my husband and our 3 children": a partner makes two adults; otherwise at least one.
      const pair = PAIR.test(text) || /\b(?:we|us|our|wir|nous|nosotros|nós|noi|wij)\b/i.test(text);
      return stated(
        { adults: pair ? 2 : 1, children, infants },
        true,
        pair ? 'two adults assumed' : 'one adult assumed',
      );
    }
    return stated({ adults, children, infants });
  }
  const family = FAMILY_OF.exec(text);
  if (family) {
    const size = numberOf(family[1]) ?? 0;
    spans.push({ start: family.index, end: family.index + family[0].length, text: family[0] });
    if (size >= 3)
      return stated(
        { adults: 2, children: Array.from({ length: size - 2 }, () => null), infants: 0 },
        true,
        `a family of ${size}: two adults and ${size - 2} children assumed`,
      );
  }
  if (people > 0)
    return stated({ adults: people, children: [], infants: 0 }, true, `${people} adults assumed`);
  const solo = SOLO.exec(text);
  if (solo) {
    spans.push({ start: solo.index, end: solo.index + solo[0].length, text: solo[0] });
    return stated({ adults: 1, children: [], infants: 0 });
  }
  const pair = PAIR.exec(text);
  if (pair) {
    spans.push({ start: pair.index, end: pair.index + pair[0].length, text: pair[0] });
    return stated({ adults: 2, children: [], infants: 0 }, true, 'two adults assumed');
  }
  const forN =
    /\bfor\s+(\d|three|four|five|six|seven|eight|nine)\b(?!\s*(?:days?|nights?|weeks?|hours?|€|\$|£))/i.exec(
      text,
    );
  if (forN) {
    const n = numberOf(forN[1]);
    spans.push({ start: forN.index, end: forN.index + forN[0].length, text: forN[0] });
    if (n) return stated({ adults: n, children: [], infants: 0 }, true, `${n} adults assumed`);
  }
  return undefined;
}

function roomsInText(text: string): PartyInText['rooms'] {
  const m = ROOMS.exec(text);
  if (!m) return undefined;
  const count = numberOf(m[1] ?? m[3] ?? '');
  return count ? { count, start: m.index, end: m.index + m[0].length, text: m[0] } : undefined;
}

/** Guests per room: two adults share; a room sleeps four at most, infants (in a cot) not counted. */
export const ADULTS_PER_ROOM = 2;
export const GUESTS_PER_ROOM = 4;

/** Rooms a party needs by the rule above (the request's own number wins where it states one). */
export function roomsFor(party: Party): number {
  const guests = party.adults + party.children.length;
  return Math.max(1, Math.ceil(party.adults / ADULTS_PER_ROOM), Math.ceil(guests / GUESTS_PER_ROOM));
}

/** Seats on the flights: everyone but infants on a lap. */
export function travellersOf(party: Party): number {
  return party.adults + party.children.length + party.infants;
}
