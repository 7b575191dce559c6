import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';

/** What a tool returned: MCP content blocks and, when the tool declares an output schema, structured data. */
export interface ToolOutput {
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
}

/**
 * Why a call failed for good. Retrying the same call cannot help, so these are returned, never
 * thrown (Durable retries every throw).
 */
export type ToolFailureCode =
  /** The agent's allow-list does not include the tool (checked before any I/O). */
  | 'tool_not_allowed'
  /** Not `<server>.<tool>`, or no such server configured. */
  | 'unknown_server'
  /** The server has no tool by that name. */
  | 'unknown_tool'
  /** The arguments failed the tool's input schema. */
  | 'invalid_arguments'
  /** The tool ran and reported a failure (`isError: true`); `details.toolError` has its code. */
  | 'tool_error'
  /** A side-effecting call came without the idempotency key it needs. */
  | 'idempotency_key_required'
  /** The idempotency key was used before for a different request. */
  | 'idempotency_conflict'
  /** The server refused the credentials (HTTP 401/403). */
  | 'unauthorized'
  /** Any other HTTP 4xx from the server. */
  | 'http_error'
  /** The server answered with something that is not a valid MCP tool result. */
  | 'protocol_error'
  /** The server's answer was larger than the client's cap (`maxResultBytes`); it was not read past it. */
  | 'result_too_large'
  /** The idempotency store failed in a way retrying cannot fix (credentials, bad request, corrupt file). */
  | 'store_error';

export interface ToolFailure {
  code: ToolFailureCode;
  message: string;
  retryable: false;
  details?: unknown;
}

export type ToolCallResult =
  | {
      ok: true;
      /** `<server>.<tool>` */
      tool: string;
      result: ToolOutput;
      /** True when the result is the stored outcome of an earlier call with the same key (no call made). */
      replayed: boolean;
      durationMs: number;
    }
  | { ok: false; tool: string; error: ToolFailure; durationMs: number };

export function toolFailure(code: ToolFailureCode, message: string, details?: unknown): ToolFailure {
  return { code, message, retryable: false, ...(details === undefined ? {} : { details }) };
}
