/**
 * Pure mapping between our model contract (types.ts) and the chat.completions API: a ModelRequest
 * becomes the request body, a completion becomes a ModelResponse. No I/O, so every rule here is
 * unit-tested without a server.
 */
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionFunctionTool,
} from 'openai/resources/chat/completions';
import { apiSchema, isStrictCompatible } from './strict-schema';
import { unreadableAnswerError } from './response-body';
import { parseJsonAnswer } from './structured-output';
import { countRequestTokens, countResponseTokens } from './tokens';
import { ToolNameMap } from './tool-names';
import type { FinishReason, ModelRequest, ModelResponse, ModelToolCall } from './types';
import { checkedUsage } from './usage';

export interface RequestMappingOptions {
  /** The model (or Azure deployment) to ask. */
  model: string;
  /**
   * How to send `maxOutputTokens`: `max_completion_tokens` (OpenAI and Azure OpenAI; required by
   * reasoning models) or the older `max_tokens` (what most OpenAI-compatible servers understand).
   */
  maxTokensParameter: 'max_completion_tokens' | 'max_tokens';
}

/** A request body and the name map needed to read its answer. */
export interface MappedRequest {
  body: ChatCompletionCreateParamsNonStreaming;
  names: ToolNameMap;
}

/** Every tool name a request mentions: offered tools first, then calls in the transcript. */
function toolNamesOf(request: ModelRequest): string[] {
  const names = request.tools.map((tool) => tool.name);
  for (const message of request.messages) {
    if (message.role === 'assistant') for (const call of message.toolCalls ?? []) names.push(call.name);
    if (message.role === 'tool') names.push(message.name);
  }
  return names;
}

/** A response_format / schema name the API accepts (`^[a-zA-Z0-9_-]{1,64}$`). */
function schemaName(name: string): string {
  const cleaned = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, 64);
  return cleaned === '' ? 'output' : cleaned;
}

/**
 * The chat.completions body for a request: instructions as the system message, the transcript,
 * the tools as function tools under API-safe names (strict where their schema allows), and the
 * output schema as a json_schema response_format. Returns the name map to read the answer with.
 */
export function toChatCompletionRequest(
  request: ModelRequest,
  options: RequestMappingOptions,
): MappedRequest {
  const names = new ToolNameMap(toolNamesOf(request));
  const messages: ChatCompletionMessageParam[] = [{ role: 'system', content: request.instructions }];
  for (const message of request.messages) {
    switch (message.role) {
      case 'user':
        messages.push({ role: 'user', content: message.content });
        break;
      case 'assistant': {
        const calls = message.toolCalls ?? [];
        messages.push({
          role: 'assistant',
          content: message.content,
          ...(calls.length === 0
            ? {}
            : {
                tool_calls: calls.map((call) => ({
                  id: call.id,
                  type: 'function' as const,
                  // What the model wrote, even when it was not valid JSON: it should see its mistake.
                  function: {
                    name: names.toApi(call.name),
                    arguments: call.invalidArguments ?? JSON.stringify(call.arguments),
                  },
                })),
              }),
        });
        break;
      }
      case 'tool':
        messages.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
        break;
    }
  }

  const tools: ChatCompletionFunctionTool[] = request.tools.map((tool) => {
    const parameters = apiSchema(tool.parameters);
    return {
      type: 'function',
      function: {
        name: names.toApi(tool.name),
        description: tool.description,
        parameters,
        strict: isStrictCompatible(parameters),
      },
    };
  });

  const body: ChatCompletionCreateParamsNonStreaming = { model: options.model, messages };
  if (tools.length > 0) body.tools = tools;
  if (request.output) {
    const schema = apiSchema(request.output.schema);
    body.response_format = {
      type: 'json_schema',
      json_schema: { name: schemaName(request.output.name), schema, strict: isStrictCompatible(schema) },
    };
  }
  if (request.maxOutputTokens !== undefined) body[options.maxTokensParameter] = request.maxOutputTokens;
  if (request.temperature !== undefined) body.temperature = request.temperature;
  return { body, names };
}

/** The API's finish reason in our terms (anything unknown is `other`). */
export function toFinishReason(reason: string | null | undefined): FinishReason {
  switch (reason) {
    case 'stop':
    case 'length':
    case 'content_filter':
    case 'tool_calls':
      return reason;
    case 'function_call':
      return 'tool_calls';
    default:
      return 'other';
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Reads one tool call. Arguments that are not a JSON object are not an error of the call: they
 * come back as `{}` with the raw text in `invalidArguments`, for the loop to ask for a repair.
 */
function toToolCall(id: string, apiName: string, rawArguments: string, names: ToolNameMap): ModelToolCall {
  const name = names.fromApi(apiName);
  // An empty string is how some servers send "no arguments".
  const parsed = rawArguments.trim() === '' ? {} : parseJsonAnswer(rawArguments);
  return isPlainObject(parsed)
    ? { id, name, arguments: parsed }
    : { id, name, arguments: {}, invalidArguments: rawArguments };
}

export interface ResponseMappingContext {
  request: ModelRequest;
  names: ToolNameMap;
  provider: string;
  /** The configured model, reported when the server does not say which model answered. */
  model: string;
}

/**
 * The ModelResponse for a completion: tool calls (names mapped back, bad arguments flagged) or a
 * final answer (parsed as JSON when the request asked for structured output), with usage.
 */
export function fromChatCompletion(
  completion: ChatCompletion,
  context: ResponseMappingContext,
): ModelResponse {
  const { request, names } = context;
  const choice = completion.choices?.[0];
  if (choice === undefined) {
    // The transport refuses such bodies already (retryable); this keeps the rule for any caller.
    throw unreadableAnswerError({ problem: 'a completion without choices', responseId: completion.id });
  }
  const message = choice.message;
  const finishReason = toFinishReason(choice.finish_reason);
  const base = {
    provider: context.provider,
    model: completion.model || context.model,
    ...(completion.id ? { responseId: completion.id } : {}),
    finishReason,
  };

  const toolCalls = (message.tool_calls ?? []).flatMap((call) =>
    call.type === 'function' ? [toToolCall(call.id, call.function.name, call.function.arguments, names)] : [],
  );
  // A refusal (structured outputs) is the model's answer, not a transport failure: pass it on as text.
  const text = message.content ?? message.refusal ?? '';
  // Some OpenAI-compatible servers omit usage: then count it ourselves, so budgets still hold.
  // What a server reports is checked before it can reach a budget (see usage.ts).
  const usage = checkedUsage(
    {
      inputTokens: completion.usage?.prompt_tokens ?? countRequestTokens(request),
      outputTokens: completion.usage?.completion_tokens ?? countResponseTokens({ text, toolCalls }),
    },
    request,
    { provider: context.provider, model: base.model },
  );

  if (toolCalls.length > 0) {
    return { ...base, usage, kind: 'tool_calls', toolCalls, ...(text === '' ? {} : { text }) };
  }
  return {
    ...base,
    usage,
    kind: 'final',
    text,
    ...(request.output === undefined ? {} : { output: message.refusal ? undefined : parseJsonAnswer(text) }),
  };
}
