/**
 * Reading a JSON request body safely: a JSON content type (415 otherwise, checked before anything
 * is read), a size limit enforced while reading (413 past it, without buffering the rest), and
 * JSON syntax (400). Whatever the client sends, the answer is a 4xx, never a 5xx.
 */
import { readAtMost } from '../../bounded-read';
import { ApiError } from './errors';

/** The trips API's body limit (requests are small; a bigger one is a mistake or abuse). */
export const MAX_BODY_BYTES = 64 * 1024;

export interface BodySource {
  headers: { get(name: string): string | null };
  body: ReadableStream<Uint8Array> | null;
}

/**
 * 415 unless the request says its body is JSON. A missing content type is refused too: a browser
 * sends a cross-site POST without one (or as a form, or text/plain) with no CORS preflight, so
 * requiring JSON is what makes every cross-site state change ask the server first.
 */
export function requireJsonContent(headers: BodySource['headers']): void {
  const type = headers.get('content-type');
  if (type === null || !isJsonType(type)) {
    throw new ApiError(
      415,
      'unsupported_media_type',
      'Send the body as JSON (Content-Type: application/json).',
    );
  }
}

/**
 * The parsed JSON body, or `undefined` for an empty one when `optional`. The request must say
 * it is JSON (see `requireJsonContent`), even when the body may be empty.
 */
export async function readJsonBody(
  request: BodySource,
  options: { maxBytes?: number; optional?: boolean } = {},
): Promise<unknown> {
  requireJsonContent(request.headers);
  const maxBytes = options.maxBytes ?? MAX_BODY_BYTES;
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && Number(declared) > maxBytes) throw tooLarge(maxBytes);

  const text = await readText(request.body, maxBytes);
  if (text.trim() === '') {
    if (options.optional) return undefined;
    throw new ApiError(400, 'validation_failed', 'The request body is empty; send a JSON object.', [
      { path: '$', issue: 'required' },
    ]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApiError(
      400,
      'invalid_json',
      `The request body is not valid JSON: ${(error as Error).message.slice(0, 200)}`,
    );
  }
}

function isJsonType(contentType: string): boolean {
  const mediaType = contentType.split(';')[0].trim().toLowerCase();
  return mediaType === 'application/json' || /^application\/[\w.+-]+\+json$/.test(mediaType);
}

async function readText(body: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<string> {
  const bytes = await readAtMost(body, maxBytes, () => tooLarge(maxBytes));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, 'invalid_json', 'The request body is not valid UTF-8.');
  }
}

function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, 'payload_too_large', `The request body is larger than ${maxBytes} bytes.`);
}
