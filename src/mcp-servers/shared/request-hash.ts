import { createHash } from 'node:crypto';
import { canonicalJson } from '../../domain/canonical-json';

/**
 * The request hash stored beside an idempotency key: SHA-256 (hex) of the canonical JSON of the
 * tool name and its arguments without the key itself. Same tool + same arguments → same hash,
 * whatever the key order; a key reused for other arguments → another hash (a conflict).
 */
export function requestHash(
  toolName: string,
  args: Record<string, unknown>,
  keyField = 'idempotencyKey',
): string {
  const { [keyField]: _key, ...rest } = args;
  return createHash('sha256')
    .update(canonicalJson({ tool: toolName, arguments: rest }))
    .digest('hex');
}
