/**
 * The one interface every model sits behind. An agent turn sends the agent's
 * instructions, the conversation so far, the tools it may call and, for its final answer, the
 * JSON Schema of the structured output; the model answers with tool calls or a final answer, and
 * always with its token usage. The durable agent loop (src/agents) drives the turns; a provider
 * makes exactly one model call per `complete` (its own transport retries aside).
 *
 * Errors: a provider throws a WaypointError. Retryable ones (429, 5xx, timeouts, connection
 * errors) carry `retryable: true` and `retryAfterMs` when the server said; permanent ones (bad
 * request, auth, content filter, unknown model) carry `retryable: false` and code `model_error`.
 */

/** A tool the model may call; `name` is the tool's qualified name, e.g. `flights.search_flights`. */
export interface ModelToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

export interface ModelToolCall {
  /** The model's id for the call (`call_…`); a tool result answers it by this id. */
  id: string;
  /** Qualified tool name, as offered in `ModelRequest.tools`. */
  name: string;
  arguments: Record<string, unknown>;
  /**
   * Set when the model's arguments were not a JSON object: the raw text it wrote (`arguments` is
   * then `{}`). The loop should answer this call with an error asking for valid JSON arguments,
   * not run the tool.
   */
  invalidArguments?: string;
}

export type ChatMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: ModelToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

export interface ModelRequest {
  /** The agent's role (`router`, `flights`, `supervisor`, …): offline policies dispatch on it, traces name it. */
  agent: string;
  /** The system prompt. */
  instructions: string;
  messages: readonly ChatMessage[];
  tools: readonly ModelToolDefinition[];
  /** When set, the final answer must be one JSON value matching this schema (structured output). */
  output?: { name: string; schema: Record<string, unknown> };
  maxOutputTokens?: number;
  temperature?: number;
}

export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
}

export type FinishReason = 'stop' | 'tool_calls' | 'length' | 'content_filter' | 'other';

interface ModelResponseBase {
  /** `gen_ai.provider.name`: `openai`, `azure.ai.openai`, `ollama`, `waypoint.offline`, `waypoint.scripted`. */
  provider: string;
  /** The model that answered (`gen_ai.response.model`). */
  model: string;
  responseId?: string;
  usage: TokenUsage;
  finishReason: FinishReason;
}

export type ModelResponse = ModelResponseBase &
  (
    | { kind: 'tool_calls'; toolCalls: ModelToolCall[]; text?: string }
    | {
        kind: 'final';
        /** The answer as the model wrote it. */
        text: string;
        /**
         * With `request.output`: the answer parsed as JSON, or undefined when it is not JSON.
         * The caller validates it against its zod schema (and asks for a repair when it fails).
         */
        output?: unknown;
      }
  );

export interface ModelCallOptions {
  signal?: AbortSignal;
}

export interface ModelProvider {
  /** `gen_ai.provider.name` of this provider. */
  readonly provider: string;
  /** The requested model (`gen_ai.request.model`); a deployment name for Azure OpenAI. */
  readonly model: string;
  complete(request: ModelRequest, options?: ModelCallOptions): Promise<ModelResponse>;
}
