/**
 * Canonical JSON: object keys sorted, `undefined` members dropped, so two requests that differ only
 * in key order or omitted optionals serialize (and therefore hash and seed) identically.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : normalize(item)));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = normalize(member);
    }
    return sorted;
  }
  return value;
}
