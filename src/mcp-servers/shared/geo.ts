const EARTH_RADIUS_KM = 6371.0088;

/** Decimal degrees, as the gazetteer (src/geo) gives them. */
export interface Coordinates {
  lat: number;
  lon: number;
}

/** Great-circle distance in kilometres (haversine). */
export function greatCircleKm(from: Coordinates, to: Coordinates): number {
  const toRad = (degrees: number) => (degrees * Math.PI) / 180;
  const dLat = toRad(to.lat - from.lat);
  const dLon = toRad(to.lon - from.lon);
  const h =
    Math.sin(dLat / 2) ** 2 + Math.cos(toRad(from.lat)) * Math.cos(toRad(to.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
