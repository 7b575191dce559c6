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

const PLAIN = /^[A-Za-z0-9]+(?: [A-Za-z0-9]+)*$/;

/** One word or phrase folded for lookup; words are joined by single spaces. */
export function foldName(value: string): string {
  // Most names are plain ASCII words: the same answer without the Unicode passes (the town index folds 130,000).
  if (PLAIN.test(value)) return value.toLowerCase();
  return (
    value
      .normalize('NFD')
      // Latin, Greek and Cyrillic accents only: the voicing marks of Japanese kana are letters'
      // own ("パリ" Paris is not "バリ" Bali), so they are composed back.
      .replace(/[\u0300-\u036f]/g, '')
      .normalize('NFC')
      .toLowerCase()
      .replace(FOLDABLE, (letter) => FOLDS[letter] ?? letter)
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
  );
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
