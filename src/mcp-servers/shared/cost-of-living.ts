/**
 * Relative price level of a night out or a hotel room by country (1 = a typical Western European
 * city). Coarse on purpose: it only has to make Zurich dearer than Lisbon and Bangkok cheaper still.
 */
const PRICE_LEVEL: Record<string, number> = {
  Switzerland: 1.55,
  Norway: 1.45,
  Iceland: 1.45,
  Denmark: 1.35,
  'United Kingdom': 1.3,
  'United States': 1.3,
  Ireland: 1.25,
  Australia: 1.2,
  France: 1.15,
  Japan: 1.1,
  Singapore: 1.3,
  'United Arab Emirates': 1.2,
  Canada: 1.15,
  Germany: 1.05,
  Netherlands: 1.15,
  Sweden: 1.2,
  Finland: 1.15,
  Austria: 1.1,
  'New Zealand': 1.1,
  Italy: 1.0,
  Spain: 0.9,
  Portugal: 0.85,
  Greece: 0.85,
  'South Korea': 0.95,
  China: 0.75,
  Poland: 0.7,
  'Czech Republic': 0.75,
  Hungary: 0.7,
  Turkey: 0.65,
  Mexico: 0.65,
  Brazil: 0.65,
  Argentina: 0.6,
  Chile: 0.7,
  'South Africa': 0.6,
  Thailand: 0.55,
  Vietnam: 0.45,
  Indonesia: 0.5,
  India: 0.45,
  Egypt: 0.45,
  Morocco: 0.5,
};

const DEFAULT_PRICE_LEVEL = 0.75;

export function priceLevel(country: string): number {
  return PRICE_LEVEL[country] ?? DEFAULT_PRICE_LEVEL;
}
