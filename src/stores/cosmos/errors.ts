import { TransientError } from '../../domain/errors';

/** HTTP status of a failed Cosmos DB operation (the SDK throws `ErrorResponse` with a numeric `code`). */
export function cosmosStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

export const isConflict = (error: unknown): boolean => cosmosStatus(error) === 409;
export const isPreconditionFailed = (error: unknown): boolean => cosmosStatus(error) === 412;
export const isNotFound = (error: unknown): boolean => cosmosStatus(error) === 404;

// Throttling, timeouts and service-side failures pass on retry; 4xx client errors do not.
const transientStatuses = new Set([408, 429, 449, 500, 502, 503, 504]);
const transientNetworkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'TimeoutError',
]);

/**
 * Runs a Cosmos DB operation and rethrows failures that may pass on retry as `TransientError`,
 * so the activity calling the store is retried by Durable instead of failing the run.
 */
export async function withCosmosErrors<T>(operation: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const reason = transientReason(error);
    if (reason === undefined) throw error;
    const retryAfterMs = (error as { retryAfterInMs?: unknown }).retryAfterInMs;
    throw new TransientError(`Cosmos DB ${operation} failed (${reason}).`, {
      cause: error,
      ...(typeof retryAfterMs === 'number' ? { retryAfterMs } : {}),
    });
  }
}

/** Why `error` is worth retrying (status, network code or error name), or undefined when it is not. */
function transientReason(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, name } = error as { code?: unknown; name?: unknown };
  if (typeof code === 'number' && transientStatuses.has(code)) return `HTTP ${code}`;
  if (typeof code === 'string' && transientNetworkCodes.has(code)) return code;
  if (name === 'TimeoutError') return name;
  return undefined;
}
