/**
 * The traveller's budget as written: the amount (with each language's digit grouping: "£2,500",
 * "4.500 €", "1 200 €", "R$ 8.000", "25 000 SEK", "3k", "10万円", "1万5千元") and the currency
 * its symbol, code or word names ("£" GBP, "Franken" CHF, "pesos colombianos" COP, "円" JPY).
 */
export interface MoneyInText {
  amount: number;
  currency: string;
  start: number;
  end: number;
  text: string;
}

/** Symbols and words → ISO 4217, longest first when matched. */
const CURRENCY_WORDS: Record<string, string> = {
  US$: 'USD',
  $: 'USD',
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  R$: 'BRL',
  '₽': 'RUB',
  円: 'JPY',
  元: 'CNY',
  人民币: 'CNY',
  块: 'CNY',
  港币: 'HKD',
  港元: 'HKD',
  HK$: 'HKD',
  C$: 'CAD',
  A$: 'AUD',
  S$: 'SGD',
  CHF: 'CHF',
  usd: 'USD',
  dollars: 'USD',
  dollar: 'USD',
  dólares: 'USD',
  dólar: 'USD',
  dollari: 'USD',
  'us dollars': 'USD',
  'canadian dollars': 'CAD',
  'dollars canadiens': 'CAD',
  'dólares canadienses': 'CAD',
  'australian dollars': 'AUD',
  eur: 'EUR',
  euro: 'EUR',
  euros: 'EUR',
  gbp: 'GBP',
  pounds: 'GBP',
  pound: 'GBP',
  'pounds sterling': 'GBP',
  sterling: 'GBP',
  pfund: 'GBP',
  livres: 'GBP',
  'livres sterling': 'GBP',
  libras: 'GBP',
  sterline: 'GBP',
  chf: 'CHF',
  franken: 'CHF',
  'schweizer franken': 'CHF',
  'francs suisses': 'CHF',
  francs: 'CHF',
  jpy: 'JPY',
  yen: 'JPY',
  cad: 'CAD',
  aud: 'AUD',
  nzd: 'NZD',
  sgd: 'SGD',
  hkd: 'HKD',
  cny: 'CNY',
  yuan: 'CNY',
  rmb: 'CNY',
  inr: 'INR',
  rupees: 'INR',
  brl: 'BRL',
  reais: 'BRL',
  mxn: 'MXN',
  'pesos mexicanos': 'MXN',
  cop: 'COP',
  'pesos colombianos': 'COP',
  ars: 'ARS',
  'pesos argentinos': 'ARS',
  clp: 'CLP',
  'pesos chilenos': 'CLP',
  pen: 'PEN',
  soles: 'PEN',
  sek: 'SEK',
  nok: 'NOK',
  dkk: 'DKK',
  kronor: 'SEK',
  kroner: 'NOK',
  'svenska kronor': 'SEK',
  'danske kroner': 'DKK',
  zar: 'ZAR',
  rand: 'ZAR',
  rub: 'RUB',
  рублей: 'RUB',
  рубля: 'RUB',
  руб: 'RUB',
  pln: 'PLN',
  złoty: 'PLN',
  zloty: 'PLN',
  czk: 'CZK',
  huf: 'HUF',
  try: 'TRY',
  aed: 'AED',
  thb: 'THB',
  krw: 'KRW',
};

/** "R15000" (rand) only as a prefix directly before the digits. */
const PREFIX_ONLY: Record<string, string> = { R: 'ZAR' };

const words = Object.keys(CURRENCY_WORDS)
  .sort((a, b) => b.length - a.length)
  .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
const CURRENCY = `(${words.join('|')})`;
const AMOUNT = String.raw`(\d{1,3}(?:[,.\s\u00a0\u202f']\d{3})+|\d+(?:[.,]\d{1,2})?)\s*(k|K|thousand|mil|Tsd\.?)?`;

/** "2,500" or "2.500" or "2 500" → 2500; "2.5" → 2.5; "1.500,50" → 1500.5. */
function amountOf(digits: string, thousands: string | undefined): number {
  let value: number;
  if (/^\d{1,3}(?:[,.\s\u00a0\u202f']\d{3})+$/.test(digits)) value = Number(digits.replace(/\D/g, ''));
  else value = Number(digits.replace(',', '.'));
  return thousands ? value * 1000 : value;
}

/** CJK amounts: 10万 = 100,000; 1万5千 = 15,000; 2万 = 20,000. */
function cjkAmount(text: string): MoneyInText | undefined {
  const m =
    /(?:予算|预算|预计)?\s*(\d+(?:\.\d+)?)\s*万(?:\s*(\d+)\s*千)?\s*(円|元|人民币|港币|港元|日元)|(?:予算|预算)\s*(\d[\d,]*)\s*(円|元|人民币|港币|港元|日元)|(\d[\d,]*)\s*(円|元|人民币|港币|港元|日元)/u.exec(
      text,
    );
  if (!m) return undefined;
  const currencyWord = m[3] ?? m[5] ?? m[7];
  const currency = currencyWord === '日元' ? 'JPY' : CURRENCY_WORDS[currencyWord];
  const amount = m[1]
    ? Number(m[1]) * 10_000 + (m[2] ? Number(m[2]) * 1000 : 0)
    : Number((m[4] ?? m[6]).replace(/,/g, ''));
  return { amount, currency, start: m.index, end: m.index + m[0].length, text: m[0] };
}

/** Every amount with a currency, in text order. */
export function amountsInText(text: string): MoneyInText[] {
  const found: MoneyInText[] = [];
  const add = (amount: number, code: string | undefined, index: number, written: string) => {
    if (code === undefined || !(amount > 0)) return;
    if (found.some((f) => index < f.end && index + written.length > f.start)) return;
    found.push({ amount, currency: code, start: index, end: index + written.length, text: written });
  };
  const codeOf = (word: string) => CURRENCY_WORDS[word] ?? CURRENCY_WORDS[word.toLowerCase()];
  const cjk = cjkAmount(text);
  if (cjk) add(cjk.amount, cjk.currency, cjk.start, cjk.text);
  for (const m of text.matchAll(new RegExp(`(?<![\\p{L}])${CURRENCY}\\s?${AMOUNT}`, 'giu'))) {
    if (/^[a-z]{3}$/i.test(m[1]) && m[1] !== m[1].toUpperCase()) continue; // "try 3" is not Turkish lira
    add(amountOf(m[2], m[3]), codeOf(m[1]), m.index, m[0]);
  }
  for (const m of text.matchAll(new RegExp(`${AMOUNT}\\s?${CURRENCY}(?![\\p{L}])`, 'giu')))
    add(amountOf(m[1], m[2]), codeOf(m[3]), m.index, m[0]);
  for (const m of text.matchAll(/(?<![\p{L}])(R)\s?(\d[\d\s.,]*\d)/gu))
    add(amountOf(m[2].trim(), undefined), PREFIX_ONLY[m[1]], m.index, m[0]);
  return found.sort((a, b) => a.start - b.start);
}

const BUDGET_WORD = /(budget|presupuesto|orçamento|bilancio|予算|预算|бюджет|total|insgesamt|au total)/iu;

/** The budget: the amount after a budget word, else the first amount with a currency. */
export function budgetInText(text: string): MoneyInText | undefined {
  const amounts = amountsInText(text);
  const after = amounts.find((a) => BUDGET_WORD.test(text.slice(Math.max(0, a.start - 20), a.start)));
  return after ?? amounts[0];
}
