import { AsyncLocalStorage } from 'node:async_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Logger } from '../telemetry/logger';

/** Per-call state the shared transport's fetch reads: extra headers, the call's signal, Retry-After. */
export interface CallScope {
  headers: Record<string, string>;
  signal: AbortSignal;
  retryAfterMs?: number;
  /** Set by the transport's fetch: the JSON-RPC id of the request sent in this scope (for the trace). */
  jsonRpcRequestId?: string | number;
  /** Set by the transport's fetch: the server's `mcp-session-id`, if it keeps sessions. */
  sessionId?: string;
  /** Set by the transport's fetch: the MCP protocol version the request was sent with. */
  protocolVersion?: string;
  /** Called once when an answer in this scope passes the byte limit (its body is cut off there). */
  onTooLarge?: () => void;
  /** Set by the transport's fetch when an answer passed the byte limit. */
  tooLarge?: boolean;
}

/** An answer larger than the client reads: the body was cut off at `limitBytes`. */
export class ResponseTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`The server's answer is larger than ${limitBytes} bytes.`);
    this.name = 'ResponseTooLargeError';
  }
}

export interface McpConnectionsOptions {
  clientInfo: { name: string; version: string };
  /** Headers on every request to every server (e.g. `x-mcp-key`). */
  headers: Record<string, string>;
  /**
   * The most bytes any one answer may carry. Past it the body is cut off, so a huge (or endless)
   * answer never sits in memory, and the request fails with ResponseTooLargeError.
   */
  maxResponseBytes: number;
  logger: Logger;
}

/**
 * One connected MCP client per server, shared by all calls to it. The servers are stateless, so
 * a client is just a negotiated protocol version; sharing it saves an `initialize` round trip per
 * call. What differs per call (traceparent header, abort signal) reaches the shared transport's
 * `fetch` through an AsyncLocalStorage scope, because the SDK has no per-request headers.
 */
export class McpConnections {
  private readonly clients = new Map<string, Promise<Client>>();
  private readonly scope = new AsyncLocalStorage<CallScope>();

  constructor(private readonly options: McpConnectionsOptions) {}

  /** Runs `body` with `scope` applied to every HTTP request it makes. */
  withScope<T>(scope: CallScope, body: () => Promise<T>): Promise<T> {
    return this.scope.run(scope, body);
  }

  /**
   * The connected client for `url`, connecting on first use. The connection is shared, so it is
   * made outside the caller's scope (one caller's cancellation must not fail the others); the
   * caller still stops waiting when its own signal fires.
   */
  async client(url: string, timeoutMs: number, signal: AbortSignal): Promise<Client> {
    let client = this.clients.get(url);
    if (!client) {
      const connecting = this.scope.exit(() => this.connect(url, timeoutMs));
      this.clients.set(url, connecting);
      // A failed connect must not be cached: the next call tries again.
      connecting.catch(() => {
        if (this.clients.get(url) === connecting) this.clients.delete(url);
      });
      client = connecting;
    }
    return untilAborted(client, signal);
  }

  async closeAll(): Promise<void> {
    const clients = [...this.clients.values()];
    this.clients.clear();
    await Promise.all(clients.map((client) => client.then((c) => c.close()).catch(() => undefined)));
  }

  private async connect(url: string, timeoutMs: number): Promise<Client> {
    const transport = new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: this.options.headers },
      fetch: (input, init) => this.scopedFetch(input, init),
    });
    const client = new Client(this.options.clientInfo);
    // Late responses to timed-out calls and similar noise land here; the calls themselves report failures.
    client.onerror = (error) => this.options.logger.debug('mcp client transport error', { url, error });
    try {
      await client.connect(transport, { timeout: timeoutMs });
    } catch (error) {
      // Closing aborts the transport's requests, so a timed-out initialize does not linger.
      await client.close().catch(() => undefined);
      throw error;
    }
    return client;
  }

  private async scopedFetch(input: string | URL, init: RequestInit | undefined): Promise<Response> {
    const scope = this.scope.getStore();
    if (!scope) return bounded(await fetch(input, init), this.options.maxResponseBytes);
    const headers = new Headers(init?.headers);
    for (const [name, value] of Object.entries(scope.headers)) headers.set(name, value);
    // Abort the HTTP request itself when the call times out, not just the JSON-RPC wait for it.
    const signal = init?.signal ? AbortSignal.any([init.signal, scope.signal]) : scope.signal;
    const requestId = jsonRpcRequestId(init?.body);
    if (requestId !== undefined) scope.jsonRpcRequestId = requestId;
    scope.protocolVersion = headers.get('mcp-protocol-version') ?? scope.protocolVersion;
    const response = await fetch(input, { ...init, headers, signal });
    scope.sessionId = response.headers.get('mcp-session-id') ?? scope.sessionId;
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    if (retryAfter !== undefined) scope.retryAfterMs = retryAfter;
    return bounded(response, this.options.maxResponseBytes, () => {
      if (scope.tooLarge) return;
      scope.tooLarge = true;
      scope.onTooLarge?.();
    });
  }
}

/**
 * `response` with a body that fails with ResponseTooLargeError once it passes `limit` bytes:
 * refused at once when Content-Length says so, otherwise counted as it streams (JSON or SSE).
 */
function bounded(response: Response, limit: number, onTooLarge: () => void = () => undefined): Response {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit) {
    void response.body?.cancel().catch(() => undefined);
    onTooLarge();
    throw new ResponseTooLargeError(limit);
  }
  if (!response.body) return response;
  let size = 0;
  const counted = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        size += chunk.byteLength;
        if (size > limit) {
          onTooLarge();
          // Erroring the stream cancels the body: nothing past the limit is read.
          controller.error(new ResponseTooLargeError(limit));
          return;
        }
        controller.enqueue(chunk);
      },
    }),
  );
  return new Response(counted, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` fires. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function parseRetryAfter(value: string | null): number | undefined {
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The id of the JSON-RPC request in a POST body (the SDK sends one message, as a string). */
function jsonRpcRequestId(body: unknown): string | number | undefined {
  if (typeof body !== 'string') return undefined;
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === 'string' || typeof id === 'number' ? id : undefined;
  } catch {
    return undefined;
  }
}
