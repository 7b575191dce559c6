/**
 * Span helpers for the agent runtime, following the OpenTelemetry GenAI semantic conventions:
 * `invoke_agent {agent}` per specialist run, `chat {model}` per model turn, `execute_tool {tool}`
 * per tool call. They use only the OpenTelemetry API, so without `initTelemetry` they produce
 * no-op spans and cost next to nothing. Message and argument content is recorded only when
 * `captureMessageContent()` is on.
 */
import {
  context,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type SpanOptions,
  type TimeInput,
} from '@opentelemetry/api';
import { WaypointError } from '../domain/errors';
import { waypointMetrics } from './metrics';
import { contextFromTraceHeaders, type TraceHeaders } from './propagation';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_DESCRIPTION,
  ATTR_GEN_AI_AGENT_ID,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_AGENT_VERSION,
  ATTR_GEN_AI_CONVERSATION_ID,
  ATTR_GEN_AI_INPUT_MESSAGES,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_OUTPUT_MESSAGES,
  ATTR_GEN_AI_OUTPUT_TYPE,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MAX_TOKENS,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_REQUEST_TEMPERATURE,
  ATTR_GEN_AI_RESPONSE_FINISH_REASONS,
  ATTR_GEN_AI_RESPONSE_ID,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_SYSTEM_INSTRUCTIONS,
  ATTR_GEN_AI_TOOL_CALL_ARGUMENTS,
  ATTR_GEN_AI_TOOL_CALL_ID,
  ATTR_GEN_AI_TOOL_CALL_RESULT,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_TOOL_TYPE,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_JSONRPC_REQUEST_ID,
  ATTR_MCP_METHOD_NAME,
  ATTR_MCP_SESSION_ID,
  ATTR_NETWORK_TRANSPORT,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_WAYPOINT_COST_USD,
  GEN_AI_OPERATION,
} from './semconv';
import { captureMessageContent } from './setup';
import { startSpanWithId } from './span-ids';

/** Where a span hangs: a context, a traceparent (or traceparent/tracestate pair), or the active context. */
export type SpanParent = Context | TraceHeaders | string | undefined;

export interface SpanTiming {
  /** For spans recorded after the fact (an orchestrator emitting a span once, when not replaying). */
  startTime?: TimeInput;
  /** Extra attributes (e.g. `waypoint.*`). */
  attributes?: Attributes;
  /** A derived id (span-ids.ts), for a span its children name before it is recorded, or one recorded again. */
  spanId?: string;
  /** Spans this one is tied to but not a child of (e.g. the Durable activity that ran a turn). */
  links?: Link[];
}

/** Starts a span with the timing options: its own id when one is given. */
function startSpan(name: string, options: SpanOptions, parent: SpanParent, timing: SpanTiming): Span {
  const spanOptions: SpanOptions = {
    ...options,
    ...(timing.startTime === undefined ? {} : { startTime: timing.startTime }),
    ...(timing.links?.length ? { links: timing.links } : {}),
  };
  const parentContext = resolveParent(parent);
  return timing.spanId === undefined
    ? tracer().startSpan(name, spanOptions, parentContext)
    : startSpanWithId(tracer(), name, spanOptions, parentContext, { spanId: timing.spanId });
}

const TRACER_NAME = 'waypoint.agents';

/** The tracer, looked up per use: a tracer cached before `initTelemetry` could stay a no-op. */
function tracer() {
  return trace.getTracer(TRACER_NAME);
}

function isContext(parent: SpanParent): parent is Context {
  return typeof parent === 'object' && typeof (parent as Context).getValue === 'function';
}

/** The context a span should start in. */
export function resolveParent(parent: SpanParent): Context {
  if (parent === undefined) return context.active();
  if (typeof parent === 'string') return contextFromTraceHeaders({ traceparent: parent });
  if (isContext(parent)) return parent;
  return contextFromTraceHeaders(parent);
}

/**
 * Content attributes as JSON strings (the conventions' structured values, flattened for
 * exporters). A function is called first: content is only built when it is recorded.
 */
function contentAttribute(given: unknown): string {
  const value: unknown = typeof given === 'function' ? (given as () => unknown)() : given;
  return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}

function defined(attributes: Record<string, Attributes[string] | undefined>): Attributes {
  return Object.fromEntries(
    Object.entries(attributes).filter(([, value]) => value !== undefined),
  ) as Attributes;
}

/** A stable, low-cardinality `error.type`: a WaypointError's code, else the error's class name. */
export function errorTypeOf(error: unknown): string {
  if (error instanceof WaypointError) return error.code;
  if (error instanceof Error && error.name && error.name !== 'Error') return error.name;
  return '_OTHER';
}

/** Marks `span` failed: ERROR status with the message, `error.type`, and an exception event. */
export function recordSpanError(span: Span, error: unknown, errorType: string = errorTypeOf(error)): void {
  const message = error instanceof Error ? error.message : String(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.setAttribute(ATTR_ERROR_TYPE, errorType);
  if (error instanceof Error) span.recordException(error);
}

// ---- invoke_agent ----------------------------------------------------------------------------

export interface AgentDescriptor {
  /** `gen_ai.agent.name`, e.g. `flights`. */
  name: string;
  id?: string;
  /** `gen_ai.agent.description`: the definition's one line. */
  description?: string;
  /** `gen_ai.agent.version`: what identifies the agent's definition (a hash of it). */
  version?: string;
  /** `gen_ai.output.type` the agent's final answer is asked in (`json` for a structured answer). */
  outputType?: 'text' | 'json';
  /** `gen_ai.provider.name` of the model the agent uses (`openai`, `azure.ai.openai`, …). */
  provider: string;
  /** `gen_ai.request.model`. */
  model?: string;
  /** `gen_ai.conversation.id`: Waypoint uses the run id. */
  conversationId?: string;
}

/** Starts `invoke_agent {agent}` (INTERNAL: the agent runs in this app). End it with `endInvokeAgentSpan`. */
export function startInvokeAgentSpan(
  agent: AgentDescriptor,
  parent?: SpanParent,
  options: SpanTiming = {},
): Span {
  return startSpan(
    `${GEN_AI_OPERATION.invokeAgent} ${agent.name}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: defined({
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.invokeAgent,
        [ATTR_GEN_AI_PROVIDER_NAME]: agent.provider,
        [ATTR_GEN_AI_AGENT_NAME]: agent.name,
        [ATTR_GEN_AI_AGENT_ID]: agent.id,
        [ATTR_GEN_AI_AGENT_DESCRIPTION]: agent.description,
        [ATTR_GEN_AI_AGENT_VERSION]: agent.version,
        [ATTR_GEN_AI_OUTPUT_TYPE]: agent.outputType,
        [ATTR_GEN_AI_REQUEST_MODEL]: agent.model,
        [ATTR_GEN_AI_CONVERSATION_ID]: agent.conversationId,
        ...options.attributes,
      }),
    },
    parent,
    options,
  );
}

export interface AgentOutcome {
  /** Tokens over all of the agent's model turns. */
  usage?: TokenUsage;
  /** What the agent's model turns cost, in US dollars (`waypoint.cost.usd`). */
  costUsd?: number;
  error?: unknown;
  errorType?: string;
  endTime?: TimeInput;
}

export function endInvokeAgentSpan(span: Span, outcome: AgentOutcome = {}): void {
  setUsage(span, outcome.usage);
  if (outcome.costUsd !== undefined) span.setAttribute(ATTR_WAYPOINT_COST_USD, outcome.costUsd);
  if (outcome.error !== undefined || outcome.errorType !== undefined) {
    recordSpanError(
      span,
      outcome.error ?? outcome.errorType,
      outcome.errorType ?? errorTypeOf(outcome.error),
    );
  }
  span.end(outcome.endTime);
}

// ---- chat ------------------------------------------------------------------------------------

export interface TokenUsage {
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
}

export interface ChatRequest {
  provider: string;
  /** `gen_ai.request.model`; the span is named `chat {model}`. */
  model: string;
  agentName?: string;
  conversationId?: string;
  maxTokens?: number;
  temperature?: number;
  /** `gen_ai.output.type` asked for (`json` for structured output). */
  outputType?: 'text' | 'json';
  /** Recorded only with content capture on (GenAI schema: genai-messages.ts); a function is called only then. */
  systemInstructions?: unknown;
  /** Every message sent, recorded only with content capture on (GenAI schema); a function is called only then. */
  inputMessages?: unknown;
}

export interface ChatResponse {
  responseModel?: string;
  responseId?: string;
  finishReasons?: readonly string[];
  usage?: TokenUsage;
  /** What the call cost, in US dollars (`waypoint.cost.usd`, from the price table). */
  costUsd?: number;
  /** Recorded only with content capture on (GenAI schema); a function is called only then. */
  outputMessages?: unknown;
  endTime?: TimeInput;
}

export interface ChatFailure {
  error: unknown;
  errorType?: string;
  endTime?: TimeInput;
}

/** What endChatSpan needs for the metrics; spans are not readable through the API. */
const chatStarts = new WeakMap<Span, { request: ChatRequest; startedAt: number }>();

/** Starts `chat {model}` (CLIENT: a call to the model provider). End it with `endChatSpan`. */
export function startChatSpan(request: ChatRequest, parent?: SpanParent, options: SpanTiming = {}): Span {
  const capture = captureMessageContent();
  const span = startSpan(
    `${GEN_AI_OPERATION.chat} ${request.model}`,
    {
      kind: SpanKind.CLIENT,
      attributes: defined({
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.chat,
        [ATTR_GEN_AI_PROVIDER_NAME]: request.provider,
        [ATTR_GEN_AI_REQUEST_MODEL]: request.model,
        [ATTR_GEN_AI_AGENT_NAME]: request.agentName,
        [ATTR_GEN_AI_CONVERSATION_ID]: request.conversationId,
        [ATTR_GEN_AI_REQUEST_MAX_TOKENS]: request.maxTokens,
        [ATTR_GEN_AI_REQUEST_TEMPERATURE]: request.temperature,
        [ATTR_GEN_AI_OUTPUT_TYPE]: request.outputType,
        ...(capture && request.systemInstructions !== undefined
          ? { [ATTR_GEN_AI_SYSTEM_INSTRUCTIONS]: contentAttribute(request.systemInstructions) }
          : {}),
        ...(capture && request.inputMessages !== undefined
          ? { [ATTR_GEN_AI_INPUT_MESSAGES]: contentAttribute(request.inputMessages) }
          : {}),
        ...options.attributes,
      }),
    },
    parent,
    options,
  );
  chatStarts.set(span, { request, startedAt: Date.now() });
  return span;
}

/**
 * Ends a chat span with the model's answer (response model and id, finish reasons, token usage
 * exactly as the provider reported it) or its failure, and records `gen_ai.client.token.usage`
 * and `gen_ai.client.operation.duration`.
 */
export function endChatSpan(span: Span, outcome: ChatResponse | ChatFailure): void {
  const started = chatStarts.get(span);
  chatStarts.delete(span);
  let errorType: string | undefined;
  if ('error' in outcome) {
    errorType = outcome.errorType ?? errorTypeOf(outcome.error);
    recordSpanError(span, outcome.error, errorType);
  } else {
    span.setAttributes(
      defined({
        [ATTR_GEN_AI_RESPONSE_MODEL]: outcome.responseModel,
        [ATTR_GEN_AI_RESPONSE_ID]: outcome.responseId,
        [ATTR_GEN_AI_RESPONSE_FINISH_REASONS]: outcome.finishReasons ? [...outcome.finishReasons] : undefined,
      }),
    );
    setUsage(span, outcome.usage);
    if (outcome.costUsd !== undefined) span.setAttribute(ATTR_WAYPOINT_COST_USD, outcome.costUsd);
    if (captureMessageContent() && outcome.outputMessages !== undefined) {
      span.setAttribute(ATTR_GEN_AI_OUTPUT_MESSAGES, contentAttribute(outcome.outputMessages));
    }
  }
  span.end(outcome.endTime);
  if (started) {
    const usage = 'error' in outcome ? undefined : outcome.usage;
    waypointMetrics().modelCall({
      provider: started.request.provider,
      operation: GEN_AI_OPERATION.chat,
      requestModel: started.request.model,
      responseModel: 'error' in outcome ? undefined : outcome.responseModel,
      inputTokens: usage?.inputTokens,
      outputTokens: usage?.outputTokens,
      durationMs: Date.now() - started.startedAt,
      errorType,
    });
  }
}

function setUsage(span: Span, usage: TokenUsage | undefined): void {
  if (!usage) return;
  span.setAttributes(
    defined({
      [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: usage.inputTokens,
      [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: usage.outputTokens,
    }),
  );
}

// ---- execute_tool ----------------------------------------------------------------------------

export interface ToolCallDescriptor {
  /** `gen_ai.tool.name`: the tool's own name (`search_flights`), not the server-qualified one. */
  tool: string;
  /** `gen_ai.agent.name` of the agent that called it. */
  agentName?: string;
  /** `gen_ai.tool.call.id`: the model's tool-call id, or Waypoint's call key. */
  callId?: string;
  /** `gen_ai.tool.type`; MCP tools are `function`. */
  type?: 'function' | 'extension' | 'datastore';
  /** Recorded only with content capture on. */
  arguments?: unknown;
  /**
   * Set when the call goes over MCP: the MCP attributes go on this span rather than on a second
   * client span, as the MCP conventions say, and the span is a CLIENT span.
   */
  mcp?: {
    method: string;
    requestId?: string | number;
    sessionId?: string;
    serverAddress?: string;
    serverPort?: number;
    /** `network.transport`: `tcp` for Streamable HTTP (the default), `pipe` for stdio. */
    transport?: 'tcp' | 'pipe';
  };
}

/** Starts `execute_tool {tool}`. End it with `endExecuteToolSpan`. */
export function startExecuteToolSpan(
  call: ToolCallDescriptor,
  parent?: SpanParent,
  options: SpanTiming = {},
): Span {
  const capture = captureMessageContent();
  return startSpan(
    `${GEN_AI_OPERATION.executeTool} ${call.tool}`,
    {
      kind: call.mcp ? SpanKind.CLIENT : SpanKind.INTERNAL,
      attributes: defined({
        [ATTR_GEN_AI_OPERATION_NAME]: GEN_AI_OPERATION.executeTool,
        [ATTR_GEN_AI_TOOL_NAME]: call.tool,
        [ATTR_GEN_AI_AGENT_NAME]: call.agentName,
        [ATTR_GEN_AI_TOOL_CALL_ID]: call.callId,
        [ATTR_GEN_AI_TOOL_TYPE]: call.type ?? 'function',
        [ATTR_MCP_METHOD_NAME]: call.mcp?.method,
        [ATTR_JSONRPC_REQUEST_ID]: call.mcp?.requestId === undefined ? undefined : String(call.mcp.requestId),
        [ATTR_MCP_SESSION_ID]: call.mcp?.sessionId,
        [ATTR_SERVER_ADDRESS]: call.mcp?.serverAddress,
        [ATTR_SERVER_PORT]: call.mcp?.serverPort,
        [ATTR_NETWORK_TRANSPORT]: call.mcp ? (call.mcp.transport ?? 'tcp') : undefined,
        ...(capture && call.arguments !== undefined
          ? { [ATTR_GEN_AI_TOOL_CALL_ARGUMENTS]: contentAttribute(call.arguments) }
          : {}),
        ...options.attributes,
      }),
    },
    parent,
    options,
  );
}

export function endExecuteToolSpan(
  span: Span,
  outcome:
    | { result?: unknown; endTime?: TimeInput }
    | { error: unknown; errorType?: string; endTime?: TimeInput },
): void {
  if ('error' in outcome) {
    recordSpanError(span, outcome.error, outcome.errorType ?? errorTypeOf(outcome.error));
  } else if (captureMessageContent() && outcome.result !== undefined) {
    span.setAttribute(ATTR_GEN_AI_TOOL_CALL_RESULT, contentAttribute(outcome.result));
  }
  span.end(outcome.endTime);
}
