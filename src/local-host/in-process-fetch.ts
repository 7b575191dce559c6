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
import { payloadTooLarge, type FrontDoor, type HostResponse } from './front-door';

/** A host that can serve requests to its own origins in-process. */
export interface InProcessHost {
  /** True while the host serves `url`'s origin. */
  serves(url: URL): boolean;
  dispatch(request: Request): Promise<Response>;
}

interface SharedState {
  scope: AsyncLocalStorage<InProcessHost>;
  fetch: typeof fetch;
  /** What apps call: does the host running this invocation serve `url` in-process? */
  servesInProcess(url: string | URL): boolean;
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
    };
    state = created;
    slot[inProcessSymbol] = state;
    globalThis.fetch = function inProcessAwareFetch(input, init) {
      const host = scope.getStore();
      if (host) {
        const url = new URL(input instanceof Request ? input.url : String(input));
        if (host.serves(url)) return dispatchAbortable(host, new Request(input, init), init?.signal);
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
  };
}

function dispatchAbortable(
  host: InProcessHost,
  request: Request,
  signal: AbortSignal | null | undefined,
): Promise<Response> {
  if (!signal) return host.dispatch(request);
  if (signal.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortReason(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    host
      .dispatch(request)
      .then(resolve, reject)
      .finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('This operation was aborted', 'AbortError');
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
