import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { TransientError } from '../domain/errors';
import { toolFailure, type ToolFailure } from './tool-result';

/**
 * Every failed call is either worth retrying (thrown, so Durable's retry policy runs) or not
 * (returned as a typed failure). This module is the single place that decides which.
 */
export type FailureDecision = { retry: true; error: TransientError } | { retry: false; failure: ToolFailure };

const retry = (
  message: string,
  options: { cause?: unknown; retryAfterMs?: number } = {},
): FailureDecision => ({
  retry: true,
  error: new TransientError(message, options),
});
const fail = (...args: Parameters<typeof toolFailure>): FailureDecision => ({
  retry: false,
  failure: toolFailure(...args),
});

/** Waypoint's servers put their error (WaypointError#toJSON) in `structuredContent.error`. */
interface ServerError {
  code: string;
  message: string;
  retryable?: boolean;
  retryAfterMs?: number;
  details?: unknown;
}

/** Decides what a tool result with `isError: true` means. */
export function classifyToolError(tool: string, result: CallToolResult): FailureDecision {
  const serverError = readServerError(result.structuredContent);
  const text = result.content
    .map((block) => (block.type === 'text' ? block.text : ''))
    .join('\n')
    .trim();
  if (serverError) {
    if (serverError.retryable === true) {
      return retry(`${tool} failed transiently: ${serverError.message}`, {
        ...(serverError.retryAfterMs === undefined ? {} : { retryAfterMs: serverError.retryAfterMs }),
      });
    }
    if (serverError.code === 'idempotency_conflict')
      return fail('idempotency_conflict', serverError.message, serverError);
    if (serverError.code === 'validation_failed')
      return fail('invalid_arguments', serverError.message, serverError);
    return fail('tool_error', serverError.message, { toolError: serverError });
  }
  // The MCP SDK's server reports an unknown tool and schema violations as tool errors with this text.
  if (/^MCP error -32602: Tool \S+ (not found|disabled)/.test(text)) return fail('unknown_tool', text);
  if (/^MCP error -32602: Input validation error/.test(text)) return fail('invalid_arguments', text);
  return fail('tool_error', text || `${tool} reported an error without a message.`);
}

export interface ThrownContext {
  tool: string;
  timeoutMs: number;
  /** The caller's own signal fired: the call was cancelled, not timed out. */
  abortedByCaller: boolean;
  /** From a `Retry-After` header on the failed response, when there was one. */
  retryAfterMs: number | undefined;
}

/** Decides what an error thrown by the MCP client (protocol, transport or network) means. */
export function classifyThrown(error: unknown, context: ThrownContext): FailureDecision {
  const { tool } = context;
  const retryAfter = context.retryAfterMs === undefined ? {} : { retryAfterMs: context.retryAfterMs };
  if (context.abortedByCaller)
    return retry(`${tool} was cancelled by the caller before it answered.`, { cause: error });

  if (error instanceof McpError) {
    switch (error.code as ErrorCode) {
      case ErrorCode.RequestTimeout:
        return retry(`${tool} timed out after ${context.timeoutMs} ms.`, { cause: error });
      case ErrorCode.ConnectionClosed:
      case ErrorCode.InternalError:
        return retry(`${tool} failed: ${error.message}`, { cause: error });
      case ErrorCode.InvalidParams:
        if (/Tool \S+ (not found|disabled)/.test(error.message)) return fail('unknown_tool', error.message);
        if (/structured content|output schema/i.test(error.message))
          return fail('protocol_error', error.message);
        return fail('invalid_arguments', error.message, error.data);
      case ErrorCode.MethodNotFound:
        return fail('unknown_tool', error.message);
      default:
        return fail('protocol_error', error.message, { mcpErrorCode: error.code });
    }
  }

  if (error instanceof StreamableHTTPError) {
    const status = error.code ?? -1;
    if (status === 408 || status === 429 || status >= 500) {
      return retry(`${tool} failed with HTTP ${status}.`, { cause: error, ...retryAfter });
    }
    if (status === 401 || status === 403)
      return fail('unauthorized', `${tool}: the server refused the credentials (HTTP ${status}).`);
    if (status >= 400)
      return fail('http_error', `${tool} failed with HTTP ${status}: ${error.message}`, { status });
    return fail('protocol_error', `${tool}: ${error.message}`);
  }

  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError')) {
    return retry(`${tool} timed out after ${context.timeoutMs} ms.`, { cause: error });
  }
  // A response that is not a valid MCP result: the server is broken, retrying the same call will not fix it.
  if (isZodError(error))
    return fail('protocol_error', `${tool} returned an invalid result.`, { issues: error.issues });

  // Refused or reset connections, DNS failures (fetch's TypeError) and anything unrecognised: the
  // call may not have reached the server, and every side-effecting call carries its key, so retrying is safe.
  return retry(`${tool} could not be reached: ${describe(error)}`, { cause: error });
}

/**
 * A failed zod parse, whichever zod made it: the SDK validates results with zod 4's core
 * (`$ZodError`), classic zod throws `ZodError`, and both carry an `issues` array.
 */
function isZodError(error: unknown): error is Error & { issues: unknown[] } {
  return error instanceof Error && 'issues' in error && Array.isArray(error.issues);
}

function readServerError(structured: unknown): ServerError | undefined {
  if (typeof structured !== 'object' || structured === null) return undefined;
  const error = (structured as { error?: unknown }).error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === 'string' && typeof message === 'string' ? (error as ServerError) : undefined;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  const causeCode =
    typeof cause === 'object' && cause !== null ? (cause as { code?: unknown }).code : undefined;
  return typeof causeCode === 'string' ? `${error.message} (${causeCode})` : error.message;
}
