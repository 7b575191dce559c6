import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import type { Logger } from '../../telemetry/logger';
import type { FaultInjector } from './faults';
import { committedWrite, runFaults } from './injected-faults';
import { asMessages, jsonRpcError, type JsonRpcMessage } from './json-rpc';
import { keyMatches, presentedKey } from './server-key';
import { traceToolCalls } from './tool-call-spans';

/**
 * The one HTTP entry point of every tool server, written against web-standard Request so both
 * hosts share it: the standalone node:http server and the Azure Functions mount adapt to it.
 *
 * Stateless Streamable HTTP: each POST gets a fresh McpServer and transport (no sessions, so any
 * instance can answer any request) and a JSON response rather than an SSE stream, which lets the
 * handler see the whole answer before sending it: that is how drop-after-commit can commit the
 * work and then lose the response.
 */
export interface McpHttpHandlerOptions {
  serverName: string;
  /** Builds the server for one request. */
  createServer: () => McpServer | Promise<McpServer>;
  /** Tools whose success means state was written (targets of drop-after-commit). */
  writeTools?: ReadonlySet<string>;
  /** When set, callers must present it (x-mcp-key or Authorization: Bearer). */
  key?: string | undefined;
  faults?: FaultInjector | undefined;
  /** DNS-rebinding protection: accepted Host headers; every host when undefined. */
  allowedHosts?: (() => ReadonlySet<string> | undefined) | undefined;
  logger: Logger;
}

export type McpHttpOutcome =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string }
  /** Send nothing: the host must cut the connection (or, where it cannot, answer like a broken proxy). */
  | { kind: 'drop'; reason: 'drop_after_commit' | 'client_gone' };

export type McpHttpHandler = (request: Request) => Promise<McpHttpOutcome>;

/** Larger JSON-RPC bodies than this are refused before parsing (tool arguments are small). */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Answers one request: the guards (Host, key, method, body size), then the MCP server, through
 * the injected faults and inside a span per tools/call.
 */
export function createMcpHttpHandler(options: McpHttpHandlerOptions): McpHttpHandler {
  return async (request) => {
    const refused = refusal(options, request);
    if (refused) return refused;
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
      return jsonRpcError(413, -32600, `Request body exceeds ${MAX_BODY_BYTES} bytes.`);
    }
    const post = parsePost(request, text);
    const toolCalls = post.messages.filter((m) => m.method === 'tools/call');
    if (toolCalls.length === 0) return serve(options, post, false);
    // Each tools/call continues its caller's trace with a SERVER span `tools/call {tool}`.
    return traceToolCalls(toolCalls, request.headers, options.serverName, () => serve(options, post, true));
  };
}

/** The answer to a request refused before its body is read: wrong Host, no key, not a POST. */
function refusal(options: McpHttpHandlerOptions, request: Request): McpHttpOutcome | undefined {
  const allowed = options.allowedHosts?.();
  if (allowed && !allowed.has(request.headers.get('host') ?? '')) {
    return jsonRpcError(403, -32000, `Host "${request.headers.get('host') ?? ''}" is not allowed.`);
  }
  if (options.key !== undefined && !keyMatches(options.key, presentedKey(request.headers))) {
    return jsonRpcError(
      401,
      -32001,
      'Unauthorized: present the server key as "x-mcp-key" or "Authorization: Bearer".',
      {
        'www-authenticate': 'Bearer',
      },
    );
  }
  if (request.method !== 'POST') {
    // Stateless: no standalone SSE stream (GET) and no session to end (DELETE). The spec allows 405.
    return jsonRpcError(405, -32000, 'Method not allowed: this stateless server accepts POST only.', {
      allow: 'POST',
    });
  }
  return undefined;
}

/** A POST whose body was read (and parsed, when it is JSON). */
interface Post {
  request: Request;
  text: string;
  parsed: unknown;
  parseFailed: boolean;
  messages: JsonRpcMessage[];
}

function parsePost(request: Request, text: string): Post {
  let parsed: unknown;
  let parseFailed = false;
  try {
    parsed = JSON.parse(text);
  } catch {
    parseFailed = true; // The transport answers with the proper JSON-RPC parse error.
  }
  return { request, text, parsed, parseFailed, messages: parseFailed ? [] : asMessages(parsed) };
}

/** Faults, then the MCP server itself, for one parsed POST. */
async function serve(
  options: McpHttpHandlerOptions,
  post: Post,
  isToolCall: boolean,
): Promise<McpHttpOutcome> {
  const { logger, writeTools = new Set<string>() } = options;
  const { request, text, parsed, parseFailed, messages } = post;
  const plan = isToolCall && options.faults ? options.faults.plan() : undefined;
  if (plan) {
    const faulted = await runFaults(plan, request.signal, logger, options.serverName);
    if (faulted) return faulted;
  }

  const server = await options.createServer();
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  try {
    await server.connect(transport);
    const forwarded = new Request(request.url, { method: 'POST', headers: request.headers, body: text });
    const response = await transport.handleRequest(
      forwarded,
      parseFailed ? undefined : { parsedBody: parsed },
    );
    const body = await response.text();
    if (plan?.dropAfterCommit && committedWrite(messages, body, writeTools)) {
      logger.info('fault: dropping the response after commit', { server: options.serverName });
      return { kind: 'drop', reason: 'drop_after_commit' };
    }
    return {
      kind: 'response',
      status: response.status,
      headers: Object.fromEntries(response.headers),
      body,
    };
  } finally {
    await transport.close();
    await server.close();
  }
}
