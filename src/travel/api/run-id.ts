/**
 * Run ids and the run-level idempotency of `POST /api/trips` (layer 1 of docs/architecture.md).
 *
 * With an `Idempotency-Key` header the run id is derived from the caller and the key, so the same
 * caller retrying gets the same run while another caller's identical key names another run. The
 * derivation is a keyed-by-purpose SHA-256, truncated to 128 bits: a key cannot be read back from
 * the id, and an id cannot be steered onto someone else's run. Without a key the id is random;
 * both kinds look alike (`trip-` + 32 hex digits), so an id says nothing about how it was made.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson } from '../../domain/canonical-json';
import type { TripRequestBody } from '../schemas';

/** `trip-` and 32 lowercase hex digits: anything else is not a run id (and answers 404). */
export const RUN_ID_PATTERN = /^trip-[0-9a-f]{32}$/;

/** 1–200 printable ASCII characters (space included), as the HTTP header carries them. */
export const idempotencyKeySchema = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'at most 200 characters')
  .regex(/^[\x20-\x7e]+$/, 'printable ASCII characters only');

/** The run id for `owner`'s request with Idempotency-Key `key`: the same for the same pair, always. */
export function runIdFor(owner: string, key: string): string {
  // JSON of the pair keeps owner and key apart whatever characters they hold (injective).
  const digest = createHash('sha256')
    .update(`waypoint/trip-run:${JSON.stringify([owner, key])}`, 'utf8')
    .digest('hex');
  return `trip-${digest.slice(0, 32)}`;
}

/** A fresh run id, for a request without an Idempotency-Key. */
export function newRunId(): string {
  return `trip-${randomBytes(16).toString('hex')}`;
}

export function isRunId(value: string): boolean {
  return RUN_ID_PATTERN.test(value);
}

/**
 * SHA-256 (hex) of the validated body in canonical JSON: key order, whitespace and omitted
 * optionals do not count, so an honest retry matches and a different request does not.
 */
export function requestHash(body: TripRequestBody): string {
  return createHash('sha256').update(canonicalJson(body), 'utf8').digest('hex');
}
