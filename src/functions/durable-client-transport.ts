/**
 * Where a DurableClient's requests go. In Azure they go over HTTP to the Durable extension's
 * endpoint, as the SDK sends them; that is left as it is. On Waypoint's local host the endpoint
 * is the host itself, which serves the app's calls to it in-process (so they never compete with
 * clients for its listener): there the client's axios gets an adapter that hands each request to
 * the host as a plain object and reads its answer back the same way, with no socket and none of
 * fetch's Request and Response objects (building those for every status read was a visible share
 * of a busy host's CPU). A request the host does not serve goes out through axios' fetch adapter.
 */
import { createRequire } from 'node:module';
import type { DurableClient } from 'durable-functions';

/** The contract the local host registers (src/local-host/in-process-fetch.ts). */
const inProcessSymbol = Symbol.for('waypoint.local-host.in-process-fetch');

interface PlainResponse {
  status: number;
  headers: Record<string, string | string[]>;
  body: Buffer;
}

interface InProcessRegistry {
  servesInProcess(url: string | URL): boolean;
  requestInProcess?(request: {
    method: string;
    url: URL;
    headers: Record<string, string>;
    body?: string | Buffer;
    signal?: AbortSignal;
  }): Promise<PlainResponse> | undefined;
}

/** The slice of an axios request config the adapter reads (axios is the SDK's, not ours). */
interface AxiosConfig {
  url?: string;
  baseURL?: string;
  method?: string;
  headers?: { toJSON?: () => Record<string, unknown> } & Record<string, unknown>;
  data?: unknown;
  signal?: AbortSignal;
  params?: unknown;
}

type Adapter = (config: AxiosConfig) => Promise<unknown>;

/** The slice of axios this module sets (the SDK does not type `axiosInstance`). */
interface AxiosDefaults {
  defaults: { adapter?: unknown; env?: Record<string, unknown> };
}

let inProcess: Adapter | undefined;

/** axios' fetch adapter, from axios as the SDK loads it (its own dependency). */
function sdkFetchAdapter(): Adapter | undefined {
  const fromSdk = createRequire(require.resolve('durable-functions'));
  return (fromSdk('axios') as { getAdapter?: (name: string) => Adapter }).getAdapter?.('fetch');
}

/**
 * Sends `client`'s requests in-process when the host running this invocation serves its endpoint
 * that way; otherwise leaves the client untouched. Idempotent.
 */
export function preferInProcess<T extends DurableClient>(client: T): T {
  const registry = inProcessRegistry();
  const endpoint = (client as unknown as { clientData?: { rpcBaseUrl?: unknown } }).clientData?.rpcBaseUrl;
  if (!registry || typeof endpoint !== 'string' || !registry.servesInProcess(endpoint)) return client;
  const axios = (client as unknown as { axiosInstance?: AxiosDefaults }).axiosInstance;
  if (!axios?.defaults) return client;
  axios.defaults.env = { ...axios.defaults.env, fetch: currentFetch };
  // One adapter for every client: built once, not on every request's client.
  axios.defaults.adapter = registry.requestInProcess ? (inProcess ??= inProcessAdapter()) : 'fetch';
  return client;
}

function inProcessRegistry(): InProcessRegistry | undefined {
  return (globalThis as { [inProcessSymbol]?: InProcessRegistry })[inProcessSymbol];
}

/** An axios adapter: the host's answer in-process, else axios' own fetch adapter. */
function inProcessAdapter(): Adapter {
  const fetchAdapter = sdkFetchAdapter();
  return async (config) => {
    const answer = config.params === undefined ? sendInProcess(config) : undefined;
    if (!answer) {
      if (!fetchAdapter)
        throw new Error('DurableClient: no in-process host and no fetch adapter to send with.');
      return fetchAdapter(config);
    }
    const response = await answer;
    // The SDK accepts every status below 600 and reads it itself; axios parses the JSON body.
    return {
      data: response.body.toString('utf8'),
      status: response.status,
      statusText: '',
      headers: response.headers,
      config,
      request: {},
    };
  };
}

function sendInProcess(config: AxiosConfig): Promise<PlainResponse> | undefined {
  const registry = inProcessRegistry();
  if (!registry?.requestInProcess || config.url === undefined) return undefined;
  const headers: Record<string, string> = {};
  const raw = config.headers?.toJSON ? config.headers.toJSON() : (config.headers ?? {});
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string' || typeof value === 'number') headers[name] = String(value);
  }
  const body =
    config.data === undefined || config.data === null
      ? undefined
      : typeof config.data === 'string' || Buffer.isBuffer(config.data)
        ? config.data
        : JSON.stringify(config.data);
  return registry.requestInProcess({
    method: (config.method ?? 'get').toUpperCase(),
    url: new URL(config.url, config.baseURL),
    headers,
    ...(body === undefined ? {} : { body }),
    ...(config.signal ? { signal: config.signal } : {}),
  });
}

/**
 * The global fetch as it is when a request is sent (the host's in-process-aware one). One function
 * for every client: axios caches a fetch adapter per `env.fetch` identity.
 */
function currentFetch(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  return globalThis.fetch(input, init);
}
