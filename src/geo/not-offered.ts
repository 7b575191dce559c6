/**
 * Airports the source lists with scheduled service that we still never offer, each with why.
 * The source is current for most airports but not all; a travel planner that offers an airport
 * nobody can fly to loses its users at the first search.
 */
export const NOT_OFFERED_AIRPORTS: Readonly<Record<string, string>> = {
  PAR: 'a metropolitan code (all Paris airports), not an airport',
  BAK: 'a metropolitan code (all Baku airports), not an airport',
  REP: 'old Siem Reap airport, closed in October 2023 (replaced by SAI)',
  UKY: 'Kyoto Downtown Heliport: no scheduled airline service (Kyoto is served by ITM, KIX and UKB)',
};

/** Countries whose civil airports have no scheduled passenger service today, with why. */
export const NOT_OFFERED_COUNTRIES: Readonly<Record<string, string>> = {
  UA: 'Ukrainian airspace is closed to civil flights since February 2022',
};
