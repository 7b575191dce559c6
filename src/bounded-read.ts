/**
 * Reading a body stream with a size cap enforced while reading: past the cap the stream is
 * cancelled and the caller's error thrown, so a huge body is never buffered whole. Shared by the
 * trips API's request bodies and the model provider's answers.
 */

/** The body's bytes, or `tooLarge(bytesReceivedSoFar)` thrown as soon as they pass `maxBytes`. */
export async function readAtMost(
  body: ReadableStream<Uint8Array> | null,
  maxBytes: number,
  tooLarge: (receivedBytes: number) => Error,
): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(size);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
