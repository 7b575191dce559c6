import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { WaypointError } from '../../domain/errors';
import type { Logger } from '../../telemetry/logger';

/**
 * Tool results in one shape: the data as `structuredContent` and, for clients that only read
 * text, the same data as JSON text. Failures are tool errors (`isError: true`) whose text is the
 * message and whose `structuredContent.error` carries the stable code and the retry advice.
 */
export function toolSuccess(data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data) }], structuredContent: data };
}

export function toolFailure(error: WaypointError): CallToolResult {
  return {
    content: [{ type: 'text', text: error.message }],
    structuredContent: { error: error.toJSON() },
    isError: true,
  };
}

/**
 * Runs a tool body, turning expected failures (WaypointError) into tool errors. Anything else is a
 * bug or an outage: it is logged with its detail and reported without internals.
 */
export async function runTool(
  logger: Logger,
  toolName: string,
  body: () => Promise<Record<string, unknown>> | Record<string, unknown>,
): Promise<CallToolResult> {
  try {
    return toolSuccess(await body());
  } catch (error) {
    if (error instanceof WaypointError) return toolFailure(error);
    logger.error('tool failed unexpectedly', { tool: toolName, error });
    return toolFailure(
      new WaypointError('internal_error', `${toolName} failed unexpectedly; it is safe to retry.`, {
        retryable: true,
      }),
    );
  }
}
