import { createHash } from 'node:crypto';

// Cosmos ids may not contain / \ ? # and are limited to 255 characters; keys come from callers.
const safeId = /^[A-Za-z0-9._:@=+-]{1,200}$/;

const hashedMarker = 'sha256-';

/**
 * The document id for a caller-supplied key: the key itself when it is a valid Cosmos id (readable
 * in the portal), otherwise a hash of it. The original key is always stored in the document too.
 * The two forms are disjoint: a key that itself starts with the hash marker (in any case) is
 * hashed too, so no caller can take the id another key hashes to and block that key's booking.
 */
export function documentIdFor(prefix: string, key: string): string {
  const candidate = `${prefix}${key}`;
  if (safeId.test(candidate) && !key.toLowerCase().startsWith(hashedMarker)) return candidate;
  return `${prefix}${hashedMarker}${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
