/**
 * The route of a request: where it starts and its legs in order, with the nights each leg asks
 * for ("Rome then Florence, 4 nights each"; "3 nights in Paris and 2 in Amsterdam"; "Madrid 3
 * nights, Seville 2 nights"; "erst 4 Nächte Tokio, dann 3 Nächte Osaka"; "各4泊").
 */
import type { PlaceInText } from './places-in-text';
import type { Duration } from './dates';

export interface Leg {
  mention: PlaceInText;
  /** Every mention of the leg's place ("Paris then Amsterdam, 3 nights in Paris"). */
  mentions: PlaceInText[];
  nights?: number;
  /** Where the nights were read: the duration's span. */
  nightsSpan?: [number, number];
}

export interface Route {
  origin?: PlaceInText;
  legs: Leg[];
  /** True when the origin was taken from order alone ("Seattle to Vancouver"), not a direction word. */
  originFromOrder: boolean;
}

/** The origin and the legs, from the places' roles and order. */
export function routeOf(places: readonly PlaceInText[]): Route {
  let origin = places.find((p) => p.role === 'origin');
  let originFromOrder = false;
  if (origin === undefined) {
    // "Seattle to Vancouver", "Hamburg – Wien", "Rotterdam naar Londen": an unmarked place before a marked destination.
    const firstDestination = places.findIndex((p) => p.role === 'destination');
    const before = places.slice(0, Math.max(0, firstDestination)).find((p) => p.role === 'unmarked');
    const unmarked = places.filter((p) => p.role === 'unmarked');
    if (before) origin = before;
    else if (firstDestination < 0 && unmarked.length === 2 && arrowLike(unmarked)) origin = unmarked[0];
    originFromOrder = origin !== undefined;
  }
  const legs: Leg[] = [];
  for (const place of places) {
    if (place === origin || place.place.key === origin?.place.key) continue;
    const known = legs.find((leg) => leg.mention.place.key === place.place.key);
    if (known) known.mentions.push(place);
    else legs.push({ mention: place, mentions: [place] });
  }
  return { ...(origin ? { origin } : {}), legs: refineCountries(legs), originFromOrder };
}

function arrowLike(pair: readonly PlaceInText[]): boolean {
  return pair.length === 2 && pair[0].end < pair[1].start;
}

/** "Thailand: Bangkok", "a Japón, a Tokio": a country followed or preceded by one of its places is that place. */
function refineCountries(legs: Leg[]): Leg[] {
  return legs.filter(
    (leg) =>
      leg.mention.place.kind !== 'country' ||
      !legs.some((other) => other !== leg && other.mention.place.country === leg.mention.place.country),
  );
}

const EACH =
  /^\s*(?:each|apiece|per (?:city|place|stop)|je|jeweils|chacune?|cada(?: una| uno)?|ciascuna|ciascuno|per stad|per plaats|each one)\b/i;

/**
 * Nights per leg from the request's durations: a duration "each" applies to every leg; one next
 * to a place ("3 nights in Paris", "Madrid 3 nights", "4 Nächte Tokio") to that place; with one
 * leg, a single duration is the leg's.
 */
export function assignNights(text: string, legs: Leg[], durations: readonly Duration[]): Duration[] {
  const nightly = durations.filter((d) => d.nights !== undefined);
  const used = new Set<Duration>();
  for (const duration of nightly) {
    const eachBefore = /(?:各|(?<![\p{L}])(?:je|jeweils|per)\s*)$/u.test(text.slice(0, duration.start));
    if (legs.length > 1 && (EACH.test(text.slice(duration.end, duration.end + 20)) || eachBefore)) {
      for (const leg of legs) {
        leg.nights = duration.nights;
        leg.nightsSpan = [duration.start, duration.end];
      }
      used.add(duration);
    }
  }
  if (legs.length > 1 && used.size === 0) {
    for (const duration of nightly) {
      const leg = nearestLeg(text, legs, duration);
      if (leg && leg.nights === undefined) {
        leg.nights = duration.nights;
        leg.nightsSpan = [duration.start, duration.end];
        used.add(duration);
      }
    }
    // "3 nights in Paris and 2 in Amsterdam": a bare number before "in <place>".
    for (const leg of legs) {
      if (leg.nights !== undefined) continue;
      for (const mention of leg.mentions) {
        const bare = /(\d{1,2})\s+(?:in|à|en|em|a)\s*$/i.exec(
          text.slice(Math.max(0, mention.start - 8), mention.start),
        );
        if (bare) leg.nights = Number(bare[1]);
      }
    }
    if (legs.some((leg) => leg.nights === undefined)) {
      // Not every leg has its nights: the durations are the trip's, not a leg's ("14 nights in total").
      for (const leg of legs) {
        delete leg.nights;
        delete leg.nightsSpan;
      }
      used.clear();
    }
  }
  return nightly.filter((d) => !used.has(d));
}

/** The leg a duration sits next to: right after it ("3 nights in Paris") or right before it ("Madrid 3 nights"). */
function nearestLeg(text: string, legs: readonly Leg[], duration: Duration): Leg | undefined {
  const after = legs.find((leg) =>
    leg.mentions.some(
      (m) =>
        m.start >= duration.end &&
        /^\s*(?:in|à|en|a|em|no|na|nel|nella|te)?\s*$/i.test(text.slice(duration.end, m.start)),
    ),
  );
  if (after) return after;
  return legs.find((leg) =>
    leg.mentions.some(
      (m) =>
        m.end <= duration.start &&
        /^\s*(?:for|für|pour|por|para|per|voor|,)?\s*$/i.test(text.slice(m.end, duration.start)),
    ),
  );
}
