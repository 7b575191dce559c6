import { context as otelContext, trace, type Context, type Link, type Span } from '@opentelemetry/api';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { IdempotencyConflictError, isRetryable, TransientError, WaypointError } from '../domain/errors';
import { systemClock, type Clock } from '../stores/clock';
import type { IdempotencyStore } from '../stores/types';
import { AttemptTracker } from '../telemetry/attempts';
import { endExecuteToolSpan, errorTypeOf, startExecuteToolSpan } from '../telemetry/genai';
import { createLogger, type Logger } from '../telemetry/logger';
import { waypointMetrics } from '../telemetry/metrics';
import {
  ATTR_ERROR_TYPE,
  ATTR_JSONRPC_REQUEST_ID,
  ATTR_MCP_PROTOCOL_VERSION,
  ATTR_MCP_SESSION_ID,
  ATTR_WAYPOINT_AGENT,
  ATTR_WAYPOINT_IDEMPOTENCY_KEY,
  ATTR_WAYPOINT_IDEMPOTENT_REPLAY,
  ATTR_WAYPOINT_RETRY_ATTEMPT,
  ATTR_WAYPOINT_TOOL_ERROR_CODE,
  ATTR_WAYPOINT_TOOL_SERVER,
  EVENT_RETRY,
} from '../telemetry/semconv';
import { CallLedger, type CallAttempt } from './call-ledger';
import { classifyThrown, classifyToolError, type FailureDecision } from './classify-failure';
import { McpConnections, type CallScope } from './mcp-connections';
import { ToolPolicy, type ToolAllowList } from './policy';
import { checkCallWindows, DEFAULT_MAX_RESULT_BYTES } from './settings';
import { toolRequestHash } from './request-hash';
import { parentContext, traceHeadersFor, type TraceHeaders } from './trace-context';
import { parseToolName } from './tool-names';
import { WRITE_TOOLS, type WriteToolSpec } from '../mcp-servers/write-tools';
import { toolFailure, type ToolCallResult, type ToolFailure, type ToolOutput } from './tool-result';

export type { WriteToolSpec };

/**
 * The tools with side effects (the one list, in src/mcp-servers/write-tools.ts). Their calls need
 * an idempotency key and are recorded in the idempotency store; every other tool is a read and is
 * simply called.
 */
export const DEFAULT_WRITE_TOOLS: Readonly<Record<string, WriteToolSpec>> = WRITE_TOOLS;

export interface ToolClientOptions {
  /** MCP endpoint URL per server name, e.g. `{ flights: 'http://127.0.0.1:7071/api/mcp/flights' }`. */
  servers: Readonly<Record<string, string>>;
  allowList: ToolAllowList;
  idempotency: IdempotencyStore;
  /** Default per-call timeout; at most `pendingStaleAfterMs` minus its margin (see `checkCallWindows`). */
  callTimeoutMs: number;
  /** See CallLedger: when a pending claim counts as abandoned and may be taken over. */
  pendingStaleAfterMs: number;
  /** The key sent as `x-mcp-key` to each server (by name), and to no other: see ToolSettings.serverKeys. */
  serverKeys?: Readonly<Record<string, string | undefined>>;
  /** The largest answer a call may return, in bytes on the wire (default 256 KiB); past it: `result_too_large`. */
  maxResultBytes?: number;
  writeTools?: Readonly<Record<string, WriteToolSpec>>;
  clock?: Clock;
  logger?: Logger;
}

/** A call that passed the checks: where it goes and with which arguments. */
interface CheckedCall {
  name: NonNullable<ReturnType<typeof parseToolName>>;
  target: ServerTarget;
  writeSpec: WriteToolSpec | undefined;
  args: Record<string, unknown>;
}

export interface ToolCallRequest {
  /** The calling agent; its allow-list decides which tools it may use. */
  agent: string;
  /** `<server>.<tool>`, e.g. `flights.search_flights`. */
  tool: string;
  arguments?: Record<string, unknown>;
  /** Call-level key (see `toolCallKey`); required for side-effecting tools, sent in `_meta` for all. */
  idempotencyKey?: string;
  /** W3C traceparent of the caller's span; defaults to the active OpenTelemetry context. */
  traceparent?: string;
  /** W3C tracestate that goes with `traceparent`. */
  tracestate?: string;
  /** The `execute_tool` span's own id (derived, so a rerun records the same span) and links. */
  span?: { id?: string; links?: Link[] };
  /**
   * The model's id for this tool call (`gen_ai.tool.call.id`); defaults to the idempotency key.
   * Retries of one call must pass the same id: that is how a retry is recognised on the trace.
   */
  toolCallId?: string;
  /** Overrides the default per-call timeout (a side-effecting call still ends by its claim's deadline). */
  timeoutMs?: number;
  /** Cancels the call (thrown as retryable: it may not have reached the server). */
  signal?: AbortSignal;
}

/**
 * Calls tools on Waypoint's MCP servers for the `callTool` activity. Retryable failures (timeouts,
 * connection errors, HTTP 5xx/429, in-progress keys) are **thrown** as WaypointErrors with
 * `retryable: true`, so Durable's retry policy runs; permanent ones (policy, schema, tool errors,
 * 4xx, key conflicts, idempotency store errors retrying cannot fix) are **returned** as
 * `{ ok: false, error }`.
 */
export class ToolClient {
  private readonly policy: ToolPolicy;
  private readonly ledger: CallLedger;
  /** One set of connections per server name, each sending that server's key only. */
  private readonly connections = new Map<string, McpConnections>();
  private readonly writeTools: Readonly<Record<string, WriteToolSpec>>;
  private readonly clock: Clock;
  private readonly logger: Logger;
  /** Calls that failed retryably here, so a retry shows as such on its span. */
  private readonly attempts = new AttemptTracker();
  private readonly maxResultBytes: number;

  constructor(private readonly options: ToolClientOptions) {
    checkCallWindows({
      callTimeoutMs: options.callTimeoutMs,
      pendingStaleAfterMs: options.pendingStaleAfterMs,
      idempotencyTtlSeconds: options.idempotency.defaultTtlSeconds,
    });
    this.policy = new ToolPolicy(options.allowList);
    this.maxResultBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
    this.writeTools = options.writeTools ?? DEFAULT_WRITE_TOOLS;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger('tools');
    this.ledger = new CallLedger({
      store: options.idempotency,
      pendingStaleAfterMs: options.pendingStaleAfterMs,
      clock: this.clock,
      logger: this.logger,
    });
    for (const server of Object.keys(options.servers)) {
      const key = options.serverKeys?.[server];
      this.connections.set(
        server,
        new McpConnections({
          clientInfo: { name: 'waypoint-tool-client', version: '0.1.0' },
          headers: key ? { 'x-mcp-key': key } : {},
          maxResponseBytes: this.maxResultBytes,
          logger: this.logger,
        }),
      );
    }
  }

  async callTool(request: ToolCallRequest): Promise<ToolCallResult> {
    const started = this.clock().getTime();
    const elapsed = () => this.clock().getTime() - started;
    const failed = (error: ToolFailure): ToolCallResult => {
      this.logger.info('tool call failed permanently', {
        agent: request.agent,
        tool: request.tool,
        code: error.code,
      });
      return { ok: false, tool: request.tool, error, durationMs: elapsed() };
    };

    // Policy and shape checks come first: a refused call does no I/O at all.
    const checked = this.check(request);
    if ('failure' in checked) return failed(checked.failure);
    const { name, target, writeSpec, args } = checked;
    const parent = parentContext(request.traceparent, request.tracestate);
    const callId = request.toolCallId ?? request.idempotencyKey;
    const span = this.startSpan(request, checked, parent, callId);
    const scope: RequestIds = {};
    const metric = (errorType?: string) =>
      waypointMetrics().toolCall({ tool: name.tool, server: name.server, durationMs: elapsed(), errorType });
    try {
      // Headers come from this context directly: without an OpenTelemetry SDK there is no context
      // manager, and `context.with` would not make it the active one.
      const callContext = trace.setSpan(parent, span);
      const traceHeaders = traceHeadersFor(callContext);
      const outcome = await otelContext.with(callContext, () =>
        this.run(request, target, name.tool, args, writeSpec !== undefined, traceHeaders, scope),
      );
      setRequestIds(span, scope);
      if (callId !== undefined) this.attempts.settled(callId);
      if ('failure' in outcome) {
        // A typed failure, not an exception: status and error.type, without a misleading stack.
        const serverCode = (outcome.failure.details as { toolError?: { code?: unknown } } | undefined)
          ?.toolError?.code;
        if (typeof serverCode === 'string') span.setAttribute(ATTR_WAYPOINT_TOOL_ERROR_CODE, serverCode);
        endExecuteToolSpan(span, { error: outcome.failure.message, errorType: outcome.failure.code });
        metric(outcome.failure.code);
        return failed(outcome.failure);
      }
      span.setAttribute(ATTR_WAYPOINT_IDEMPOTENT_REPLAY, outcome.replayed);
      if (outcome.replayed) waypointMetrics().idempotentReplay(name.tool);
      endExecuteToolSpan(span, { result: outcome.output });
      metric();
      return {
        ok: true,
        tool: request.tool,
        result: outcome.output,
        replayed: outcome.replayed,
        durationMs: elapsed(),
      };
    } catch (error) {
      const errorType = errorTypeOf(error);
      setRequestIds(span, scope);
      if (callId !== undefined && isRetryable(error)) this.attempts.failed(callId, errorType);
      endExecuteToolSpan(span, { error, errorType });
      metric(errorType);
      this.logger.warn('tool call threw', {
        agent: request.agent,
        tool: request.tool,
        retryable: isRetryable(error),
        error,
      });
      throw error;
    }
  }

  /** The allow-list, the server and the idempotency key: a call that fails these does no I/O. */
  private check(request: ToolCallRequest): CheckedCall | { failure: ToolFailure } {
    const name = parseToolName(request.tool);
    if (!this.policy.isAllowed(request.agent, request.tool)) {
      return {
        failure: toolFailure('tool_not_allowed', `Agent "${request.agent}" may not call ${request.tool}.`, {
          agent: request.agent,
          allowed: this.policy.toolsFor(request.agent),
        }),
      };
    }
    const url = name && this.options.servers[name.server];
    const connections = name && this.connections.get(name.server);
    if (!name || !url || !connections) {
      return { failure: toolFailure('unknown_server', `No MCP server is configured for "${request.tool}".`) };
    }
    const target: ServerTarget = { url, connections };
    const writeSpec = this.writeTools[name.qualified];
    if (writeSpec && !request.idempotencyKey) {
      return {
        failure: toolFailure(
          'idempotency_key_required',
          `${request.tool} has side effects and needs an idempotency key.`,
        ),
      };
    }
    const args = withKeyArgument(request.arguments ?? {}, writeSpec, request.idempotencyKey);
    return { name, target, writeSpec, args };
  }

  /** The call's `execute_tool` span (the MCP attributes go on it: no second client span). */
  private startSpan(
    request: ToolCallRequest,
    { name, target, args }: CheckedCall,
    parent: Context,
    callId: string | undefined,
  ): Span {
    const url = target.url;
    const serverUrl = new URL(url);
    const span = startExecuteToolSpan(
      {
        tool: name.tool,
        agentName: request.agent,
        type: 'function',
        arguments: args,
        ...(callId === undefined ? {} : { callId }),
        mcp: {
          method: 'tools/call',
          serverAddress: serverUrl.hostname,
          serverPort: Number(serverUrl.port || (serverUrl.protocol === 'https:' ? 443 : 80)),
        },
      },
      parent,
      {
        ...(request.span?.id ? { spanId: request.span.id } : {}),
        ...(request.span?.links ? { links: request.span.links } : {}),
        attributes: {
          [ATTR_WAYPOINT_AGENT]: request.agent,
          [ATTR_WAYPOINT_TOOL_SERVER]: name.server,
          ...(request.idempotencyKey ? { [ATTR_WAYPOINT_IDEMPOTENCY_KEY]: request.idempotencyKey } : {}),
        },
      },
    );
    const previous = callId === undefined ? undefined : this.attempts.previous(callId);
    if (previous) {
      const attempt = previous.failures + 1;
      span.setAttribute(ATTR_WAYPOINT_RETRY_ATTEMPT, attempt);
      span.addEvent(EVENT_RETRY, {
        [ATTR_WAYPOINT_RETRY_ATTEMPT]: attempt,
        [ATTR_ERROR_TYPE]: previous.lastErrorType,
      });
      waypointMetrics().retry({ kind: 'tool', name: request.tool });
    }
    return span;
  }

  /** Closes the connections to every server. */
  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connections) => connections.closeAll()));
  }

  private async run(
    request: ToolCallRequest,
    target: ServerTarget,
    toolName: string,
    args: Record<string, unknown>,
    sideEffecting: boolean,
    traceHeaders: TraceHeaders,
    ids: RequestIds,
  ): Promise<{ output: ToolOutput; replayed: boolean } | { failure: ToolFailure }> {
    if (!sideEffecting) {
      const decision = await this.send(request, target, toolName, args, traceHeaders, Infinity, ids);
      if ('output' in decision) return { output: decision.output, replayed: false };
      if (decision.retry) throw decision.error;
      return { failure: decision.failure };
    }

    const key = request.idempotencyKey;
    if (key === undefined) throw new Error('A side-effecting call reached run() without an idempotency key.');
    const hash = toolRequestHash(request.tool, args);
    let attempt: CallAttempt;
    try {
      const admission = await this.ledger.admit(key, hash);
      if (admission.kind === 'replay') return { output: admission.result as ToolOutput, replayed: true };
      attempt = admission.attempt;
    } catch (error) {
      if (error instanceof IdempotencyConflictError)
        return { failure: toolFailure('idempotency_conflict', error.message, { key }) };
      // In progress, throttled, busy: worth another try. Anything else from the store (bad
      // credentials, a 400, a corrupt file) fails the same way every time, so retrying is pointless.
      if (isRetryable(error)) throw error;
      this.logger.error('idempotency store failed permanently', { key, tool: request.tool, error });
      return { failure: storeFailure(error, key) };
    }

    // The call must end before its claim goes stale, or another worker could take over while it runs.
    const remainingMs = attempt.deadline - this.clock().getTime();
    if (remainingMs < 1) {
      attempt.failedRetryably();
      throw new TransientError(
        `The claim on idempotency key "${key}" expired before ${request.tool} was sent.`,
      );
    }
    let decision: { output: ToolOutput } | FailureDecision;
    try {
      decision = await this.send(request, target, toolName, args, traceHeaders, remainingMs, ids);
    } catch (error) {
      attempt.failedRetryably();
      throw error;
    }
    if ('output' in decision) {
      await attempt.succeeded(decision.output);
      return { output: decision.output, replayed: false };
    }
    if (decision.retry) {
      attempt.failedRetryably();
      throw decision.error;
    }
    await attempt.failedPermanently();
    return { failure: decision.failure };
  }

  /** One MCP `tools/call` round trip, classified. Never throws for an expected failure. */
  private async send(
    request: ToolCallRequest,
    { url, connections }: ServerTarget,
    toolName: string,
    args: Record<string, unknown>,
    traceHeaders: TraceHeaders,
    /** Time left until the call's claim deadline (Infinity for calls without a claim). */
    remainingMs: number,
    /** Receives the JSON-RPC request id and MCP session id the call went out with. */
    ids: RequestIds,
  ): Promise<{ output: ToolOutput } | FailureDecision> {
    const timeoutMs = Math.max(
      1,
      Math.floor(Math.min(request.timeoutMs ?? this.options.callTimeoutMs, remainingMs)),
    );
    // An answer past the cap ends the call at once, whether the SDK was reading JSON or a stream.
    const tooLarge = new AbortController();
    const signal = AbortSignal.any([
      ...(request.signal ? [request.signal] : []),
      AbortSignal.timeout(timeoutMs),
      tooLarge.signal,
    ]);
    const scope: CallScope = {
      headers: { ...traceHeaders },
      signal,
      onTooLarge: () => tooLarge.abort(),
    };
    // Read back after the call (in `finally`): the shared transport fills them in as it sends.
    const readIds = () => {
      if (scope.jsonRpcRequestId !== undefined) ids.jsonRpcRequestId = scope.jsonRpcRequestId;
      if (scope.sessionId !== undefined) ids.sessionId = scope.sessionId;
      if (scope.protocolVersion !== undefined) ids.protocolVersion = scope.protocolVersion;
    };
    const meta = {
      ...traceHeaders,
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    };

    let result: CallToolResult;
    try {
      result = await connections.withScope(scope, async () => {
        const client = await connections.client(url, timeoutMs, signal);
        return (await client.callTool(
          { name: toolName, arguments: args, _meta: meta },
          CallToolResultSchema,
          {
            timeout: timeoutMs,
            signal,
          },
        )) as CallToolResult;
      });
    } catch (error) {
      readIds();
      // Permanent: the same call returns the same answer. Nothing of it is kept, or stored as a result.
      if (scope.tooLarge) return resultTooLarge(request.tool, this.maxResultBytes);
      // A failed call leaves the shared connection usable: stateless servers keep no session to lose,
      // and closing it would abort the other calls in flight on it.
      return classifyThrown(error, {
        tool: request.tool,
        timeoutMs,
        abortedByCaller: request.signal?.aborted === true,
        retryAfterMs: scope.retryAfterMs,
      });
    }
    readIds();
    if (result.isError) return classifyToolError(request.tool, result);
    return {
      output: {
        content: result.content,
        ...(result.structuredContent === undefined ? {} : { structuredContent: result.structuredContent }),
      },
    };
  }
}

function resultTooLarge(tool: string, maxResultBytes: number): FailureDecision {
  return {
    retry: false,
    failure: toolFailure(
      'result_too_large',
      `${tool} answered with more than ${maxResultBytes} bytes (MCP_MAX_RESULT_BYTES); the answer was not read.`,
      { maxResultBytes },
    ),
  };
}

/** A non-retryable idempotency store failure, returned so Durable does not retry it in vain. */
function storeFailure(error: unknown, key: string): ToolFailure {
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof WaypointError ? error.code : (error as { code?: unknown } | null)?.code;
  return toolFailure('store_error', `The idempotency store failed for key "${key}": ${message}`, {
    key,
    ...(typeof code === 'string' || typeof code === 'number' ? { storeErrorCode: code } : {}),
  });
}

/** Sets the server's key argument to the call-level key, whatever the model put there. */
function withKeyArgument(
  args: Record<string, unknown>,
  spec: WriteToolSpec | undefined,
  key: string | undefined,
): Record<string, unknown> {
  if (!spec?.keyArgument || key === undefined) return args;
  return { ...args, [spec.keyArgument]: key };
}

/** Where a call goes: the server's URL and the connections that carry that server's key. */
interface ServerTarget {
  url: string;
  connections: McpConnections;
}

/** What the MCP exchange of one call was identified by, for its span. */
interface RequestIds {
  jsonRpcRequestId?: string | number;
  sessionId?: string;
  protocolVersion?: string;
}

function setRequestIds(span: Span, ids: RequestIds): void {
  if (ids.jsonRpcRequestId !== undefined)
    span.setAttribute(ATTR_JSONRPC_REQUEST_ID, String(ids.jsonRpcRequestId));
  if (ids.sessionId !== undefined) span.setAttribute(ATTR_MCP_SESSION_ID, ids.sessionId);
  if (ids.protocolVersion !== undefined) span.setAttribute(ATTR_MCP_PROTOCOL_VERSION, ids.protocolVersion);
}
