/**
 * The app's HTTP calls to its own host, served in-process. A Functions app calls itself: the trips
 * API's DurableClient talks to the host's RPC endpoint, and the tool client to the MCP servers the
 * app mounts. Over the socket, those calls competed with clients for the listener's connections
 * (a burst of clients starved the app's own calls, which then failed with 500) and paid for HTTP
 * twice. Here, a fetch made while one of the host's invocations runs, to that host's own origin,
 * is handed straight to its front door; everything else goes to the real fetch.
 *
 * The state lives on `globalThis` under a registered symbol, because the host and the app may
 * load separate copies of this module (tests run the host from src/ and the app from dist/).
 * Apps that use a client other than fetch ask `servesInProcess(url)` and switch that client to
 * fetch (src/functions/durable-client-transport.ts does so for DurableClient's axios).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { context as otelContext, ROOT_CONTEXT } from '@opentelemetry/api';
import { payloadTooLarge, type FrontDoor, type HostRequest, type HostResponse } from './front-door';

/** A host that can serve requests to its own origins in-process. */
export interface InProcessHost {
  /** True while the host serves `url`'s origin. */
  serves(url: URL): boolean;
  dispatch(request: Request): Promise<Response>;
  /** The same, for a client that is not fetch: plain objects, no Request or Response built. */
  dispatchPlain(request: PlainRequest): Promise<PlainResponse>;
}

/** A request as an app's own HTTP client (DurableClient's axios) hands it over in-process. */
export interface PlainRequest {
  method: string;
  url: URL;
  /** By name (any case). */
  headers: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

export interface PlainResponse {
  status: number;
  /** By lower-case name. */
  headers: Record<string, string | string[]>;
  body: Buffer;
}

interface SharedState {
  scope: AsyncLocalStorage<InProcessHost>;
  fetch: typeof fetch;
  /** What apps call: does the host running this invocation serve `url` in-process? */
  servesInProcess(url: string | URL): boolean;
  /**
   * What apps with their own HTTP client call: the answer of the host running this invocation,
   * when it serves the request's origin in-process; undefined when it does not (send it yourself).
   */
  requestInProcess(request: PlainRequest): Promise<PlainResponse> | undefined;
}

/** The registered symbol apps look up (see the module comment). */
export const inProcessSymbol = Symbol.for('waypoint.local-host.in-process-fetch');

function sharedState(): SharedState {
  const slot = globalThis as { [inProcessSymbol]?: SharedState };
  let state = slot[inProcessSymbol];
  if (!state) {
    const scope = new AsyncLocalStorage<InProcessHost>();
    const realFetch = globalThis.fetch;
    const created: SharedState = {
      scope,
      fetch: realFetch,
      servesInProcess: (url) => scope.getStore()?.serves(new URL(url)) ?? false,
      requestInProcess: (request) => {
        const host = scope.getStore();
        if (!host?.serves(request.url)) return undefined;
        return abortable(host.dispatchPlain(request), request.signal);
      },
    };
    state = created;
    slot[inProcessSymbol] = state;
    globalThis.fetch = function inProcessAwareFetch(input, init) {
      const host = scope.getStore();
      if (host) {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (host.serves(url)) return abortable(host.dispatch(new Request(input, init)), init?.signal);
      }
      return created.fetch(input, init);
    } as typeof fetch;
  }
  return state;
}

/** Runs `body` as one of `host`'s invocations: its fetches to the host's origins stay in-process. */
export function runAsInvocationOf<T>(host: InProcessHost, body: () => T): T {
  return sharedState().scope.run(host, body);
}

/** Installs the fetch wrapper (once per process); hosts call this when they start. */
export function installInProcessFetch(): void {
  sharedState();
}

/** An InProcessHost over a front door, for the given origins (e.g. `http://127.0.0.1:7071`). */
export function inProcessHost(
  frontDoor: FrontDoor,
  origins: () => ReadonlySet<string>,
  isOpen: () => boolean,
): InProcessHost {
  return {
    serves: (url) => isOpen() && origins().has(url.origin),
    // As a request off the wire would: no trace context but what its headers carry.
    dispatch: async (request) =>
      toWebResponse(
        await otelContext.with(ROOT_CONTEXT, async () => frontDoor(await hostRequestOf(request))),
      ),
    dispatchPlain: async (request) =>
      plainResponseOf(await otelContext.with(ROOT_CONTEXT, () => frontDoor(hostRequestOfPlain(request)))),
  };
}

/** `answer`, or its signal's abort reason if that comes first. */
function abortable<T>(answer: Promise<T>, signal: AbortSignal | null | undefined): Promise<T> {
  if (!signal) return answer;
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    answer.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
}

function hostRequestOfPlain(request: PlainRequest): HostRequest {
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers.host ??= request.url.host;
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  return {
    method: request.method.toUpperCase(),
    target: `${request.url.pathname}${request.url.search}`,
    headers,
    fromLoopback: true,
    announcesBody: body !== undefined && body.length > 0,
    readBody(limit: number): Promise<Buffer> {
      if (body && body.length > limit) return Promise.reject(payloadTooLarge(limit));
      return Promise.resolve(body ?? Buffer.alloc(0));
    },
  };
}

async function plainResponseOf(response: HostResponse): Promise<PlainResponse> {
  const { body } = response;
  const bytes =
    body === undefined || nullBodyStatuses.has(response.status)
      ? Buffer.alloc(0)
      : Buffer.isBuffer(body)
        ? body
        : Buffer.from(await new Response(body as ConstructorParameters<typeof Response>[0]).arrayBuffer());
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.headers)) headers[name.toLowerCase()] = value;
  return { status: response.status, headers, body: bytes };
}

async function hostRequestOf(request: Request) {
  const url = new URL(request.url);
  const headers: Record<string, string | undefined> = {};
  request.headers.forEach((value, name) => (headers[name] = value));
  // fetch sets Host on the wire from the URL; the front door checks it the same way.
  headers.host ??= url.host;
  return {
    method: request.method.toUpperCase(),
    target: `${url.pathname}${url.search}`,
    headers,
    fromLoopback: true,
    announcesBody: request.body !== null,
    async readBody(limit: number): Promise<Buffer> {
      const body = Buffer.from(await request.arrayBuffer());
      if (body.length > limit) throw payloadTooLarge(limit);
      return body;
    },
  };
}

/** Statuses whose responses never carry a body (the Response constructor refuses one). */
const nullBodyStatuses = new Set([101, 204, 205, 304]);

function toWebResponse(response: HostResponse): Response {
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  const body = nullBodyStatuses.has(response.status) ? null : (response.body ?? null);
  return new Response(body as ConstructorParameters<typeof Response>[0], {
    status: response.status,
    headers,
  });
}
