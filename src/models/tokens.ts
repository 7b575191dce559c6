/**
 * Token counting with the real tokenizer (`o200k_base`, the encoding of gpt-4o, the gpt-4.1
 * family, o-series and gpt-5 models; through gpt-tokenizer, pure JavaScript with its rank table
 * inside the package), so token budgets mean the same thing offline as against a hosted model.
 * Counts are close to, not exactly, what the API bills: the API wraps messages and tool
 * definitions in its own framing, which we approximate with a few tokens per message (as OpenAI's
 * own counting guide does).
 *
 * Byte-pair merging costs time quadratic in the length of one pre-tokenized piece, and a run of
 * letters, CJK characters, symbols or spaces with nothing else in it is one piece: 20,000 such
 * characters took 30 s. So text is counted in segments cut inside such runs every
 * MAX_RUN_CHARACTERS characters, which makes counting linear. Ordinary text (no run that long) is
 * counted exactly; a cut inside a long run can change the count by a token or so per cut.
 */
import { createRequire } from 'node:module';
import type { ChatMessage, ModelRequest, ModelToolCall } from './types';

/** The tokenizer encoding every count in this module uses. */
export const TOKEN_ENCODING = 'o200k_base';

/** The longest run of one character class handed to byte-pair merging in one piece. */
export const MAX_RUN_CHARACTERS = 128;

/** Framing tokens around each message (role markers, separators). */
const TOKENS_PER_MESSAGE = 3;
/** Tokens that prime the assistant's reply. */
const TOKENS_PER_REPLY = 3;
/** Framing around one tool call or tool definition beyond its name and JSON. */
const TOKENS_PER_TOOL_CALL = 3;

type Encoding = typeof import('gpt-tokenizer/encoding/o200k_base');

let encoding: Encoding | undefined;

/**
 * The encoding, loaded on first use and then shared by the whole process: loading its rank table
 * takes about half a second, so a process that never counts never pays for it.
 */
function tokenizer(): Encoding {
  encoding ??= createRequire(__filename)('gpt-tokenizer/encoding/o200k_base') as Encoding;
  return encoding;
}

/** Special-token markers such as `<|endoftext|>` are plain text here, never control tokens. */
const AS_PLAIN_TEXT = { allowedSpecial: new Set<string>(), disallowedSpecial: new Set<string>() };

/**
 * Runs the o200k pre-tokenizer keeps in one piece however long they are: letters (with their
 * combining marks), symbols and punctuation, white space. Digits are split in threes already.
 */
const LONG_RUN = new RegExp(
  `[\\p{L}\\p{M}]{${MAX_RUN_CHARACTERS + 1},}|[^\\s\\p{L}\\p{N}]{${MAX_RUN_CHARACTERS + 1},}|\\s{${MAX_RUN_CHARACTERS + 1},}`,
  'gu',
);

/** `text` cut inside every long run, every MAX_RUN_CHARACTERS characters (never inside a surrogate pair). */
export function tokenizerSegments(text: string): string[] {
  if (text.length <= MAX_RUN_CHARACTERS) return [text];
  const segments: string[] = [];
  let from = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    const end = match.index + match[0].length;
    for (let cut = match.index + MAX_RUN_CHARACTERS; cut < end; cut += MAX_RUN_CHARACTERS) {
      if (isLowSurrogate(text.charCodeAt(cut))) cut++;
      segments.push(text.slice(from, cut));
      from = cut;
    }
  }
  segments.push(text.slice(from));
  return segments;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Counts of texts seen lately. An agent's every turn counts its whole request again: the same
 * instructions, tool definitions, schema and earlier messages, turn after turn and run after run.
 * Bounded by total characters held; the least recently used go first.
 */
const recentCounts = new Map<string, number>();
const RECENT_COUNTS_MAX_CHARACTERS = 4 * 1024 * 1024;
/** Shorter texts are counted again: a lookup would cost about as much. */
const RECENT_COUNTS_MIN_LENGTH = 64;
let recentCountsCharacters = 0;

/** Tokens in a piece of text (special-token markers count as the plain text they are). */
export function countTokens(text: string): number {
  if (text === '') return 0;
  if (text.length < RECENT_COUNTS_MIN_LENGTH || text.length > RECENT_COUNTS_MAX_CHARACTERS / 4)
    return countFresh(text);
  const known = recentCounts.get(text);
  if (known !== undefined) {
    recentCounts.delete(text);
    recentCounts.set(text, known);
    return known;
  }
  const count = countFresh(text);
  recentCounts.set(text, count);
  recentCountsCharacters += text.length;
  for (const oldest of recentCounts.keys()) {
    if (recentCountsCharacters <= RECENT_COUNTS_MAX_CHARACTERS) break;
    recentCounts.delete(oldest);
    recentCountsCharacters -= oldest.length;
  }
  return count;
}

function countFresh(text: string): number {
  const encoder = tokenizer();
  let total = 0;
  for (const segment of tokenizerSegments(text)) total += encoder.countTokens(segment, AS_PLAIN_TEXT);
  return total;
}

/** The first `maxTokens` tokens of `text`, decoded back to text (how a `length` cut-off reads). */
export function truncateToTokens(text: string, maxTokens: number): string {
  const encoder = tokenizer();
  const limit = Math.max(0, maxTokens);
  let tokens: number[] = [];
  for (const segment of tokenizerSegments(text)) {
    tokens = tokens.concat(encoder.encode(segment, AS_PLAIN_TEXT));
    if (tokens.length > limit) return encoder.decode(tokens.slice(0, limit));
  }
  return text;
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
