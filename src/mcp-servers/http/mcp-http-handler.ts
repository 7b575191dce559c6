import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
import type { Logger } from '../../telemetry/logger';
import { waypointMetrics } from '../../telemetry/metrics';
import { contextFromTraceHeaders } from '../../telemetry/propagation';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_JSONRPC_REQUEST_ID,
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_PROTOCOL_VERSION,
  ATTR_NETWORK_TRANSPORT,
  ATTR_RPC_JSONRPC_ERROR_CODE,
  ATTR_WAYPOINT_TOOL_ERROR_CODE,
  ATTR_WAYPOINT_TOOL_SERVER,
  GEN_AI_OPERATION,
} from '../../telemetry/semconv';
import type { FaultInjector, FaultPlan } from './faults';
import { keyMatches, presentedKey } from './server-key';

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

interface JsonRpcMessage {
  jsonrpc?: unknown;
  id?: unknown;
  method?: unknown;
  params?: { name?: unknown; _meta?: { traceparent?: unknown; tracestate?: unknown; baggage?: unknown } };
  result?: { isError?: unknown; structuredContent?: { error?: { code?: unknown } } };
  error?: { code?: unknown; message?: unknown };
}

/** HTTP-level failures in the JSON-RPC error shape the MCP SDK uses for its own. */
function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): McpHttpOutcome {
  return {
    kind: 'response',
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }),
  };
}

function asMessages(body: unknown): JsonRpcMessage[] {
  const items: unknown[] = Array.isArray(body) ? body : [body];
  return items.filter((item): item is JsonRpcMessage => item !== null && typeof item === 'object');
}

/** Sleeps, or resolves early with `false` when the caller goes away. */
function wait(ms: number, signal: AbortSignal): Promise<boolean> {
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function createMcpHttpHandler(options: McpHttpHandlerOptions): McpHttpHandler {
  const { logger, writeTools = new Set<string>() } = options;

  /** True when a write tool in this request came back without a tool error, i.e. it committed. */
  function committedWrite(requests: JsonRpcMessage[], responseBody: string): boolean {
    const writeIds = new Set(
      requests
        .filter(
          (m) =>
            m.method === 'tools/call' && typeof m.params?.name === 'string' && writeTools.has(m.params.name),
        )
        .map((m) => m.id),
    );
    if (writeIds.size === 0 || responseBody === '') return false;
    try {
      return asMessages(JSON.parse(responseBody)).some(
        (m) => writeIds.has(m.id) && m.result !== undefined && m.result.isError !== true,
      );
    } catch {
      return false;
    }
  }

  async function runFaults(plan: FaultPlan, signal: AbortSignal): Promise<McpHttpOutcome | undefined> {
    if (!(await wait(plan.delayMs, signal))) return { kind: 'drop', reason: 'client_gone' };
    if (plan.transientError) {
      logger.info('fault: transient error', { server: options.serverName });
      return jsonRpcError(503, -32000, 'Service temporarily unavailable (injected fault); retry later.', {
        'retry-after': '1',
      });
    }
    if (plan.hangMs !== undefined) {
      logger.info('fault: hanging past the client timeout', {
        server: options.serverName,
        hangMs: plan.hangMs,
      });
      if (!(await wait(plan.hangMs, signal))) return { kind: 'drop', reason: 'client_gone' };
      return jsonRpcError(504, -32001, 'Request timed out (injected fault); nothing was done.');
    }
    return undefined;
  }

  return async (request) => {
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
    const text = await request.text();
    if (Buffer.byteLength(text) > MAX_BODY_BYTES) {
      return jsonRpcError(413, -32600, `Request body exceeds ${MAX_BODY_BYTES} bytes.`);
    }
    let parsed: unknown;
    let parseFailed = false;
    try {
      parsed = JSON.parse(text);
    } catch {
      parseFailed = true; // The transport answers with the proper JSON-RPC parse error.
    }
    const messages = parseFailed ? [] : asMessages(parsed);
    const toolCalls = messages.filter((m) => m.method === 'tools/call');
    if (toolCalls.length === 0) return serve(request, text, parsed, parseFailed, messages, false);

    // Each tools/call continues its caller's trace with a SERVER span `tools/call {tool}`.
    const spans = toolCalls.map((message) => startToolCallSpan(message, request.headers));
    const started = Date.now();
    try {
      const outcome = await context.with(trace.setSpan(spans[0].parent, spans[0].span), () =>
        serve(request, text, parsed, parseFailed, messages, true),
      );
      endToolCallSpans(spans, outcome, Date.now() - started);
      return outcome;
    } catch (error) {
      for (const { span, tool } of spans) {
        span.setStatus({
          code: SpanStatusCode.ERROR,
          message: error instanceof Error ? error.message : String(error),
        });
        span.setAttribute(ATTR_ERROR_TYPE, '_OTHER');
        if (error instanceof Error) span.recordException(error);
        span.end();
        waypointMetrics().toolServed({ tool, durationMs: Date.now() - started, errorType: '_OTHER' });
      }
      throw error;
    }
  };

  /** Faults, then the MCP server itself, for one parsed POST. */
  async function serve(
    request: Request,
    text: string,
    parsed: unknown,
    parseFailed: boolean,
    messages: JsonRpcMessage[],
    isToolCall: boolean,
  ): Promise<McpHttpOutcome> {
    const plan = isToolCall && options.faults ? options.faults.plan() : undefined;
    if (plan) {
      const faulted = await runFaults(plan, request.signal);
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
      if (plan?.dropAfterCommit && committedWrite(messages, body)) {
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

  function startToolCallSpan(message: JsonRpcMessage, headers: Headers): ToolCallSpan {
    const tool = typeof message.params?.name === 'string' ? message.params.name : 'unknown';
    const meta = message.params?._meta;
    // `_meta` is the MCP way and survives any proxy; the HTTP header is the fallback.
    const fromMeta = typeof meta?.traceparent === 'string';
    const traceparent = fromMeta ? (meta.traceparent as string) : headers.get('traceparent');
    const tracestate = fromMeta
      ? typeof meta.tracestate === 'string'
        ? meta.tracestate
        : undefined
      : (headers.get('tracestate') ?? undefined);
    // W3C baggage names the caller's run (waypoint.run.id): this call's span and lines name it too.
    const baggage = fromMeta
      ? typeof meta.baggage === 'string'
        ? meta.baggage
        : undefined
      : (headers.get('baggage') ?? undefined);
    const parent = contextFromTraceHeaders(
      traceparent
        ? { traceparent, ...(tracestate ? { tracestate } : {}), ...(baggage ? { baggage } : {}) }
        : undefined,
    );
    const protocolVersion = headers.get('mcp-protocol-version');
    const span = trace.getTracer('waypoint.mcp-servers').startSpan(
      `tools/call ${tool}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          [ATTR_MCP_METHOD_NAME]: 'tools/call',
          [ATTR_GEN_AI_TOOL_NAME]: tool,
          [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.executeTool,
          [ATTR_NETWORK_TRANSPORT]: 'tcp',
          [ATTR_WAYPOINT_TOOL_SERVER]: options.serverName,
          ...(typeof message.id === 'string' || typeof message.id === 'number'
            ? { [ATTR_JSONRPC_REQUEST_ID]: String(message.id) }
            : {}),
          ...(protocolVersion ? { [ATTR_MCP_PROTOCOL_VERSION]: protocolVersion } : {}),
        },
      },
      parent,
    );
    return { span, tool, id: message.id, parent };
  }
}

interface ToolCallSpan {
  span: Span;
  tool: string;
  id: unknown;
  /** The caller's context (its trace and run): the tool runs in it, under the span. */
  parent: Context;
}

/** Ends each tools/call span with what became of its call: a result, a tool error, a JSON-RPC error or a lost response. */
function endToolCallSpans(spans: ToolCallSpan[], outcome: McpHttpOutcome, durationMs: number): void {
  const answers = outcome.kind === 'response' ? parseAnswers(outcome.body) : [];
  for (const { span, tool, id } of spans) {
    const failure = callFailure(
      outcome,
      answers.find((answer) => answer.id === id),
    );
    if (failure) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: failure.message });
      span.setAttribute(ATTR_ERROR_TYPE, failure.errorType);
      if (failure.jsonRpcCode !== undefined)
        span.setAttribute(ATTR_RPC_JSONRPC_ERROR_CODE, failure.jsonRpcCode);
      if (failure.toolCode !== undefined) span.setAttribute(ATTR_WAYPOINT_TOOL_ERROR_CODE, failure.toolCode);
    }
    span.end();
    waypointMetrics().toolServed({ tool, durationMs, errorType: failure?.errorType });
  }
}

function parseAnswers(body: string): JsonRpcMessage[] {
  if (body === '') return [];
  try {
    return asMessages(JSON.parse(body));
  } catch {
    return [];
  }
}

function callFailure(
  outcome: McpHttpOutcome,
  answer: JsonRpcMessage | undefined,
): { errorType: string; message: string; jsonRpcCode?: number; toolCode?: string } | undefined {
  if (outcome.kind === 'drop')
    return { errorType: outcome.reason, message: `response not sent (${outcome.reason})` };
  const error = answer?.error ?? (answer === undefined ? parseAnswers(outcome.body)[0]?.error : undefined);
  const code = typeof error?.code === 'number' ? error.code : undefined;
  const jsonRpc = code === undefined ? {} : { jsonRpcCode: code };
  const message = typeof error?.message === 'string' ? error.message : undefined;
  // An HTTP failure (an injected 503, a 504 after hanging) says more than the JSON-RPC code inside it.
  if (outcome.status >= 400) {
    return { errorType: String(outcome.status), message: message ?? `HTTP ${outcome.status}`, ...jsonRpc };
  }
  if (error) {
    return {
      errorType: code === undefined ? 'jsonrpc_error' : String(code),
      message: message ?? 'JSON-RPC error',
      ...jsonRpc,
    };
  }
  if (answer?.result?.isError === true) {
    // The MCP conventions: a tool result with isError is `tool_error`; the tool's own code goes beside it.
    const code = answer.result.structuredContent?.error?.code;
    return {
      errorType: 'tool_error',
      message: 'the tool reported an error',
      ...(typeof code === 'string' ? { toolCode: code } : {}),
    };
  }
  return undefined;
}
