import { createHash } from 'node:crypto';

// Cosmos ids may not contain / \ ? # and are limited to 255 characters; keys come from callers.
const safeId = /^[A-Za-z0-9._:@=+-]{1,200}$/;

/**
 * The document id for a caller-supplied key: the key itself when it is a valid Cosmos id (readable
 * in the portal), otherwise a hash of it. The original key is always stored in the document too.
 */
export function documentIdFor(prefix: string, key: string): string {
  const candidate = `${prefix}${key}`;
  if (safeId.test(candidate)) return candidate;
  return `${prefix}sha256-${createHash('sha256').update(key, 'utf8').digest('hex')}`;
}
