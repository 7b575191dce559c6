/**
 * Where a DurableClient's requests go. In Azure they go over HTTP to the Durable extension's
 * endpoint, as the SDK sends them; that is left as it is. On Waypoint's local host the endpoint
 * is the host itself, which serves the app's calls to it in-process (so they never compete with
 * clients for its listener): there the client's axios is switched to its fetch adapter, whose
 * requests the host answers without a socket.
 */
import type { DurableClient } from 'durable-functions';

/** The contract the local host registers (src/local-host/in-process-fetch.ts). */
const inProcessSymbol = Symbol.for('waypoint.local-host.in-process-fetch');

interface InProcessRegistry {
  servesInProcess(url: string | URL): boolean;
}

/** The slice of axios this module sets (the SDK does not type `axiosInstance`). */
interface AxiosDefaults {
  defaults: { adapter?: unknown; env?: Record<string, unknown> };
}

/**
 * Sends `client`'s requests in-process when the host running this invocation serves its endpoint
 * that way; otherwise leaves the client untouched. Idempotent.
 */
export function preferInProcess<T extends DurableClient>(client: T): T {
  const registry = (globalThis as { [inProcessSymbol]?: InProcessRegistry })[inProcessSymbol];
  const endpoint = (client as unknown as { clientData?: { rpcBaseUrl?: unknown } }).clientData?.rpcBaseUrl;
  if (!registry || typeof endpoint !== 'string' || !registry.servesInProcess(endpoint)) return client;
  const axios = (client as unknown as { axiosInstance?: AxiosDefaults }).axiosInstance;
  if (!axios?.defaults) return client;
  axios.defaults.adapter = 'fetch';
  axios.defaults.env = { ...axios.defaults.env, fetch: currentFetch };
  return client;
}

/**
 * The global fetch as it is when a request is sent (the host's in-process-aware one). One function
 * for every client: axios caches a fetch adapter per `env.fetch` identity.
 */
function currentFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  return globalThis.fetch(input, init);
}
