import { AIRPORT_DATA_ATTRIBUTION } from '../../geo';

/** What each tool server reports in `initialize` (`serverInfo`). */
export const SERVER_VERSION = '0.1.0';

/**
 * The data note the place-based servers send as their `initialize` instructions: where places come
 * from (with the attribution the airport data's CC BY 4.0 licence asks for) and what is generated.
 */
export const PLACES_DATA_NOTE = [
  'Places: a city name (with or without accents, English or native: "Köln", "Cologne"), an IATA airport code ("CGN"), or a city with its country or US/Canadian/Australian state ("Paris, France", "Portland, OR"). Only airports with scheduled passenger service are known; an unknown place is a tool error (unknown_place), never a guess.',
  'Offers, hotels, restaurants and weather are generated deterministically from the query; they are plausible, not live.',
  AIRPORT_DATA_ATTRIBUTION,
].join('\n');

export function serverInfo(name: string): { name: string; version: string } {
  return { name: `waypoint-${name}`, version: SERVER_VERSION };
}

/** Search and lookup tools: no side effects, and the same arguments always give the same answer. */
export const READ_ONLY_TOOL = { readOnlyHint: true, idempotentHint: true, openWorldHint: false } as const;
