/**
 * What a chat.completions server sends back, read with a size cap and checked before the client
 * parses it. A body over the cap is never read whole (memory stays bounded, nothing is kept); a
 * 2xx body that is not a completion — an HTML page from a proxy or a gateway, text, JSON without
 * `choices` — is a retryable failure: such answers come from a layer in front of the model that
 * is briefly unwell, and the same request usually succeeds on the next attempt.
 */
import { readAtMost } from '../bounded-read';
import { WaypointError } from '../domain/errors';

/** Thrown when the body is over the cap: permanent, the answer is neither used nor kept. */
export function answerTooLargeError(details: Record<string, unknown>): WaypointError {
  return new WaypointError(
    'model_answer_too_large',
    'The AI model sent back far more than an answer can be, so it was not used.',
    { retryable: false, details },
  );
}

/** Thrown for a 2xx body that is not a chat completion: retryable. */
export function unreadableAnswerError(details: Record<string, unknown>): WaypointError {
  return new WaypointError('model_bad_response', 'The AI model service sent an answer we could not read.', {
    retryable: true,
    details,
  });
}

/** The body as text, or a `model_answer_too_large` error as soon as it passes `maxBytes`. */
export async function readBoundedText(response: Response, maxBytes: number): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw answerTooLargeError({ status: response.status, contentLength: declared, maxBytes });
  }
  const bytes = await readAtMost(
    response.body as ReadableStream<Uint8Array> | null,
    maxBytes,
    (receivedBytes) => answerTooLargeError({ status: response.status, receivedBytes, maxBytes }),
  );
  return bytes.toString('utf8');
}

/**
 * Why a 2xx body is not a usable chat completion, or undefined when it is one: parseable JSON
 * (whatever the content type says) with a non-empty `choices` array.
 */
export function completionBodyProblem(text: string): string | undefined {
  const start = text.trimStart().slice(0, 64).toLowerCase();
  if (start.startsWith('<')) {
    return 'an HTML or XML page instead of JSON';
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text.trim() === '' ? 'an empty body' : 'a body that is not JSON';
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    return 'JSON that is not an object';
  const choices = (parsed as { choices?: unknown }).choices;
  if (!Array.isArray(choices) || choices.length === 0) return 'a completion without choices';
  return undefined;
}

/** The first characters of a body, printable only, for the error details. */
export function bodySnippet(text: string, length = 160): string {
  return Array.from(text.slice(0, length * 2))
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .slice(0, length);
}
