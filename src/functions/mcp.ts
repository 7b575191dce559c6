/**
 * Mounts the five MCP tool servers in the Function app at `/api/mcp/{server}` (Streamable HTTP,
 * stateless, JSON responses). The HTTP trigger is anonymous: each server checks its own key
 * (`MCP_<SERVER>_KEY`, else `MCP_SERVER_KEY`). Fault injection comes from `MCP_FAULTS_<SERVER>` (see mcp-servers/settings.ts).
 *
 * Wiring (src/index.ts):
 *   registerMcpFunctions({ bookingsStore: () => createBookingsStore(config) });
 * The store factory is called on the first bookings request, then reused; a failed attempt is
 * retried on the next request.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import { TransientError, WaypointError } from '../domain/errors';
import { configureMarketFaults, FaultInjector } from '../mcp-servers/http/faults';
import { createMcpHttpHandler, type McpHttpHandler } from '../mcp-servers/http/mcp-http-handler';
import {
  createMcpServer,
  isMcpServerName,
  MCP_SERVER_NAMES,
  writeToolsOf,
  type McpServerName,
} from '../mcp-servers/registry';
import type { Clock } from '../mcp-servers/shared/clock';
import { loadMcpSettings, type McpSettings } from '../mcp-servers/settings';
import type { BookingsStore } from '../stores/types';
import { createLogger } from '../telemetry/logger';

export interface McpFunctionsOptions {
  /** Opens the bookings store; called lazily, at most once at a time, and cached once it succeeds. */
  bookingsStore: () => Promise<BookingsStore>;
  /** Defaults to `loadMcpSettings(process.env)`. */
  settings?: McpSettings;
  clock?: Clock;
}

export type McpFunctionHandler = (
  request: HttpRequest,
  context: InvocationContext,
) => Promise<HttpResponseInit>;

const logger = createLogger('mcp:functions');

function jsonRpcError(status: number, code: number, message: string): HttpResponseInit {
  return { status, jsonBody: { jsonrpc: '2.0', error: { code, message }, id: null } };
}

/** Caches a successful load; forgets a failed one so the next call tries again. */
function cachedLoader<T>(load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | undefined;
  return () => {
    pending ??= load().catch((error: unknown) => {
      pending = undefined;
      throw new TransientError('The bookings store is unavailable.', { cause: error });
    });
    return pending;
  };
}

/** The Functions handler for every server, exported so tests can drive the bridge without a host. */
export function createMcpFunctionHandler(options: McpFunctionsOptions): McpFunctionHandler {
  const settings = options.settings ?? loadMcpSettings();
  const bookingsStore = cachedLoader(options.bookingsStore);
  const clock = options.clock;

  const handlers = new Map<McpServerName, McpHttpHandler>();
  for (const name of MCP_SERVER_NAMES) {
    const faultSettings = settings.faults[name];
    const faults = faultSettings ? new FaultInjector(faultSettings) : undefined;
    configureMarketFaults(name, faultSettings, faults?.seed ?? 0);
    handlers.set(
      name,
      createMcpHttpHandler({
        serverName: name,
        createServer: async () =>
          createMcpServer(name, {
            clock,
            bookingsStore: name === 'bookings' ? await bookingsStore() : undefined,
          }),
        writeTools: writeToolsOf(name),
        key: settings.keys[name],
        faults,
        logger: logger.child(name),
      }),
    );
  }

  return async (request, context) => {
    const name = request.params.server ?? '';
    const handle = isMcpServerName(name) ? handlers.get(name) : undefined;
    if (!handle)
      return jsonRpcError(404, -32000, `No MCP server "${name}"; servers: ${MCP_SERVER_NAMES.join(', ')}.`);
    try {
      const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
      const outcome = await handle(
        new Request(request.url, {
          method: request.method,
          headers: request.headers,
          body: hasBody ? await request.arrayBuffer() : undefined,
        }),
      );
      if (outcome.kind === 'drop') {
        // A Function cannot reset its connection; answer as a gateway that lost the backend would.
        return jsonRpcError(502, -32000, 'Bad gateway: the connection to the tool server was lost.');
      }
      return { status: outcome.status, headers: outcome.headers, body: outcome.body };
    } catch (error) {
      const retryable = error instanceof WaypointError && error.retryable;
      logger.error('MCP request failed', {
        server: name,
        invocationId: context.invocationId,
        error,
        cause: error instanceof Error ? error.cause : undefined,
      });
      return retryable
        ? jsonRpcError(503, -32000, 'Service temporarily unavailable; retry later.')
        : jsonRpcError(500, -32603, 'Internal error');
    }
  };
}

/** Registers the `mcp` HTTP function (route `api/mcp/{server}`, GET/POST/DELETE, anonymous). */
export function registerMcpFunctions(options: McpFunctionsOptions): void {
  const settings = options.settings ?? loadMcpSettings();
  const open = MCP_SERVER_NAMES.filter((name) => settings.keys[name] === undefined);
  if (open.length > 0) logger.warn(`No MCP key is set for ${open.join(', ')}: they accept any caller`);
  app.http('mcp', {
    route: 'api/mcp/{server}',
    methods: ['GET', 'POST', 'DELETE'],
    authLevel: 'anonymous',
    handler: createMcpFunctionHandler({ ...options, settings }),
  });
}
