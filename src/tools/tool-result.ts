import type { ContentBlock } from '@modelcontextprotocol/sdk/types.js';
import type { ToolFailureCode } from '../domain/error-codes';

/** What a tool returned: MCP content blocks and, when the tool declares an output schema, structured data. */
export interface ToolOutput {
  content: ContentBlock[];
  structuredContent?: Record<string, unknown>;
}

/**
 * Why a call failed for good (catalogued with their meanings in src/domain/error-codes.ts).
 * Retrying the same call cannot help, so these are returned, never thrown (Durable retries every
 * throw).
 */
export type { ToolFailureCode };

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
