/**
 * Relative price level of a night out or a hotel room by country (ISO 3166-1 alpha-2; 1 = a typical
 * Western European city). Coarse on purpose: it only has to make Zurich dearer than Lisbon and Bangkok cheaper still.
 */
const PRICE_LEVEL: Record<string, number> = {
  CH: 1.55,
  NO: 1.45,
  IS: 1.45,
  DK: 1.35,
  GB: 1.3,
  US: 1.3,
  IE: 1.25,
  AU: 1.2,
  FR: 1.15,
  JP: 1.1,
  SG: 1.3,
  AE: 1.2,
  QA: 1.15,
  CA: 1.15,
  DE: 1.05,
  NL: 1.15,
  SE: 1.2,
  FI: 1.15,
  AT: 1.1,
  NZ: 1.1,
  IT: 1.0,
  ES: 0.9,
  PT: 0.85,
  GR: 0.85,
  KR: 0.95,
  CN: 0.75,
  PL: 0.7,
  CZ: 0.75,
  HU: 0.7,
  TR: 0.65,
  MX: 0.65,
  BR: 0.65,
  AR: 0.6,
  CL: 0.7,
  ZA: 0.6,
  TH: 0.55,
  VN: 0.45,
  ID: 0.5,
  IN: 0.45,
  EG: 0.45,
  MA: 0.5,
};

const DEFAULT_PRICE_LEVEL = 0.75;

/** The price level of a country, by ISO 3166-1 alpha-2 code. */
export function priceLevel(country: string): number {
  return PRICE_LEVEL[country] ?? DEFAULT_PRICE_LEVEL;
}
