import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The shared key a caller presents as `x-mcp-key: <key>` or `Authorization: Bearer <key>`.
 * Compared in constant time (over digests, so lengths do not leak either).
 */
export function presentedKey(headers: Headers): string | undefined {
  const explicit = headers.get('x-mcp-key');
  if (explicit) return explicit.trim();
  const match = /^Bearer\s+(.+)$/i.exec(headers.get('authorization') ?? '');
  return match?.[1]?.trim();
}

export function keyMatches(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(expected), digest(presented));
}
