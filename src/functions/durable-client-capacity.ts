/**
 * The Durable backend saying "not now". The durable-functions SDK (pinned at 3.5.0) accepts every
 * HTTP status below 600 from its axios instance and turns a status it does not expect into a plain
 * `Error` whose only trace of the status is its message. A 429 (the local host's
 * `too_many_instances` or `too_many_events`) or a 503 (the extension unavailable) is the caller's
 * "try later", not a server fault: an axios response interceptor turns those answers into a typed
 * `DurableCapacityError` before the SDK sees them, so callers recognise capacity by type.
 */
import type { DurableClient } from 'durable-functions';
import { WaypointError } from '../domain/errors';

/** The statuses with which the Durable endpoint refuses for capacity. */
export type DurableCapacityStatus = 429 | 503;

/** The Durable endpoint refused a client call for capacity; the same call may succeed later. */
export class DurableCapacityError extends WaypointError {
  constructor(
    readonly status: DurableCapacityStatus,
    retryAfterMs: number | undefined,
  ) {
    super(
      status === 429 ? 'too_busy' : 'unavailable',
      `The Durable endpoint refused the call for capacity (HTTP ${status}).`,
      { retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) },
    );
  }
}

/** The slice of an axios response this module reads. */
interface AxiosResponseLike {
  status: number;
  headers?: Record<string, unknown>;
}

/** The slice of an axios instance this module uses (the SDK does not type `axiosInstance`). */
interface ResponseInterceptable {
  interceptors: {
    response: { use(onFulfilled: (response: AxiosResponseLike) => AxiosResponseLike): number };
  };
}

const recognising = new WeakSet<object>();

/**
 * Makes every call of `client` that the Durable endpoint refuses with 429 or 503 reject with a
 * `DurableCapacityError` (instead of the SDK's untyped error). Idempotent per client; a client
 * without the axios instance 3.5.0 keeps is left as it is (its refusals stay untyped).
 */
export function recogniseCapacity<T extends DurableClient>(client: T): T {
  if (recognising.has(client)) return client;
  const axios = (client as unknown as { axiosInstance?: unknown }).axiosInstance;
  if (!isInterceptable(axios)) return client;
  axios.interceptors.response.use((response) => {
    if (response.status === 429 || response.status === 503) {
      throw new DurableCapacityError(response.status, retryAfterMsOf(response));
    }
    return response;
  });
  recognising.add(client);
  return client;
}

/** The response's `Retry-After` in milliseconds, when it gives a number of seconds. */
function retryAfterMsOf(response: AxiosResponseLike): number | undefined {
  // axios' own adapters give lower-case names; an adapter of ours may pass the host's spelling.
  const name = Object.keys(response.headers ?? {}).find((key) => key.toLowerCase() === 'retry-after');
  const raw = name === undefined ? undefined : response.headers?.[name];
  const value = Array.isArray(raw) ? (raw[0] as unknown) : raw;
  return typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) * 1000 : undefined;
}

function isInterceptable(value: unknown): value is ResponseInterceptable {
  const use = (value as { interceptors?: { response?: { use?: unknown } } } | undefined)?.interceptors
    ?.response?.use;
  return typeof use === 'function';
}
