import { createHash } from 'node:crypto';

/**
 * The request hash stored with a call-level idempotency key: SHA-256 (hex) of the canonical JSON
 * (sorted keys, `undefined` dropped) of the qualified tool name and its arguments. The same call
 * replayed by Durable hashes the same; a key reused for other arguments hashes differently.
 */
export function toolRequestHash(qualifiedTool: string, args: Readonly<Record<string, unknown>>): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical({ tool: qualifiedTool, arguments: args })))
    .digest('hex');
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonical(item)));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = canonical(member);
    }
    return sorted;
  }
  return value;
}
