import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { z } from 'zod';

/**
 * The airport rows of `airport-data-js` (CC BY 4.0, https://github.com/aashishvanand/airport-data-js),
 * read synchronously once per process.
 *
 * The package's functions are all `async` wrappers over data embedded in its bundle as a gzipped
 * JSON string; the gazetteer must answer synchronously (agents look places up inside pure
 * functions), so we read that embedded payload directly. The dependency is pinned to an exact
 * version and `test/unit/geo/airport-source.test.ts` checks the rows against the package's public
 * `findAirports`, so a layout change fails CI instead of shipping.
 */

/** One package row as we use it (the package carries more: links, runway length, utc snapshot). */
const packageRowSchema = z.object({
  iata: z.string(),
  // One row has a number here; an ICAO code is four letters or nothing.
  icao: z
    .unknown()
    .transform((value) => (typeof value === 'string' && /^[A-Z0-9]{4}$/.test(value) ? value : undefined)),
  time: z.string(),
  country_code: z.string(),
  airport: z.string(),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
  type: z.string(),
});
export type PackageAirportRow = z.infer<typeof packageRowSchema>;

const PAYLOAD = /JSON\.parse\('\{"gzip":"([A-Za-z0-9+/=]+)"\}'\)/;

/** The package says scheduled service with "TRUE"/"FALSE" strings (booleans in its types). */
function isScheduled(value: unknown): boolean {
  return value === true || value === 'TRUE';
}

/**
 * The package's airports with an IATA code and scheduled passenger service, validated; rows that
 * fail validation are counted, never used. (Validating only these keeps start-up short: fewer than
 * half of the package's ~19,000 rows have both.)
 */
export function readScheduledAirports(): { rows: PackageAirportRow[]; rejected: number } {
  const bundlePath = require.resolve('airport-data-js');
  const match = PAYLOAD.exec(readFileSync(bundlePath, 'utf8'));
  if (!match?.[1]) {
    throw new Error(
      `airport-data-js: embedded airport data not found in ${bundlePath}; its bundle layout changed (see src/geo/airport-source.ts).`,
    );
  }
  const raw: unknown = JSON.parse(gunzipSync(Buffer.from(match[1], 'base64')).toString('utf8'));
  if (!Array.isArray(raw)) throw new Error('airport-data-js: embedded airport data is not an array.');
  const rows: PackageAirportRow[] = [];
  let rejected = 0;
  for (const record of raw) {
    const candidate = record as { iata?: unknown; scheduled_service?: unknown } | null;
    if (
      typeof candidate?.iata !== 'string' ||
      candidate.iata === '' ||
      !isScheduled(candidate.scheduled_service)
    )
      continue;
    const parsed = packageRowSchema.safeParse(record);
    if (parsed.success) rows.push(parsed.data);
    else rejected++;
  }
  return { rows, rejected };
}
