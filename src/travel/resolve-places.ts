/**
 * The `resolvePlaces` activity: what the traveller wrote for the origin and each destination,
 * looked up in the gazetteer (an activity, because the gazetteer is loaded data, not orchestrator
 * state). A place is a curated city, an airport, a region, a country or a town; a place without an
 * airport comes with the nearest airports with scheduled flights and the ground leg stated. An
 * unknown place comes back as unknown — never a guess presented as fact.
 */
import { z } from 'zod';
import { resolvePlace, type ResolvedPlace } from '../geo/resolve-place';

export const RESOLVE_PLACES = 'resolvePlaces';

export const resolvePlacesInputSchema = z.object({
  origin: z.string().max(100).optional(),
  destination: z.string().max(100).optional(),
  /** Every destination of a multi-city trip, in order (the first is `destination` when both are given). */
  destinations: z.array(z.string().max(100)).max(10).optional(),
  /** Countries of the request (homonyms: "Saint-Louis" in a French request is the French one). */
  countries: z.array(z.string().length(2)).max(10).optional(),
});
export type ResolvePlacesInput = z.infer<typeof resolvePlacesInputSchema>;

/** An airport that serves the place: in town, or a gateway at this distance. */
export interface ServingAirportOut {
  iata: string;
  name: string;
  distanceKm: number;
  inTown: boolean;
}

export interface ResolvedPlaceOut {
  query: string;
  name: string;
  /** English country name (as before), and its ISO code. */
  country: string;
  countryCode: string;
  /** ISO 3166-2 where known ("US-ME"). */
  region?: string;
  kind: ResolvedPlace['kind'];
  /** The airport the tools search from or to (IATA): the place's own, or its nearest gateway. */
  airport?: string;
  airports: ServingAirportOut[];
  /** "Zermatt has no airport with scheduled flights: fly to … then by train or road." */
  ground?: string;
  /** True when the airport is not the place's own (a gateway, a region's or a country's main one). */
  inferred: boolean;
}

export type PlaceResolution = { known: true; place: ResolvedPlaceOut } | { known: false; query: string };
export interface ResolvePlacesOutput {
  origin?: PlaceResolution;
  destination?: PlaceResolution;
  destinations?: PlaceResolution[];
}

export function resolvePlaces(raw: unknown): ResolvePlacesOutput {
  const input = resolvePlacesInputSchema.parse(raw);
  const hints = { countries: input.countries ?? [] };
  const output: ResolvePlacesOutput = {};
  if (input.origin !== undefined) output.origin = resolveOne(input.origin, hints);
  if (input.destination !== undefined) output.destination = resolveOne(input.destination, hints);
  if (input.destinations !== undefined)
    output.destinations = input.destinations.map((query) => resolveOne(query, hints));
  return output;
}

function resolveOne(query: string, hints: { countries: string[] }): PlaceResolution {
  const place = resolvePlace(query, hints);
  if (place === undefined) return { known: false, query };
  const airports = place.airports.map((served) => ({
    iata: served.airport.iata,
    name: served.airport.name,
    distanceKm: served.distanceKm,
    inTown: served.inTown,
  }));
  const main = airports[0];
  return {
    known: true,
    place: {
      query,
      name: place.name,
      country: place.countryName,
      countryCode: place.country,
      ...(place.region ? { region: place.region } : {}),
      kind: place.kind,
      ...(main ? { airport: main.iata } : {}),
      airports,
      ...(place.ground ? { ground: place.ground } : {}),
      inferred: main === undefined || !main.inTown || place.kind === 'country' || place.kind === 'region',
    },
  };
}
