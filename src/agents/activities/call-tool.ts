/**
 * The `callTool` activity: one tool call through the process's ToolClient, which enforces the
 * agent's allow-list, the call-level idempotency record and the timeout. Retryable failures are
 * thrown by the client (Durable retries them); permanent ones come back as `ok: false`, which the
 * agent loop shows the model.
 */
import type { InvocationContext } from '@azure/functions';
import { z } from 'zod';
import { runFailure } from '../../domain/error-codes';
import { withRunId } from '../../telemetry/run-context';
import type { ToolClient } from '../../tools';
import { callToolInputSchema, type CallToolOutput } from '../contracts';
import { activitySpans } from './activity-trace';

export interface CallToolDependencies {
  tools: () => Promise<ToolClient>;
}

/** `invocation` (the Functions host's) supplies the trace context when it carries one. */
export async function callTool(
  raw: unknown,
  deps: CallToolDependencies,
  invocation?: Pick<InvocationContext, 'traceContext'>,
): Promise<CallToolOutput> {
  const parsed = callToolInputSchema.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      tool:
        typeof (raw as { tool?: unknown })?.tool === 'string' ? (raw as { tool: string }).tool : 'unknown',
      error: runFailure('invalid_input', z.prettifyError(parsed.error)),
      durationMs: 0,
    };
  }
  const input = parsed.data;
  const client = await deps.tools();
  const placement = activitySpans(invocation?.traceContext, input.trace);
  const trace = placement.parent;
  const spanId = placement.spanId('execute_tool');
  const result = await withRunId(input.runId, () =>
    client.callTool({
      agent: input.agent,
      tool: input.tool,
      arguments: input.arguments,
      idempotencyKey: input.idempotencyKey,
      ...(input.toolCallId ? { toolCallId: input.toolCallId } : {}),
      ...(trace ? { traceparent: trace.traceparent } : {}),
      ...(trace?.tracestate ? { tracestate: trace.tracestate } : {}),
      span: { links: placement.links, ...(spanId ? { id: spanId } : {}) },
    }),
  );
  if (!result.ok) {
    return {
      ok: false,
      tool: result.tool,
      error: { code: result.error.code, message: result.error.message, details: result.error.details },
      durationMs: result.durationMs,
    };
  }
  const data = result.result.structuredContent ?? textOf(result.result.content);
  return { ok: true, tool: result.tool, data, replayed: result.replayed, durationMs: result.durationMs };
}

function textOf(content: readonly { type: string; text?: string }[]): string {
  return content
    .filter((block) => block.type === 'text' && typeof block.text === 'string')
    .map((block) => block.text)
    .join('\n');
}
