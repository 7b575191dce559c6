import { ValidationError } from './errors';

/**
 * Call-level idempotency keys (idempotency layer 2 in docs/architecture.md). Pure and deterministic: a replayed
 * orchestration derives the same key for the same step, so a repeated `callTool` is recognised.
 */

const PREFIX = 'toolcall:';
/** The bookings tools accept up to 200 characters; Cosmos ids up to 255. */
const MAX_KEY_LENGTH = 200;

/**
 * The key of the tool call made by `stepId` of orchestration `instanceId`, e.g.
 * `toolcall:trip-42:book/flight` → `toolcall:trip-42:book@2Fflight`.
 *
 * Both parts are escaped so the key only uses `[A-Za-z0-9._:@-]` (valid as a tool argument, a
 * Cosmos id and a log field) and stays injective: `:` only ever separates the parts. A key that
 * would exceed 200 characters keeps a readable prefix and ends in a digest of the full key.
 */
export function toolCallKey(instanceId: string, stepId: string): string {
  if (instanceId.length === 0) throw new ValidationError('toolCallKey: instanceId must not be empty.');
  if (stepId.length === 0) throw new ValidationError('toolCallKey: stepId must not be empty.');
  const key = `${PREFIX}${escapePart(instanceId)}:${escapePart(stepId)}`;
  if (key.length <= MAX_KEY_LENGTH) return key;
  const digest = `-h${fnv1a32(key, 0x811c9dc5)}${fnv1a32(key, 0x050c5d1f)}`;
  return `${key.slice(0, MAX_KEY_LENGTH - digest.length)}${digest}`;
}

/** Percent-encoding with `@` for `%`: every byte outside `[A-Za-z0-9._-]` becomes `@XX`. */
function escapePart(part: string): string {
  return encodeURIComponent(part)
    .replace(/[!'()*~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%/g, '@');
}

/** FNV-1a over UTF-16 code units: tiny, pure, and enough to keep truncated keys apart. */
function fnv1a32(text: string, seed: number): string {
  let hash = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The key of an agent turn's record in the transcript journal: turn `turn` of conversation
 * `conversationId` (an orchestration instance id). Same escaping and length rule as `toolCallKey`.
 */
export function agentTurnKey(conversationId: string, turn: number): string {
  if (!Number.isInteger(turn) || turn < 0)
    throw new ValidationError('agentTurnKey: turn must be a whole number ≥ 0.');
  return toolCallKey(conversationId, `turn/${turn}`).replace(/^toolcall:/, 'agentturn:');
}
