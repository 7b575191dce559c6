/**
 * The `resolvePlaces` activity: what the traveller wrote for origin and destination, looked up in
 * the gazetteer (an activity, because the gazetteer is loaded data, not orchestrator state). An
 * unknown place comes back as unknown — never a guess presented as fact.
 */
import { z } from 'zod';
import { lookupPlace } from '../geo';
import type { TripFacts } from './schemas';

export const RESOLVE_PLACES = 'resolvePlaces';

export const resolvePlacesInputSchema = z.object({
  origin: z.string().max(100).optional(),
  destination: z.string().max(100).optional(),
});
export type ResolvePlacesInput = z.infer<typeof resolvePlacesInputSchema>;

type Resolved = NonNullable<TripFacts['origin']>;
export type PlaceResolution = { known: true; place: Resolved } | { known: false; query: string };
export interface ResolvePlacesOutput {
  origin?: PlaceResolution;
  destination?: PlaceResolution;
}

export function resolvePlaces(raw: unknown): ResolvePlacesOutput {
  const input = resolvePlacesInputSchema.parse(raw);
  const output: ResolvePlacesOutput = {};
  if (input.origin !== undefined) output.origin = resolveOne(input.origin);
  if (input.destination !== undefined) output.destination = resolveOne(input.destination);
  return output;
}

function resolveOne(query: string): PlaceResolution {
  const match = lookupPlace(query);
  if (!match) return { known: false, query };
  if (match.kind === 'city') {
    const airport = match.city.airports[0]?.iata;
    return {
      known: true,
      place: {
        query,
        name: match.city.name,
        country: match.city.countryName,
        ...(airport ? { airport } : {}),
      },
    };
  }
  return {
    known: true,
    place: {
      query,
      name: match.city?.name ?? match.airport.cityName,
      country: match.city?.countryName ?? match.airport.country,
      airport: match.airport.iata,
    },
  };
}
