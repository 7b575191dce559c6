/**
 * Token counting with the real tokenizer (js-tiktoken, `o200k_base`: the encoding of gpt-4o, the
 * gpt-4.1 family, o-series and gpt-5 models), so token budgets mean the same thing offline as
 * against a hosted model. Counts are close to, not exactly, what the API bills: the API wraps
 * messages and tool definitions in its own framing, which we approximate with a few tokens per
 * message (as OpenAI's own counting guide does).
 */
import { createRequire } from 'node:module';
import type { ChatMessage, ModelRequest, ModelToolCall } from './types';

/** The tokenizer encoding every count in this module uses. */
export const TOKEN_ENCODING = 'o200k_base';

/** Framing tokens around each message (role markers, separators). */
const TOKENS_PER_MESSAGE = 3;
/** Tokens that prime the assistant's reply. */
const TOKENS_PER_REPLY = 3;
/** Framing around one tool call or tool definition beyond its name and JSON. */
const TOKENS_PER_TOOL_CALL = 3;

/** The part of js-tiktoken's `Tiktoken` we use (its types are ESM-only, our build is CommonJS). */
interface Tiktoken {
  encode(text: string, allowedSpecial?: string[] | 'all', disallowedSpecial?: string[] | 'all'): number[];
  decode(tokens: number[]): string;
}
type TiktokenConstructor = new (ranks: unknown) => Tiktoken;

let encoder: Tiktoken | undefined;

/**
 * The encoder, built on first use and then shared by the whole process: building its rank tables
 * takes about half a second, so a process that never counts never pays for it.
 */
function tokenizer(): Tiktoken {
  if (encoder === undefined) {
    // js-tiktoken is an ES module package that also ships CommonJS builds; our CommonJS output
    // loads those, and only here: the ranks module alone is a 2 MB string.
    const load = createRequire(__filename);
    const { Tiktoken: TiktokenClass } = load('js-tiktoken/lite') as { Tiktoken: TiktokenConstructor };
    const ranks: unknown = load('js-tiktoken/ranks/o200k_base');
    encoder = new TiktokenClass(ranks);
  }
  return encoder;
}

/**
 * Tokens in a piece of text. Special-token markers such as `<|endoftext|>` are counted as the
 * plain text they are (user content must never be able to smuggle control tokens in).
 */
export function countTokens(text: string): number {
  return text === '' ? 0 : tokenizer().encode(text, [], []).length;
}

/** The first `maxTokens` tokens of `text`, decoded back to text (how a `length` cut-off reads). */
export function truncateToTokens(text: string, maxTokens: number): string {
  const tokens = tokenizer().encode(text, [], []);
  return tokens.length <= maxTokens ? text : tokenizer().decode(tokens.slice(0, Math.max(0, maxTokens)));
}

function countToolCalls(toolCalls: readonly Pick<ModelToolCall, 'name' | 'arguments'>[]): number {
  let total = 0;
  for (const call of toolCalls) {
    total += TOKENS_PER_TOOL_CALL + countTokens(call.name) + countTokens(JSON.stringify(call.arguments));
  }
  return total;
}

function countMessage(message: ChatMessage): number {
  let total = TOKENS_PER_MESSAGE + countTokens(message.role);
  switch (message.role) {
    case 'user':
      total += countTokens(message.content);
      break;
    case 'assistant':
      total += countTokens(message.content ?? '') + countToolCalls(message.toolCalls ?? []);
      break;
    case 'tool':
      total += countTokens(message.toolCallId) + countTokens(message.name) + countTokens(message.content);
      break;
  }
  return total;
}

/**
 * Input tokens of a request: the instructions (as the system message), every message, the tool
 * definitions as JSON and the output schema as JSON, plus the reply primer.
 */
export function countRequestTokens(request: ModelRequest): number {
  let total = TOKENS_PER_MESSAGE + countTokens('system') + countTokens(request.instructions);
  for (const message of request.messages) total += countMessage(message);
  if (request.tools.length > 0) {
    total += countTokens(JSON.stringify(request.tools)) + TOKENS_PER_TOOL_CALL * request.tools.length;
  }
  if (request.output) {
    total += countTokens(request.output.name) + countTokens(JSON.stringify(request.output.schema));
  }
  return total + TOKENS_PER_REPLY;
}

/** Output tokens of an answer: its text and its tool calls (name and JSON arguments). */
export function countResponseTokens(answer: {
  text?: string | null;
  toolCalls?: readonly Pick<ModelToolCall, 'name' | 'arguments'>[];
}): number {
  return countTokens(answer.text ?? '') + countToolCalls(answer.toolCalls ?? []);
}
