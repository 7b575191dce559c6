import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';

/**
 * The request hash stored with a call-level idempotency key: SHA-256 (hex) of the canonical JSON
 * (sorted keys, `undefined` dropped) of the qualified tool name and its arguments. The same call
 * replayed by Durable hashes the same; a key reused for other arguments hashes differently.
 */
export function toolRequestHash(qualifiedTool: string, args: Readonly<Record<string, unknown>>): string {
  return createHash('sha256')
    .update(canonicalJson({ tool: qualifiedTool, arguments: args }))
    .digest('hex');
}
