import { context as otelContext, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { CallToolResultSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { IdempotencyConflictError, isRetryable, TransientError, WaypointError } from '../domain/errors';
import { systemClock, type Clock } from '../stores/clock';
import type { IdempotencyStore } from '../stores/types';
import { createLogger, type Logger } from '../telemetry/logger';
import { CallLedger, type CallAttempt } from './call-ledger';
import { classifyThrown, classifyToolError, type FailureDecision } from './classify-failure';
import { McpConnections, type CallScope } from './mcp-connections';
import { ToolPolicy, type ToolAllowList } from './policy';
import { checkCallWindows } from './settings';
import { toolRequestHash } from './request-hash';
import { parentContext, traceHeadersFor, type TraceHeaders } from './trace-context';
import { parseToolName } from './tool-names';
import { toolFailure, type ToolCallResult, type ToolFailure, type ToolOutput } from './tool-result';

/** How a side-effecting tool takes part in idempotency. */
export interface WriteToolSpec {
  /** The argument the server reads the idempotency key from; the client sets it to the call key. */
  keyArgument?: string;
}

/**
 * The tools with side effects. Their calls need an idempotency key and are recorded in the
 * idempotency store; every other tool is a read and is simply called.
 */
export const DEFAULT_WRITE_TOOLS: Readonly<Record<string, WriteToolSpec>> = {
  'bookings.book_flight': { keyArgument: 'idempotencyKey' },
  'bookings.book_hotel': { keyArgument: 'idempotencyKey' },
  // Naturally idempotent on the server; recorded so a replay returns the first answer.
  'bookings.cancel_booking': {},
};

export interface ToolClientOptions {
  /** MCP endpoint URL per server name, e.g. `{ flights: 'http://127.0.0.1:7071/api/mcp/flights' }`. */
  servers: Readonly<Record<string, string>>;
  allowList: ToolAllowList;
  idempotency: IdempotencyStore;
  /** Default per-call timeout; at most `pendingStaleAfterMs` minus its margin (see `checkCallWindows`). */
  callTimeoutMs: number;
  /** See CallLedger: when a pending claim counts as abandoned and may be taken over. */
  pendingStaleAfterMs: number;
  /** Sent as `x-mcp-key` on every request. */
  serverKey?: string | undefined;
  writeTools?: Readonly<Record<string, WriteToolSpec>>;
  clock?: Clock;
  logger?: Logger;
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
  /** Overrides the default per-call timeout (a side-effecting call still ends by its claim's deadline). */
  timeoutMs?: number;
  /** Cancels the call (thrown as retryable: it may not have reached the server). */
  signal?: AbortSignal;
}

const tracer = trace.getTracer('waypoint.tools');

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
  private readonly connections: McpConnections;
  private readonly writeTools: Readonly<Record<string, WriteToolSpec>>;
  private readonly clock: Clock;
  private readonly logger: Logger;

  constructor(private readonly options: ToolClientOptions) {
    checkCallWindows({
      callTimeoutMs: options.callTimeoutMs,
      pendingStaleAfterMs: options.pendingStaleAfterMs,
      idempotencyTtlSeconds: options.idempotency.defaultTtlSeconds,
    });
    this.policy = new ToolPolicy(options.allowList);
    this.writeTools = options.writeTools ?? DEFAULT_WRITE_TOOLS;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? createLogger('tools');
    this.ledger = new CallLedger({
      store: options.idempotency,
      pendingStaleAfterMs: options.pendingStaleAfterMs,
      clock: this.clock,
      logger: this.logger,
    });
    this.connections = new McpConnections({
      clientInfo: { name: 'waypoint-tool-client', version: '0.1.0' },
      headers: options.serverKey ? { 'x-mcp-key': options.serverKey } : {},
      logger: this.logger,
    });
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
    const name = parseToolName(request.tool);
    if (!this.policy.isAllowed(request.agent, request.tool)) {
      return failed(
        toolFailure('tool_not_allowed', `Agent "${request.agent}" may not call ${request.tool}.`, {
          agent: request.agent,
          allowed: this.policy.toolsFor(request.agent),
        }),
      );
    }
    const url = name && this.options.servers[name.server];
    if (!name || !url) {
      return failed(toolFailure('unknown_server', `No MCP server is configured for "${request.tool}".`));
    }
    const writeSpec = this.writeTools[name.qualified];
    if (writeSpec && !request.idempotencyKey) {
      return failed(
        toolFailure(
          'idempotency_key_required',
          `${request.tool} has side effects and needs an idempotency key.`,
        ),
      );
    }
    const args = withKeyArgument(request.arguments ?? {}, writeSpec, request.idempotencyKey);

    const parent = parentContext(request.traceparent);
    const span = tracer.startSpan(
      `tools/call ${name.tool}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          'mcp.method.name': 'tools/call',
          'gen_ai.tool.name': name.tool,
          'gen_ai.operation.name': 'execute_tool',
          'server.address': new URL(url).host,
          'waypoint.agent': request.agent,
          ...(request.idempotencyKey ? { 'waypoint.idempotency_key': request.idempotencyKey } : {}),
        },
      },
      parent,
    );
    try {
      // Headers come from this context directly: without an OpenTelemetry SDK there is no context
      // manager, and `context.with` would not make it the active one.
      const callContext = trace.setSpan(parent, span);
      const traceHeaders = traceHeadersFor(callContext);
      const outcome = await otelContext.with(callContext, () =>
        this.run(request, url, name.tool, args, writeSpec !== undefined, traceHeaders),
      );
      if ('failure' in outcome) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.failure.code });
        span.setAttribute('error.type', outcome.failure.code);
        return failed(outcome.failure);
      }
      span.setAttribute('waypoint.replayed', outcome.replayed);
      return {
        ok: true,
        tool: request.tool,
        result: outcome.output,
        replayed: outcome.replayed,
        durationMs: elapsed(),
      };
    } catch (error) {
      span.setStatus({
        code: SpanStatusCode.ERROR,
        message: error instanceof Error ? error.message : String(error),
      });
      span.setAttribute('error.type', error instanceof WaypointError ? error.code : 'unknown');
      this.logger.warn('tool call threw', {
        agent: request.agent,
        tool: request.tool,
        retryable: isRetryable(error),
        error,
      });
      throw error;
    } finally {
      span.end();
    }
  }

  /** Closes the connections to every server. */
  async close(): Promise<void> {
    await this.connections.closeAll();
  }

  private async run(
    request: ToolCallRequest,
    url: string,
    toolName: string,
    args: Record<string, unknown>,
    sideEffecting: boolean,
    traceHeaders: TraceHeaders,
  ): Promise<{ output: ToolOutput; replayed: boolean } | { failure: ToolFailure }> {
    if (!sideEffecting) {
      const decision = await this.send(request, url, toolName, args, traceHeaders, Infinity);
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
      decision = await this.send(request, url, toolName, args, traceHeaders, remainingMs);
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
    url: string,
    toolName: string,
    args: Record<string, unknown>,
    traceHeaders: TraceHeaders,
    /** Time left until the call's claim deadline (Infinity for calls without a claim). */
    remainingMs: number,
  ): Promise<{ output: ToolOutput } | FailureDecision> {
    const timeoutMs = Math.max(
      1,
      Math.floor(Math.min(request.timeoutMs ?? this.options.callTimeoutMs, remainingMs)),
    );
    const signal = request.signal
      ? AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)])
      : AbortSignal.timeout(timeoutMs);
    const scope: CallScope = { headers: { ...traceHeaders }, signal };
    const meta = {
      ...traceHeaders,
      ...(request.idempotencyKey ? { idempotencyKey: request.idempotencyKey } : {}),
    };

    let result: CallToolResult;
    try {
      result = await this.connections.withScope(scope, async () => {
        const client = await this.connections.client(url, timeoutMs, signal);
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
      // A failed call leaves the shared connection usable: stateless servers keep no session to lose,
      // and closing it would abort the other calls in flight on it.
      return classifyThrown(error, {
        tool: request.tool,
        timeoutMs,
        abortedByCaller: request.signal?.aborted === true,
        retryAfterMs: scope.retryAfterMs,
      });
    }
    if (result.isError) return classifyToolError(request.tool, result);
    return {
      output: {
        content: result.content,
        ...(result.structuredContent === undefined ? {} : { structuredContent: result.structuredContent }),
      },
    };
  }
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
