/** Both backends reject the same bad `limit`, so callers see one behaviour whatever the store. */
export function checkedLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 0)
    throw new RangeError(`limit must be a non-negative integer, got ${limit}.`);
  return limit;
}
