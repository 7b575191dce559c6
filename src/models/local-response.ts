/**
 * Turns an answer decided in-process (an offline policy's decision, a scripted turn) into the
 * ModelResponse a hosted model would have sent: the same shapes, tool-call ids, finish reasons and
 * token usage counted with the real tokenizer. Shared by OfflineModel and ScriptedModel so both
 * behave exactly alike towards the agent loop.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json';
import { WaypointError } from '../domain/errors';
import { parseJsonAnswer } from './structured-output';
import { countRequestTokens, countResponseTokens, countTokens, truncateToTokens } from './tokens';
import type { ModelRequest, ModelResponse, ModelToolCall, TokenUsage } from './types';

/** A tool call decided locally; `id` is derived from the request when omitted. */
export interface LocalToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * What a local model answers: tool calls (optionally with a preamble), a structured value
 * (serialized as the answer's text), or raw text (with `request.output`, parsed as JSON if it is).
 */
export type LocalAnswer =
  | { toolCalls: readonly LocalToolCall[]; text?: string }
  | { output: unknown }
  | { text: string };

export interface LocalIdentity {
  provider: string;
  model: string;
}

/**
 * A tool-call id that depends only on the request and the call's position, so the same request
 * always gets the same ids (replays and retries of a turn stay identical) and two turns of one
 * conversation never share one (their transcripts differ).
 */
export function deterministicCallId(request: ModelRequest, index: number): string {
  const digest = createHash('sha256')
    .update(canonicalJson({ agent: request.agent, messages: request.messages, index }))
    .digest('hex');
  return `call_${digest.slice(0, 24)}`;
}

function responseId(identity: LocalIdentity, request: ModelRequest, answer: LocalAnswer): string {
  const digest = createHash('sha256').update(canonicalJson({ identity, request, answer })).digest('hex');
  return `${identity.provider}-${digest.slice(0, 16)}`;
}

function modelError(message: string, details?: unknown): WaypointError {
  return new WaypointError('model_error', message, { retryable: false, details });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function toolCallsOf(
  request: ModelRequest,
  calls: readonly LocalToolCall[],
  onlyOffered: boolean,
): ModelToolCall[] {
  const agent = request.agent;
  if (calls.length === 0) throw modelError(`The ${agent} answer has an empty tool-call list.`);
  const offered = new Set(request.tools.map((tool) => tool.name));
  return calls.map((call, index) => {
    if (onlyOffered && !offered.has(call.name)) {
      throw modelError(
        `The ${agent} answer calls tool "${call.name}", which the request does not offer (offered: ${[...offered].join(', ') || 'none'}).`,
        { tool: call.name },
      );
    }
    if (!isPlainObject(call.arguments)) {
      throw modelError(`The ${agent} answer calls "${call.name}" with arguments that are not an object.`);
    }
    return { id: call.id ?? deterministicCallId(request, index), name: call.name, arguments: call.arguments };
  });
}

/**
 * Builds the response for `answer`. `request.maxOutputTokens` cuts a final text answer as a hosted model would (finish reason
 * `length`, the JSON then usually unparseable); tool calls are never cut.
 */
export function localResponse(
  request: ModelRequest,
  answer: LocalAnswer,
  identity: LocalIdentity,
  options: {
    /** Pins the usage instead of counting it (a scripted turn may). */
    usage?: Partial<TokenUsage> | undefined;
    /**
     * Refuse calls to tools the request does not offer. The offline model sets it (a policy is
     * code, such a call is its bug); the scripted model does not (it replays what it is given,
     * including a model that calls a tool it was never offered).
     */
    onlyOfferedTools: boolean;
  },
): ModelResponse {
  const usage = options.usage;
  const inputTokens = usage?.inputTokens ?? countRequestTokens(request);
  const base = {
    provider: identity.provider,
    model: identity.model,
    responseId: responseId(identity, request, answer),
  };

  if ('toolCalls' in answer) {
    const toolCalls = toolCallsOf(request, answer.toolCalls, options.onlyOfferedTools);
    return {
      ...base,
      kind: 'tool_calls',
      toolCalls,
      ...(answer.text === undefined ? {} : { text: answer.text }),
      usage: {
        inputTokens,
        outputTokens: usage?.outputTokens ?? countResponseTokens({ text: answer.text, toolCalls }),
      },
      finishReason: 'tool_calls',
    };
  }

  let text = 'output' in answer ? (JSON.stringify(answer.output) ?? 'null') : answer.text;
  let finishReason: 'stop' | 'length' = 'stop';
  const limit = request.maxOutputTokens;
  if (limit !== undefined && countTokens(text) > limit) {
    text = truncateToTokens(text, limit);
    finishReason = 'length';
  }
  // Parsed back from the text, as from a hosted model: what the agent loop sees is plain JSON.
  const output = request.output === undefined ? undefined : parseJsonAnswer(text);
  return {
    ...base,
    kind: 'final',
    text,
    ...(request.output === undefined ? {} : { output }),
    usage: { inputTokens, outputTokens: usage?.outputTokens ?? countResponseTokens({ text }) },
    finishReason,
  };
}

/** Throws the error a cancelled call surfaces: not retryable (the caller gave up on it). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw new WaypointError('cancelled', 'The model call was cancelled.', {
      retryable: false,
      cause: signal.reason,
    });
  }
}
