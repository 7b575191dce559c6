/**
 * Dates and durations in a request, in every language the planner reads: explicit ranges
 * ("10–14 March 2027", "vom 3. bis 10. Juni", "del 5 al 12 de julio", "6月3日から6月7日"),
 * single dates, relative ones through chrono-node's locale parsers ("next week", "tomorrow"),
 * weekends ("next weekend" = the coming Friday to Sunday), durations ("a week" = 7 nights,
 * "4-day" = 3 nights, "3泊") and vague times ("in spring", "sometime in June") that get proposed
 * dates instead of chosen ones. Month names come from the platform's CLDR data. Pure: `today` in.
 */
import * as chrono from 'chrono-node';
import { foldName } from '../../geo';
import { numberOf, NUMBER, type Language } from './languages';

export interface DateMention {
  /** YYYY-MM-DD; the year may be assumed (see `yearAssumed`). */
  date: string;
  start: number;
  end: number;
  text: string;
  yearAssumed: boolean;
}

export interface Duration {
  nights?: number;
  /** "a weekend" without dates. */
  weekend?: boolean;
  start: number;
  end: number;
  text: string;
}

export interface VagueTime {
  kind: 'season' | 'month';
  /** 1–12: the month proposed dates start in. */
  month: number;
  start: number;
  end: number;
  text: string;
}

export interface DatesInText {
  startDate?: DateMention;
  endDate?: DateMention;
  durations: Duration[];
  vague?: VagueTime;
}

const MONTH_LANGUAGES = ['en', 'de', 'fr', 'es', 'pt', 'it', 'nl', 'sv', 'ru'] as const;
let monthTable: { names: Map<string, number>; pattern: string } | undefined;

/** Month names and abbreviations in every language, from Intl (CLDR), folded → month 1–12. */
function months(): { names: Map<string, number>; pattern: string } {
  if (monthTable === undefined) {
    const names = new Map<string, number>();
    const written = new Set<string>();
    for (const language of MONTH_LANGUAGES) {
      for (let month = 1; month <= 12; month++) {
        const date = new Date(Date.UTC(2027, month - 1, 15));
        const forms = [
          new Intl.DateTimeFormat(language, { month: 'long', timeZone: 'UTC' }).format(date),
          new Intl.DateTimeFormat(language, { month: 'short', timeZone: 'UTC' }).format(date),
          // With a day, Slavic languages use the genitive ("10 июня").
          new Intl.DateTimeFormat(language, { day: 'numeric', month: 'long', timeZone: 'UTC' })
            .formatToParts(date)
            .find((part) => part.type === 'month')?.value ?? '',
        ];
        for (const form of forms) {
          const clean = form.replace(/\.$/, '').trim();
          if (clean.length < 3 || /^\d+$/.test(clean)) continue;
          names.set(foldName(clean), month);
          written.add(clean);
          written.add(foldName(clean));
        }
      }
    }
    names.set('sept', 9);
    written.add('sept');
    const pattern = [...written]
      .sort((a, b) => b.length - a.length)
      .map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('|');
    monthTable = { names, pattern };
  }
  return monthTable;
}

const monthOf = (written: string) => months().names.get(foldName(written.replace(/\.$/, '')));

const DAY = String.raw`(\d{1,2})(?:\.|er|º|°|st|nd|rd|th)?`;
const SEP = String.raw`\s*(?:-|–|—|to|until|till|through|bis|zum|au|al|all'|a|à|tot|t/m|till|по|~|～|und|and|et|y|e)\s*`;
const OF = String.raw`(?:\s*(?:de|del|of)\s+|\s*)`;
const YEAR = String.raw`(?:\s*,?${OF}(\d{4}))?`;

interface RawDate {
  day: number;
  month: number;
  year?: number;
  start: number;
  end: number;
}

/** Every explicit date in the text, ranges as consecutive pairs, with their spans. */
function explicitDates(text: string): RawDate[][] {
  const M = `(${months().pattern})\\.?`;
  const found: RawDate[][] = [];
  const taken: [number, number][] = [];
  const free = (s: number, e: number) => !taken.some(([a, b]) => s < b && e > a);
  const add = (index: number, length: number, dates: Omit<RawDate, 'start' | 'end'>[]) => {
    if (!free(index, index + length)) return;
    taken.push([index, index + length]);
    found.push(dates.map((d) => ({ ...d, start: index, end: index + length })));
  };
  const month = (m: string) => monthOf(m) ?? 0;
  const year = (y: string | undefined) => (y ? Number(y) : undefined);
  const run = (
    source: string,
    each: (m: RegExpExecArray) => Omit<RawDate, 'start' | 'end'>[] | undefined,
  ) => {
    for (const m of text.matchAll(new RegExp(source, 'giu'))) {
      const dates = each(m);
      if (dates && dates.every((d) => d.month >= 1 && d.day >= 1 && d.day <= 31))
        add(m.index, m[0].length, dates);
    }
  };
  // ISO and numeric dates first: they leave no doubt.
  run(String.raw`\b(\d{4})-(\d{2})-(\d{2})\b`, (m) => [{ year: +m[1], month: +m[2], day: +m[3] }]);
  run(String.raw`\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b`, (m) => [{ day: +m[1], month: +m[2], year: +m[3] }]);
  // CJK: 2027年6月3日から6月7日, 6月3日至6月7日, 2027年6月3日から7日.
  run(
    String.raw`(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日?\s*(?:から|至|到|~|～|-|–|—)\s*(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日`,
    (m) => [
      { year: year(m[1]), month: +m[2], day: +m[3] },
      { year: year(m[4]) ?? year(m[1]), month: m[5] ? +m[5] : +m[2], day: +m[6] },
    ],
  );
  run(String.raw`(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日`, (m) => [
    { year: year(m[1]), month: +m[2], day: +m[3] },
  ]);
  // D Month [Y] – D Month Y ("28 December 2026 to 3 January 2027", "vom 3. Juni bis 10. Juni").
  run(String.raw`\b${DAY}${OF}${M}${YEAR}${SEP}${DAY}${OF}${M}${YEAR}`, (m) => [
    { day: +m[1], month: month(m[2]), year: year(m[3]) },
    { day: +m[4], month: month(m[5]), year: year(m[6]) },
  ]);
  // Month D – Month D, Y ("June 3 - June 10, 2027").
  run(String.raw`\b${M}\s+${DAY}${SEP}(?:${M}\s+)?${DAY}(?:,?\s*(\d{4}))?`, (m) => [
    { month: month(m[1]), day: +m[2], year: year(m[5]) },
    { month: month(m[3] ?? m[1]), day: +m[4], year: year(m[5]) },
  ]);
  // D – D Month [Y] ("10-14 March 2027", "du 12 au 19 avril", "del 5 al 12 de julio de 2027").
  run(String.raw`\b${DAY}${SEP}${DAY}${OF}${M}${YEAR}`, (m) => [
    { day: +m[1], month: month(m[3]), year: year(m[4]) },
    { day: +m[2], month: month(m[3]), year: year(m[4]) },
  ]);
  run(String.raw`\b${DAY}${OF}${M}${YEAR}`, (m) => [{ day: +m[1], month: month(m[2]), year: year(m[3]) }]);
  run(String.raw`\b${M}\s+${DAY}(?:,\s*(\d{4}))?\b`, (m) => [
    { month: month(m[1]), day: +m[2], year: year(m[3]) },
  ]);
  return found.sort((a, b) => a[0].start - b[0].start);
}

const iso = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function nightsBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

const isRealDate = (value: string) => new Date(`${value}T00:00:00Z`).toISOString().startsWith(value);

/** A date without a year is the next one after today. */
function withYear(raw: RawDate, today: string, text: string, year?: number): DateMention | undefined {
  let y = raw.year ?? year ?? Number(today.slice(0, 4));
  let value = iso(y, raw.month, raw.day);
  if (raw.year === undefined && year === undefined && value <= today) value = iso(++y, raw.month, raw.day);
  if (!isRealDate(value)) return undefined;
  return {
    date: value,
    start: raw.start,
    end: raw.end,
    text: text.slice(raw.start, raw.end),
    yearAssumed: raw.year === undefined,
  };
}

/** The start and end of the trip from the explicit dates: a range, or the first two dates. */
function startAndEnd(
  groups: RawDate[][],
  today: string,
  text: string,
): Pick<DatesInText, 'startDate' | 'endDate'> {
  const [first, second] = groups;
  if (first === undefined) return {};
  const pair = first.length === 2 ? first : second ? [first[0], second[0]] : [first[0]];
  const [a, b] = pair as [RawDate, RawDate | undefined];
  if (b === undefined) {
    const start = withYear(a, today, text);
    return start ? { startDate: start } : {};
  }
  // The year written on one end holds for the other; a range over New Year starts the year before.
  const yearOfB = b.year ?? a.year;
  const yearOfA = a.year ?? (b.year !== undefined ? (a.month > b.month ? b.year - 1 : b.year) : undefined);
  const start = withYear({ ...a }, today, text, yearOfA);
  if (start === undefined) return {};
  const startYear = Number(start.date.slice(0, 4));
  const endYear = yearOfB ?? (b.month < a.month ? startYear + 1 : startYear);
  const end = withYear({ ...b, year: endYear }, today, text);
  if (end) end.yearAssumed = b.year === undefined && a.year === undefined;
  if (start && a.year === undefined && b.year !== undefined) start.yearAssumed = false;
  return { startDate: start, ...(end ? { endDate: end } : {}) };
}

const DURATION_UNITS: [RegExp, (n: number) => number | undefined][] = [
  [
    /^(nights?|nächte|nacht|nuits?|noches?|noites?|nott[ei]|nachten|nätter|ноч(?:ей|и|ь)|泊|晚|夜)$/i,
    (n) => n,
  ],
  [
    /^(days?|tage?n?|jours?|días?|dias?|giorni|giorno|dagen|dag|dagar|дн(?:ей|я)|天)$/i,
    (n) => Math.max(1, n - 1),
  ],
  [
    /^(weeks?|wochen?|semaines?|semanas?|settimane|settimana|weken|week|veckor|vecka|недел[юиь]|週間|周|星期)$/i,
    (n) => n * 7,
  ],
];

/** Durations: "a week", "zwei Wochen", "10 nights", "4-day", "3泊", "一周", "1週間". */
function durations(text: string): Duration[] {
  const found: Duration[] = [];
  const units = String.raw`nights?|nächte|nacht|nuits?|noches?|noites?|notti|notte|nachten|nätter|ночей|ночи|days?|tage?|tagen|jours?|días?|dias?|giorni|giorno|dagen|dag|dagar|дней|дня|weeks?|wochen?|semaines?|semanas?|settimane|settimana|weken|week|veckor|vecka|неделю|недели`;
  for (const m of text.matchAll(
    new RegExp(String.raw`(?<![\p{L}\d])${NUMBER}[\s-]*(${units})(?![\p{L}])`, 'giu'),
  )) {
    const n = numberOf(m[1]);
    const rule = DURATION_UNITS.find(([unit]) => unit.test(m[2]));
    const nights = n !== undefined && rule ? rule[1](n) : undefined;
    if (nights !== undefined && nights <= 60)
      found.push({ nights, start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  for (const m of text.matchAll(/([0-9]+|[一二三四五六七八九十两]+)\s*(泊|晚|夜|天|週間|周|星期)/gu)) {
    const n = numberOf(m[1]);
    const rule = DURATION_UNITS.find(([unit]) => unit.test(m[2]));
    const nights = n !== undefined && rule ? rule[1](n) : undefined;
    if (nights !== undefined) found.push({ nights, start: m.index, end: m.index + m[0].length, text: m[0] });
  }
  const weekend =
    /\b(long weekend|langes Wochenende|weekend|wochenende|week-end|fin de semana|fim de semana|fine settimana)\b/iu.exec(
      text,
    );
  if (weekend && !found.some((d) => d.start <= weekend.index && d.end > weekend.index)) {
    found.push({
      weekend: true,
      nights: /long|langes/i.test(weekend[1]) ? 3 : 2,
      start: weekend.index,
      end: weekend.index + weekend[0].length,
      text: weekend[0],
    });
  }
  return found.sort((a, b) => a.start - b.start);
}

const NEXT_WEEKEND =
  /\b(next weekend|nächstes wochenende|nächstes Wochenende|(?:le )?week-end prochain|(?:el )?próximo fin de semana|(?:no )?próximo fim de semana|(?:il )?prossimo fine settimana|volgend weekend|nästa helg)|来週末|下周末/iu;

/** "next weekend" → the coming Friday to Sunday. */
function nextWeekend(text: string, today: string): Pick<DatesInText, 'startDate' | 'endDate'> | undefined {
  const m = NEXT_WEEKEND.exec(text);
  if (!m) return undefined;
  const weekday = new Date(`${today}T00:00:00Z`).getUTCDay(); // 0 Sunday … 5 Friday
  const friday = addDays(today, (5 - weekday + 7) % 7 || 7);
  const span = { start: m.index, end: m.index + m[0].length, text: m[0], yearAssumed: false };
  return { startDate: { ...span, date: friday }, endDate: { ...span, date: addDays(friday, 2) } };
}

const SEASONS: [RegExp, number][] = [
  [/\b(spring|frühling|frühjahr|printemps|primavera|voorjaar|lente|vår)\b|春/iu, 4],
  [/\b(summer|sommer|été|verano|verão|estate|zomer)\b|夏/iu, 7],
  [/\b(autumn|fall|herbst|automne|otoño|outono|autunno|herfst|höst)\b|秋/iu, 10],
  [/\b(winter|hiver|invierno|inverno|vinter)\b|冬/iu, 1],
];

/** "In spring", "sometime in June", "im Frühling": a time without dates, for which the run proposes some. */
function vagueTime(text: string, masked: string): VagueTime | undefined {
  for (const [pattern, month] of SEASONS) {
    const m = pattern.exec(masked);
    if (m) return { kind: 'season', month, start: m.index, end: m.index + m[0].length, text: m[0] };
  }
  const m = new RegExp(`\\b(${months().pattern})\\b`, 'iu').exec(masked);
  const month = m ? monthOf(m[1]) : undefined;
  if (m && month && !/^(may|mai|mar)$/i.test(m[1])) {
    return {
      kind: 'month',
      month,
      start: m.index,
      end: m.index + m[0].length,
      text: text.slice(m.index, m.index + m[0].length),
    };
  }
  return undefined;
}

const NEXT_WEEK =
  /\b(next week|nächste woche|la semaine prochaine|la próxima semana|a próxima semana|la prossima settimana|volgende week)\b/i;

/** Relative dates chrono reads in the request's language ("next week", "tomorrow", "nächsten Freitag"). */
function relativeDate(masked: string, today: string, language: Language): DateMention | undefined {
  const parser =
    language === 'en' ? chrono : ((chrono as unknown as Record<string, typeof chrono>)[language] ?? chrono);
  const reference = new Date(`${today}T12:00:00Z`);
  const result = parser
    .parse(masked, reference, { forwardDate: true })
    // A day chrono is sure of, or "next week" (its day is a convention: a week from today).
    .find((r) => r.start.isCertain('day') || NEXT_WEEK.test(r.text));
  if (!result) return undefined;
  const c = result.start;
  const date = iso(c.get('year') ?? 0, c.get('month') ?? 1, c.get('day') ?? 1);
  return {
    date,
    start: result.index,
    end: result.index + result.text.length,
    text: result.text,
    yearAssumed: true,
  };
}

/** Blank out spans (same length), so one reader does not read another's numbers. */
export function mask(text: string, spans: readonly { start: number; end: number }[]): string {
  let out = text;
  for (const { start, end } of spans) out = out.slice(0, start) + ' '.repeat(end - start) + out.slice(end);
  return out;
}

/** Dates, durations and vague times in `text` (with the spans of money and party already masked). */
export function datesInText(text: string, masked: string, today: string, language: Language): DatesInText {
  const found = durations(masked);
  const withoutDurations = mask(
    masked,
    found.filter((d) => !d.weekend),
  );
  const weekend = nextWeekend(withoutDurations, today);
  if (weekend) return { ...weekend, durations: found.filter((d) => !d.weekend) };
  const explicit = startAndEnd(explicitDates(withoutDurations), today, text);
  if (explicit.startDate) return { ...explicit, durations: found };
  const relative = relativeDate(withoutDurations, today, language);
  if (relative) return { startDate: relative, durations: found };
  const vague = vagueTime(text, withoutDurations);
  return { durations: found, ...(vague ? { vague } : {}) };
}

/** Proposed dates for a vague time: the first Saturday of the month, for the nights asked or a week. */
export function proposeDates(
  vague: VagueTime,
  today: string,
  nights = 7,
): { startDate: string; endDate: string } {
  let year = Number(today.slice(0, 4));
  let first = iso(year, vague.month, 1);
  if (first <= today) first = iso(++year, vague.month, 1);
  const weekday = new Date(`${first}T00:00:00Z`).getUTCDay();
  const saturday = addDays(first, (6 - weekday + 7) % 7);
  return { startDate: saturday, endDate: addDays(saturday, nights) };
}
