/**
 * The inverse of src/models/openai-mapping.ts for test servers: a chat.completions request body
 * back to the ModelRequest our provider built it from. The agent is the one whose instructions
 * equal the system message; tool names go back through the same ToolNameMap the provider used
 * (`flights_search_flights` → `flights.search_flights`); tool messages get their tool's name from
 * the assistant call they answer. Pure: no I/O, so a fake model server can trust it and a unit
 * test could check it without one.
 */
import { z } from 'zod';
import { ToolNameMap } from '../../src/models/tool-names';
import type { ChatMessage, ModelRequest, ModelToolCall, ModelToolDefinition } from '../../src/models/types';

const toolCallSchema = z.object({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

const messageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: z.string() }),
  z.object({ role: z.literal('user'), content: z.string() }),
  z.object({
    role: z.literal('assistant'),
    content: z.string().nullish(),
    tool_calls: z.array(toolCallSchema).optional(),
  }),
  z.object({ role: z.literal('tool'), tool_call_id: z.string().min(1), content: z.string() }),
]);

/** The part of a chat.completions request our provider sends (unknown fields are ignored). */
export const chatCompletionRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(messageSchema).min(1),
  tools: z
    .array(
      z.object({
        type: z.literal('function'),
        function: z.object({
          name: z.string().min(1),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()).optional(),
        }),
      }),
    )
    .optional(),
  response_format: z
    .object({
      type: z.literal('json_schema'),
      json_schema: z.object({ name: z.string().min(1), schema: z.record(z.string(), z.unknown()) }),
    })
    .optional(),
  max_tokens: z.number().int().positive().optional(),
  max_completion_tokens: z.number().int().positive().optional(),
  temperature: z.number().optional(),
  stream: z.literal(false).optional(),
});
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;

/** An agent as the fake needs to know it: its name, its system prompt, the tools it may call. */
export interface KnownAgent {
  name: string;
  instructions: string;
  tools: readonly string[];
}

/** A request this mapping cannot read back; `status` is the HTTP answer it deserves. */
export class UnreadableRequestError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 404 = 400,
  ) {
    super(message);
    this.name = 'UnreadableRequestError';
  }
}

/** The request and the name map to write the answer's tool calls with. */
export interface RecoveredRequest {
  request: ModelRequest;
  names: ToolNameMap;
}

/** Arguments as the model wrote them: a JSON object, or `{}` with the raw text kept aside. */
function toolCallOf(call: z.infer<typeof toolCallSchema>, names: ToolNameMap): ModelToolCall {
  const name = names.fromApi(call.function.name);
  let parsed: unknown;
  try {
    parsed = call.function.arguments.trim() === '' ? {} : JSON.parse(call.function.arguments);
  } catch {
    parsed = undefined;
  }
  return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
    ? { id: call.id, name, arguments: parsed as Record<string, unknown> }
    : { id: call.id, name, arguments: {}, invalidArguments: call.function.arguments };
}

/**
 * Reads a validated chat.completions body back into the ModelRequest it was made from, for the
 * agent among `agents` whose instructions are the system message.
 */
export function toModelRequest(body: ChatCompletionRequest, agents: readonly KnownAgent[]): RecoveredRequest {
  const [system, ...rest] = body.messages;
  if (system?.role !== 'system')
    throw new UnreadableRequestError('The first message must be the system prompt.');
  const agent = agents.find((candidate) => candidate.instructions === system.content);
  if (!agent) {
    throw new UnreadableRequestError(
      `No known agent has this system prompt (known: ${agents.map((a) => a.name).join(', ')}).`,
      404,
    );
  }
  // The provider built its map from the offered tools first; the agent's allow-list is that set.
  const names = new ToolNameMap(agent.tools);

  const callNames = new Map<string, string>();
  const messages: ChatMessage[] = [];
  for (const message of rest) {
    switch (message.role) {
      case 'system':
        throw new UnreadableRequestError('Only the first message may be a system prompt.');
      case 'user':
        messages.push({ role: 'user', content: message.content });
        break;
      case 'assistant': {
        const toolCalls = (message.tool_calls ?? []).map((call) => toolCallOf(call, names));
        for (const call of toolCalls) callNames.set(call.id, call.name);
        messages.push({
          role: 'assistant',
          content: message.content ?? null,
          ...(toolCalls.length > 0 ? { toolCalls } : {}),
        });
        break;
      }
      case 'tool': {
        const name = callNames.get(message.tool_call_id);
        if (name === undefined) {
          throw new UnreadableRequestError(`Tool message for unknown call "${message.tool_call_id}".`);
        }
        messages.push({ role: 'tool', toolCallId: message.tool_call_id, name, content: message.content });
        break;
      }
    }
  }

  const tools: ModelToolDefinition[] = (body.tools ?? []).map((tool) => ({
    name: names.fromApi(tool.function.name),
    description: tool.function.description ?? '',
    parameters: tool.function.parameters ?? { type: 'object', properties: {} },
  }));
  const maxOutputTokens = body.max_completion_tokens ?? body.max_tokens;
  const request: ModelRequest = {
    agent: agent.name,
    instructions: system.content,
    messages,
    tools,
    ...(body.response_format
      ? {
          output: {
            name: body.response_format.json_schema.name,
            schema: body.response_format.json_schema.schema,
          },
        }
      : {}),
    ...(maxOutputTokens === undefined ? {} : { maxOutputTokens }),
    ...(body.temperature === undefined ? {} : { temperature: body.temperature }),
  };
  return { request, names };
}

/** Which turn of its conversation a request is: the number of assistant messages before it. */
export function turnOf(request: ModelRequest): number {
  return request.messages.filter((message) => message.role === 'assistant').length;
}
