/**
 * The `agentTurn` activity: one model call for one turn of one agent. It rebuilds the transcript
 * from the journal, asks the model, checks what came back (a usage that can be true, an answer
 * within the size cap), checks a final answer against the agent's schema, prices the turn and
 * records it. Retryable model failures are thrown (Durable retries them); permanent ones come
 * back as `kind: 'failed'`, and a refused answer is never recorded.
 */
import { createHash } from 'node:crypto';
import type { InvocationContext } from '@azure/functions';
import { context as otelContext, trace, type Span } from '@opentelemetry/api';
import { z } from 'zod';
import { canonicalJson } from '../../domain/canonical-json';
import { runFailure } from '../../domain/error-codes';
import { WaypointError } from '../../domain/errors';
import { parseJsonAnswer } from '../../models/structured-output';
import type { ChatMessage, ModelProvider, ModelRequest, ModelResponse } from '../../models/types';
import { checkedUsage } from '../../models/usage';
import { endChatSpan, startChatSpan } from '../../telemetry/genai';
import {
  genAiInputMessages,
  genAiOutputMessages,
  genAiSystemInstructions,
} from '../../telemetry/genai-messages';
import type { Logger } from '../../telemetry/logger';
import { withRunId } from '../../telemetry/run-context';
import { agentTurnInputSchema, type AgentTurnInput, type AgentTurnOutput, type Issue } from '../contracts';
import type { AgentDefinition, AgentRegistry } from '../definitions';
import { activitySpans } from './activity-trace';
import type { ToolCatalog } from './tool-catalog';
import type { TranscriptJournal } from './transcript-journal';

export interface AgentTurnDependencies {
  agents: AgentRegistry;
  model: () => ModelProvider;
  journal: () => Promise<TranscriptJournal>;
  catalog: () => ToolCatalog;
  /** USD for a turn's usage on `model` (the price table). */
  price: (model: string, usage: { inputTokens: number; outputTokens: number }) => number;
  logger: Logger;
  /** The largest answer (text and tool-call arguments, UTF-8 bytes) a turn accepts; default 512 KiB. */
  maxAnswerBytes?: number;
}

/** Far above any real answer (a model's longest output is some 100k tokens, about 400 KB). */
export const DEFAULT_MAX_ANSWER_BYTES = 512 * 1024;

const outputSchemas = new WeakMap<AgentDefinition, Record<string, unknown>>();

/** `invocation` (the Functions host's) supplies the trace context when it carries one. */
export async function agentTurn(
  raw: unknown,
  deps: AgentTurnDependencies,
  invocation?: Pick<InvocationContext, 'traceContext'>,
): Promise<AgentTurnOutput> {
  const parsed = agentTurnInputSchema.safeParse(raw);
  const model = deps.model();
  const meta = {
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
    provider: model.provider,
    model: model.model,
    replayed: false,
  };
  if (!parsed.success) {
    return {
      kind: 'failed',
      error: runFailure('invalid_input', z.prettifyError(parsed.error)),
      ...meta,
    };
  }
  const input = parsed.data;
  const definition = deps.agents.get(input.agent);
  if (!definition) {
    return {
      kind: 'failed',
      error: runFailure('unknown_agent', `No agent named "${input.agent}".`),
      ...meta,
    };
  }

  const journal = await deps.journal();
  const requestHash = hashTurn(input);
  let history: ChatMessage[];
  try {
    const recorded = await journal.recorded(input.conversationId, input.turn, requestHash);
    if (recorded) return { ...recorded.output, replayed: true };
    history = await journal.history(input.conversationId, input.turn);
  } catch (error) {
    // A lost or conflicting transcript cannot heal by retrying: a typed failure, not a throw.
    if (error instanceof WaypointError && !error.retryable) {
      return { kind: 'failed', error: { code: error.code, message: error.message }, ...meta };
    }
    throw error;
  }
  const added = newMessages(input);
  const request: ModelRequest = {
    agent: definition.name,
    instructions: definition.instructions,
    messages: [...history, ...added],
    tools: definition.tools.length > 0 ? await deps.catalog().definitions(definition.tools) : [],
    output: {
      name: `${definition.name}_answer`.replace(/[^A-Za-z0-9_-]/g, '_'),
      schema: outputJsonSchema(definition),
    },
  };

  const span = startTurnSpan(input, definition, model, request, invocation);
  const called = await callModel({ deps, input, definition, model, request, span, meta }, () =>
    journal.assertFits({ added }),
  );
  if ('failed' in called) return called.failed;
  const response = called.response;
  const costUsd = deps.price(response.model, response.usage);
  const answered = response;
  endChatSpan(span, {
    responseModel: response.model,
    ...(response.responseId ? { responseId: response.responseId } : {}),
    finishReasons: [response.finishReason],
    usage: response.usage,
    costUsd,
    outputMessages: () =>
      genAiOutputMessages({
        text: answered.text,
        toolCalls: answered.kind === 'tool_calls' ? answered.toolCalls : undefined,
        finishReason: answered.finishReason,
      }),
  });

  const turnMeta = turnMetaOf(response, deps);
  const { output, reply } = readAnswer(definition, response, turnMeta);
  try {
    const stored = await journal.record(input.conversationId, input.turn, requestHash, {
      added,
      reply,
      output,
    });
    return stored.output;
  } catch (error) {
    if (error instanceof WaypointError && !error.retryable) {
      return { kind: 'failed', error: { code: error.code, message: error.message }, ...turnMeta };
    }
    throw error;
  }
}

type TurnMeta = Pick<AgentTurnOutput, 'usage' | 'costUsd' | 'provider' | 'model' | 'replayed'>;

/** The turn's `chat` span, under the activity's span (or the run's, when the host gives none). */
function startTurnSpan(
  input: AgentTurnInput,
  definition: AgentDefinition,
  model: Pick<ModelProvider, 'provider' | 'model'>,
  request: ModelRequest,
  invocation: Pick<InvocationContext, 'traceContext'> | undefined,
): Span {
  const placement = activitySpans(invocation?.traceContext, input.trace);
  const spanId = placement.spanId('chat');
  return startChatSpan(
    {
      provider: model.provider,
      model: model.model,
      agentName: definition.name,
      conversationId: input.runId,
      outputType: 'json',
      // The GenAI message schema, the whole transcript the model is sent (built only when recorded).
      systemInstructions: () => genAiSystemInstructions(definition.instructions),
      inputMessages: () => genAiInputMessages(request.messages),
    },
    placement.parent,
    {
      attributes: { 'waypoint.run.id': input.runId, 'waypoint.agent.turn': input.turn },
      links: placement.links,
      ...(spanId ? { spanId } : {}),
    },
  );
}

interface ModelCall {
  deps: AgentTurnDependencies;
  input: AgentTurnInput;
  definition: AgentDefinition;
  model: ModelProvider;
  request: ModelRequest;
  span: Span;
  meta: TurnMeta;
}

/**
 * The model call in its span, after `precheck`. A retryable failure is thrown (Durable retries
 * it); a permanent one, or an answer over the size cap, ends the span and is a failed turn.
 */
async function callModel(
  { deps, input, definition, model, request, span, meta }: ModelCall,
  precheck: () => void,
): Promise<{ response: ModelResponse } | { failed: AgentTurnOutput }> {
  let response: ModelResponse;
  try {
    precheck();
    response = await otelContext.with(trace.setSpan(otelContext.active(), span), () =>
      withRunId(input.runId, () => model.complete(request)),
    );
    response = { ...response, usage: checkedUsage(response.usage, request, response) };
  } catch (error) {
    const code = error instanceof WaypointError ? error.code : 'model_error';
    endChatSpan(span, { error, errorType: code });
    if (error instanceof WaypointError && error.retryable) throw error;
    deps.logger.warn('model call failed permanently', {
      runId: input.runId,
      agent: definition.name,
      code,
      ...(error instanceof WaypointError && error.details !== undefined ? { details: error.details } : {}),
    });
    const message = error instanceof Error ? error.message : String(error);
    return { failed: { kind: 'failed', error: { code, message }, ...meta } };
  }
  const oversized = answerTooLarge(response, deps.maxAnswerBytes ?? DEFAULT_MAX_ANSWER_BYTES);
  if (oversized) {
    endChatSpan(span, { error: new Error(ANSWER_TOO_LARGE.message), errorType: ANSWER_TOO_LARGE.code });
    // The call happened and is charged; its answer is neither used nor kept.
    deps.logger.warn('model answer over the size cap', {
      runId: input.runId,
      agent: definition.name,
      ...oversized,
    });
    return { failed: { kind: 'failed', error: ANSWER_TOO_LARGE, ...turnMetaOf(response, deps) } };
  }
  return { response };
}

function turnMetaOf(response: ModelResponse, deps: Pick<AgentTurnDependencies, 'price'>): TurnMeta {
  return {
    usage: response.usage,
    costUsd: deps.price(response.model, response.usage),
    provider: response.provider,
    model: response.model,
    replayed: false,
  };
}

const ANSWER_TOO_LARGE = runFailure(
  'model_answer_too_large',
  'The AI model sent back far more than an answer can be, so it was not used.',
);

/** The answer's size when it is over `maxBytes` (text plus tool calls' arguments, UTF-8). */
function answerTooLarge(
  response: ModelResponse,
  maxBytes: number,
): { bytes: number; maxBytes: number } | undefined {
  let bytes = Buffer.byteLength(response.text ?? '', 'utf8');
  if (response.kind === 'tool_calls') {
    for (const call of response.toolCalls) {
      bytes += Buffer.byteLength(call.name, 'utf8');
      bytes += Buffer.byteLength(call.invalidArguments ?? JSON.stringify(call.arguments), 'utf8');
    }
  }
  return bytes > maxBytes ? { bytes, maxBytes } : undefined;
}

/** The activity output and the assistant message for a checked response. */
function readAnswer(
  definition: AgentDefinition,
  response: ModelResponse,
  turnMeta: TurnMeta,
): { output: AgentTurnOutput; reply: ChatMessage } {
  let output: AgentTurnOutput;
  let reply: ChatMessage;
  if (response.kind === 'tool_calls') {
    output = { kind: 'tool_calls', toolCalls: response.toolCalls, ...turnMeta };
    reply = { role: 'assistant', content: response.text ?? null, toolCalls: response.toolCalls };
  } else {
    const answer = response.output !== undefined ? response.output : parseJsonAnswer(response.text);
    const checked = definition.output.safeParse(answer);
    output = checked.success
      ? { kind: 'final', output: checked.data, valid: true, ...turnMeta }
      : {
          kind: 'final',
          output: answer ?? response.text,
          valid: false,
          issues:
            answer === undefined
              ? [{ path: '', issue: 'the answer is not valid JSON' }]
              : issuesOf(checked.error),
          ...turnMeta,
        };
    reply = { role: 'assistant', content: response.text };
  }
  return { output, reply };
}

/** The messages this turn adds to the transcript. */
function newMessages(input: AgentTurnInput): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (input.task !== undefined) messages.push({ role: 'user', content: input.task });
  for (const result of input.toolResults ?? []) {
    messages.push({
      role: 'tool',
      toolCallId: result.toolCallId,
      name: result.name,
      content: result.content,
    });
  }
  if (input.repair) {
    messages.push({
      role: 'user',
      content:
        `Your previous answer did not match the required output schema: ${JSON.stringify(input.repair)}. ` +
        'Answer again with only the corrected JSON.',
    });
  }
  return messages;
}

function hashTurn(input: AgentTurnInput): string {
  const { trace: _trace, ...content } = input;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

function outputJsonSchema(definition: AgentDefinition): Record<string, unknown> {
  let schema = outputSchemas.get(definition);
  if (!schema) {
    schema = z.toJSONSchema(definition.output, { io: 'input', unrepresentable: 'any' }) as Record<
      string,
      unknown
    >;
    outputSchemas.set(definition, schema);
  }
  return schema;
}

function issuesOf(error: z.ZodError): Issue[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), issue: issue.message }));
}
