/**
 * Name folding for matching what travellers type: lower case, no accents, punctuation as spaces.
 * "Zürich" → "zurich", "São Paulo" → "sao paulo", "Tel-Aviv" → "tel aviv", "Łódź" → "lodz".
 */

/** Letters that Unicode decomposition leaves alone but travellers type without their stroke. */
const FOLDS: Record<string, string> = {
  ß: 'ss',
  ø: 'o',
  æ: 'ae',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};
const FOLDABLE = new RegExp(`[${Object.keys(FOLDS).join('')}]`, 'g');

/** One word or phrase folded for lookup; words are joined by single spaces. */
export function foldName(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(FOLDABLE, (letter) => FOLDS[letter] ?? letter)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * The German transliteration of umlauts ("Köln" → "koeln", "Zürich" → "zuerich"), which travellers
 * type as often as the bare vowel; undefined when the name has no umlaut.
 */
export function umlautForm(value: string): string | undefined {
  if (!/[äöüÄÖÜ]/.test(value)) return undefined;
  return foldName(
    value.replace(
      /[äöüÄÖÜ]/g,
      (letter) => ({ ä: 'ae', ö: 'oe', ü: 'ue', Ä: 'Ae', Ö: 'Oe', Ü: 'Ue' })[letter] ?? letter,
    ),
  );
}
