/**
 * Message content in the shape the OpenTelemetry GenAI conventions define for
 * `gen_ai.input.messages`, `gen_ai.output.messages` and `gen_ai.system_instructions` (their input
 * and output messages JSON schemas): a message is `{role, parts}`, a part `{type: 'text',
 * content}`, `{type: 'tool_call', id, name, arguments}` or `{type: 'tool_call_response', id,
 * response}`; an output message also has its `finish_reason`. Recorded only with content capture
 * on (see `captureMessageContent`).
 */

export type GenAiPart =
  | { type: 'text'; content: string }
  | { type: 'tool_call'; id: string | null; name: string; arguments: unknown }
  | { type: 'tool_call_response'; id: string | null; response: unknown };

export interface GenAiMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  parts: GenAiPart[];
  name?: string;
}

export interface GenAiOutputMessage extends GenAiMessage {
  finish_reason: string;
}

/** The chat messages Waypoint sends a model (structurally: models/types.ts ChatMessage). */
export type ChatLikeMessage =
  | { role: 'user'; content: string }
  | {
      role: 'assistant';
      content: string | null;
      toolCalls?: readonly { id: string; name: string; arguments: unknown }[];
    }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

/** A tool result as the model read it: parsed when it is JSON, the text otherwise. */
function responseValue(content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return content;
  }
}

const text = (content: string | null | undefined): GenAiPart[] =>
  content ? [{ type: 'text', content }] : [];

/** Every message the model was sent, in order, as `gen_ai.input.messages`. */
export function genAiInputMessages(messages: readonly ChatLikeMessage[]): GenAiMessage[] {
  return messages.map((message): GenAiMessage => {
    switch (message.role) {
      case 'user':
        return { role: 'user', parts: text(message.content) };
      case 'assistant':
        return {
          role: 'assistant',
          parts: [
            ...text(message.content),
            ...(message.toolCalls ?? []).map(
              (call): GenAiPart => ({
                type: 'tool_call',
                id: call.id,
                name: call.name,
                arguments: call.arguments,
              }),
            ),
          ],
        };
      case 'tool':
        return {
          role: 'tool',
          name: message.name,
          parts: [
            { type: 'tool_call_response', id: message.toolCallId, response: responseValue(message.content) },
          ],
        };
    }
  });
}

/** The model's answer as `gen_ai.output.messages` (one choice). */
export function genAiOutputMessages(answer: {
  text?: string | null | undefined;
  toolCalls?: readonly { id: string; name: string; arguments: unknown }[] | undefined;
  finishReason: string;
}): GenAiOutputMessage[] {
  return [
    {
      role: 'assistant',
      parts: [
        ...text(answer.text),
        ...(answer.toolCalls ?? []).map(
          (call): GenAiPart => ({
            type: 'tool_call',
            id: call.id,
            name: call.name,
            arguments: call.arguments,
          }),
        ),
      ],
      finish_reason: answer.finishReason,
    },
  ];
}

/** System instructions as `gen_ai.system_instructions` (a list of parts). */
export function genAiSystemInstructions(instructions: string): GenAiPart[] {
  return text(instructions);
}
