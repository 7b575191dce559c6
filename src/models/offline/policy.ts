/**
 * What an offline policy is: a pure, deterministic function from a model request to the decision
 * a model would make for that agent. The application registers one per agent role (the travel
 * policies live in src/travel/); the engine (offline-model.ts) turns decisions into responses.
 * Also a few readers of the request that most policies need.
 */
import type { ModelRequest } from '../types';

/** A tool call a policy decides on; the engine gives it its id. */
export interface OfflineToolCall {
  /** Qualified tool name, one of `request.tools`. */
  name: string;
  arguments: Record<string, unknown>;
}

/**
 * A policy's decision: call tools (optionally with a short preamble), give the structured final
 * answer (`output`, serialized to JSON as a model would write it), or answer in plain text.
 */
export type OfflineDecision =
  | { toolCalls: readonly OfflineToolCall[]; text?: string }
  | { output: unknown }
  | { text: string };

/**
 * Decides one turn for one agent. Must be deterministic (same request, same decision) and pure:
 * it may not read the clock, the environment or the network. Throwing a WaypointError surfaces
 * that error as the model's; any other throw becomes a permanent `model_error`.
 */
export type OfflinePolicy = (request: ModelRequest) => OfflineDecision;

/** Agent role → its policy. */
export type OfflinePolicies = Readonly<Record<string, OfflinePolicy>>;

/** The text of the latest user message, or undefined when there is none. */
export function latestUserText(request: ModelRequest): string | undefined {
  for (let index = request.messages.length - 1; index >= 0; index--) {
    const message = request.messages[index];
    if (message.role === 'user') return message.content;
  }
  return undefined;
}

/** A tool's answer in the transcript, with the call that asked for it. */
export interface ToolExchange {
  toolCallId: string;
  name: string;
  arguments: Record<string, unknown>;
  /** The tool message's content, as the agent loop wrote it. */
  content: string;
}

/**
 * Every tool call in the transcript that has an answer, in order: what a policy has learnt so
 * far. Calls without an answer (yet) are left out.
 */
export function toolExchanges(request: ModelRequest): ToolExchange[] {
  const calls = new Map<string, { name: string; arguments: Record<string, unknown> }>();
  const exchanges: ToolExchange[] = [];
  for (const message of request.messages) {
    if (message.role === 'assistant') {
      for (const call of message.toolCalls ?? []) calls.set(call.id, call);
    } else if (message.role === 'tool') {
      const call = calls.get(message.toolCallId);
      exchanges.push({
        toolCallId: message.toolCallId,
        name: call?.name ?? message.name,
        arguments: call?.arguments ?? {},
        content: message.content,
      });
    }
  }
  return exchanges;
}
