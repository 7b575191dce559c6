/**
 * The opaque continuation tokens of the store's paged queries: the sort key of the last row of the
 * previous page, as base64url JSON. A token that does not decode is the caller's mistake (a 400).
 */
export function encodePageToken(first: string, second: string): string {
  return Buffer.from(JSON.stringify([first, second])).toString('base64url');
}

export function decodePageToken(token: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'string')) {
      return value as [string, string];
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidContinuationTokenError();
}

export class InvalidContinuationTokenError extends Error {
  constructor() {
    super('The continuation token is not valid.');
  }
}

/** A page size as the queries take it: 100 unless asked, never below 1 nor above 1,000. */
export function pageSize(top: number | undefined): number {
  return Math.min(Math.max(top ?? 100, 1), 1000);
}
