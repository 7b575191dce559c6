/**
 * One SERVER span per tools/call, continuing the caller's trace (from the call's `_meta`, else
 * the HTTP trace headers), ended with what became of the call, and the tool-served metric beside it.
 */
import { context, SpanKind, SpanStatusCode, trace, type Context, type Span } from '@opentelemetry/api';
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
import { parseAnswers, type JsonRpcMessage } from './json-rpc';
import type { McpHttpOutcome } from './mcp-http-handler';

/** Runs `serve` inside the first call's span (a batch shares one answer) and ends every call's span. */
export async function traceToolCalls(
  toolCalls: JsonRpcMessage[],
  headers: Headers,
  serverName: string,
  serve: () => Promise<McpHttpOutcome>,
): Promise<McpHttpOutcome> {
  const spans = toolCalls.map((message) => startToolCallSpan(message, headers, serverName));
  const started = Date.now();
  try {
    const outcome = await context.with(trace.setSpan(spans[0].parent, spans[0].span), serve);
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
}

function startToolCallSpan(message: JsonRpcMessage, headers: Headers, serverName: string): ToolCallSpan {
  const tool = typeof message.params?.name === 'string' ? message.params.name : 'unknown';
  const parent = callerContext(message, headers);
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
        [ATTR_WAYPOINT_TOOL_SERVER]: serverName,
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

/** The caller's trace context for one call. */
function callerContext(message: JsonRpcMessage, headers: Headers): Context {
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
  return contextFromTraceHeaders(
    traceparent
      ? { traceparent, ...(tracestate ? { tracestate } : {}), ...(baggage ? { baggage } : {}) }
      : undefined,
  );
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
