import type { IdempotencyRecord } from './types';

/** Seven days: long enough to cover Durable's retries and a run waiting for approval. */
export const DEFAULT_IDEMPOTENCY_TTL_SECONDS = 7 * 24 * 60 * 60;

export function expiresAtFrom(now: Date, ttlSeconds: number): string {
  return new Date(now.getTime() + ttlSeconds * 1000).toISOString();
}

/**
 * An expired record counts as absent everywhere, even before a backend physically removes it
 * (Cosmos TTL runs in the background; the local Cosmos server never enforces it).
 */
export function isExpired(record: Pick<IdempotencyRecord, 'expiresAt'>, now: Date): boolean {
  return Date.parse(record.expiresAt) < now.getTime();
}

/** Seconds left until `expiresAt`, at least 1: Cosmos counts an item's `ttl` from its last write. */
export function remainingTtlSeconds(expiresAt: string, now: Date): number {
  return Math.max(1, Math.ceil((Date.parse(expiresAt) - now.getTime()) / 1000));
}

export function assertValidTtl(ttlSeconds: number): void {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`ttlSeconds must be a positive integer, got ${ttlSeconds}.`);
  }
}
