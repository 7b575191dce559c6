/**
 * The languages the understanding reads, how it tells them apart, and the words each uses for
 * what a request says: direction ("von … nach", "de … à", "から … へ"), numbers in words, and
 * the words of scope. Month names come from the platform's CLDR data (Intl), not from here.
 */
export const LANGUAGES = ['en', 'de', 'fr', 'es', 'pt', 'it', 'nl', 'sv', 'ru', 'ja', 'zh'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Short everyday words that give a Latin-script language away. */
const MARKERS: Record<Exclude<Language, 'ja' | 'zh' | 'ru'>, RegExp> = {
  en: /(?<![\p{L}\p{N}])(the|and|from|to|for|with|in|of|week|weeks|nights?|days?|adults?|kids?|children|people|trip|budget|flying|then|each|my|we|me|i)(?![\p{L}\p{N}])/giu,
  de: /(?<![\p{L}\p{N}])(und|von|nach|vom|bis|für|mit|ab|zu|zwei|drei|eine?|Woche|Wochen|Nächte|Erwachsene|Kinder|Personen|zurück|Urlaub|aus|im|wir|nächstes|erst|dann|je)(?![\p{L}\p{N}])/giu,
  fr: /(?<![\p{L}\p{N}])(et|de|du|des|au|aux|à|pour|avec|depuis|une?|semaines?|nuits?|adultes?|enfants?|personnes|deux|trois|le|la|les|chacune|puis|nous|sommes)(?![\p{L}\p{N}])/giu,
  es: /(?<![\p{L}\p{N}])(y|del|desde|al|en|para|con|una?|semanas?|noches?|adultos?|niños|personas|dos|tres|el|la|los|luego|cada|somos|próximo|viajo|hacia)(?![\p{L}\p{N}])/giu,
  pt: /(?<![\p{L}\p{N}])(do|da|para|com|uma?|semanas?|noites?|adultos?|crianças|pessoas|duas|dois|três|os|depois|cada|somos|saindo|partir|próximo|em)(?![\p{L}\p{N}])/giu,
  it: /(?<![\p{L}\p{N}])(e|da|dal|al|all|per|con|una?|settimane?|settimana|notti|adulti|bambini|persone|due|tre|il|lo|la|poi|ciascuna|prossimo|partenza|dalla)(?![\p{L}\p{N}])/giu,
  nl: /(?<![\p{L}\p{N}])(en|van|naar|tot|voor|met|een|weken?|nachten|volwassenen|kinderen|personen|twee|drie|het|de|daarna|vanuit|vanaf|per|uit|volgend)(?![\p{L}\p{N}])/giu,
  sv: /(?<![\p{L}\p{N}])(och|från|till|för|med|en|ett|veckor?|nätter|vuxna|barn|personer|två|tre)(?![\p{L}\p{N}])/giu,
};

/** The language of `text`: by script first, then by the most everyday words it uses. */
export function detectLanguage(text: string): Language {
  if (/[\u3040-\u30ff]/.test(text)) return 'ja';
  if (/[\u4e00-\u9fff]/.test(text)) return 'zh';
  if (/[\u0400-\u04ff]/.test(text)) return 'ru';
  let best: Language = 'en';
  let bestScore = 0;
  for (const [language, pattern] of Object.entries(MARKERS) as [Language, RegExp][]) {
    const score = text.match(pattern)?.length ?? 0;
    // English wins ties: it is the most common, and other languages' markers overlap it least.
    if (score > bestScore) {
      best = language;
      bestScore = score;
    }
  }
  return best;
}

/** Number words up to twelve in each language (plus "a"/"an" and friends for one). */
export const NUMBER_WORDS: Record<string, number> = {
  // English
  a: 1,
  an: 1,
  one: 1,
  single: 1,
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
  // German
  ein: 1,
  eine: 1,
  einen: 1,
  einem: 1,
  zwei: 2,
  drei: 3,
  vier: 4,
  fünf: 5,
  sechs: 6,
  sieben: 7,
  acht: 8,
  neun: 9,
  zehn: 10,
  elf: 11,
  zwölf: 12,
  vierzehn: 14,
  // French
  un: 1,
  une: 1,
  deux: 2,
  trois: 3,
  quatre: 4,
  cinq: 5,
  sept: 7,
  huit: 8,
  neuf: 9,
  dix: 10,
  onze: 11,
  douze: 12,
  quatorze: 14,
  // Spanish
  uno: 1,
  una: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
  siete: 7,
  ocho: 8,
  nueve: 9,
  diez: 10,
  doce: 12,
  catorce: 14,
  // Portuguese
  um: 1,
  uma: 1,
  dois: 2,
  duas: 2,
  três: 3,
  quatro: 4,
  oito: 8,
  nove: 9,
  dez: 10,
  doze: 12,
  // Italian
  due: 2,
  tre: 3,
  cinque: 5,
  sei: 6,
  sette: 7,
  otto: 8,
  dieci: 10,
  dodici: 12,
  // Dutch
  een: 1,
  één: 1,
  twee: 2,
  drie: 3,
  vijf: 5,
  zes: 6,
  zeven: 7,
  negen: 9,
  tien: 10,
  twaalf: 12,
  // Swedish ("en", one, is left out: it is "in" in French and Spanish and "and" in Dutch)
  ett: 1,
  två: 2,
};

/** Japanese and Chinese numerals (一 … 十, 两). */
export const CJK_DIGITS: Record<string, number> = {
  一: 1,
  二: 2,
  两: 2,
  兩: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
  十: 10,
};

/** A number written in digits, in words of any language, or in CJK numerals; undefined otherwise. */
export function numberOf(written: string): number | undefined {
  const word = written.trim().toLowerCase();
  if (/^\d+$/.test(word)) return Number(word);
  if (word in NUMBER_WORDS) return NUMBER_WORDS[word];
  if (word in CJK_DIGITS) return CJK_DIGITS[word];
  if (/^十[一二三四五六七八九]$/.test(word)) return 10 + (CJK_DIGITS[word[1]] ?? 0);
  return undefined;
}

/** A regex alternative matching a number in digits or words (any language). */
export const NUMBER = String.raw`(\d{1,3}|${Object.keys(NUMBER_WORDS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;

/** Words before a place that make it the origin or a destination, per language (English too in all). */
const DIRECTION_WORDS: Record<Language, { from: string; to: string }> = {
  en: {
    from: 'from|leaving|departing|departing from|out of|flying from|starting from|starting in',
    to: 'to|in|into|visit|visiting|see|for|towards|then|and|via',
  },
  de: { from: 'von|vom|ab|aus|abflug', to: 'nach|in|zu|dann|und|erst|über' },
  fr: { from: "de|d'|depuis|au départ de|départ de", to: 'à|a|en|vers|pour|puis|et|au|aux|sur' },
  es: { from: 'desde|de|saliendo de|partiendo de', to: 'a|en|hacia|para|luego|y|al|por' },
  pt: {
    from: 'de|do|da|dos|das|saindo de|saindo do|saindo da|partindo de',
    to: 'para|a|em|no|na|depois|e|ao|à|pra',
  },
  it: { from: 'da|dal|dalla|dallo|partenza da', to: 'a|per|in|poi|e|ad' },
  nl: { from: 'van|vanuit|vertrek uit|uit|vanaf', to: 'naar|in|daarna|en|dan' },
  sv: { from: 'från', to: 'till|och|i' },
  ru: { from: 'из|от|с', to: 'в|во|на|до' },
  ja: { from: '', to: '' },
  zh: { from: '', to: '' },
};

const directionPattern = (words: string) => new RegExp(`(?:^|[\\s(,:;])(?:${words})\\s*$`, 'iu');
/**
 * Direction words of every Latin-script language, English first: short requests mislead the
 * language guess, and a direction word means the same whichever language it was taken for. The
 * few words that mean something else in another language are left out ("das", German "the").
 */
const AMBIGUOUS = new Set(['das', 'i', 'dan', 'do']);
const union = (pick: (words: { from: string; to: string }) => string) =>
  [...new Set(Object.values(DIRECTION_WORDS).flatMap((words) => pick(words).split('|')))]
    .filter((word) => word !== '' && !AMBIGUOUS.has(word))
    .sort((a, b) => b.length - a.length)
    .join('|');
const FROM_ANY = directionPattern(union((words) => words.from));
const TO_ANY = directionPattern(union((words) => words.to));
const FROM_BY_LANGUAGE = new Map<Language, RegExp>();
const TO_BY_LANGUAGE = new Map<Language, RegExp>();
for (const language of LANGUAGES) {
  const own = DIRECTION_WORDS[language];
  FROM_BY_LANGUAGE.set(language, own.from ? directionPattern(own.from) : FROM_ANY);
  TO_BY_LANGUAGE.set(language, own.to ? directionPattern(own.to) : TO_ANY);
}

/** Does the text just before a place make it the origin ("von", "de", "desde", "da", "van", "из")? */
export const isFromBefore = (before: string, language: Language) =>
  FROM_BY_LANGUAGE.get(language)!.test(before) || FROM_ANY.test(before);
/** Does the text just before a place make it a destination ("to", "nach", "à", "para", "naar", "в")? */
export const isToBefore = (before: string, language: Language) =>
  TO_BY_LANGUAGE.get(language)!.test(before) || TO_ANY.test(before);

/** Direction words that may start a sentence ("Von Frankfurt …", "Van Zaventem …"): never part of a name. */
export const DIRECTION_LEADS = new Set(
  Object.values(DIRECTION_WORDS)
    .flatMap((words) => [...words.from.split('|'), ...words.to.split('|')])
    .filter((word) => word !== '' && !word.includes(' ')),
);

/** Words after a place in Japanese and Chinese that mark it ("東京から" from, "大阪へ" to). */
export const CJK_FROM_AFTER = /^(?:から|発|出发)/;
export const CJK_TO_AFTER = /^(?:へ|に|まで|行き)/;
export const CJK_FROM_BEFORE = /(?:从|由|從)$/;
export const CJK_TO_BEFORE = /(?:到|去|至|往|飞|から)$/;
