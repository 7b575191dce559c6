import { describe, expect, it } from 'vitest';
import { readAtMost } from '../../src/bounded-read';

/** A stream of `count` chunks of `size` bytes that records whether the reader cancelled it. */
function chunks(count: number, size: number) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (seen.pulled === count) return controller.close();
      seen.pulled += 1;
      controller.enqueue(new Uint8Array(size).fill(120));
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

describe('reading a body with a size cap', () => {
  it('returns every byte of a body within the cap, and nothing for no body', async () => {
    const { stream } = chunks(3, 100);
    expect((await readAtMost(stream, 300, () => new Error('too large'))).length).toBe(300);
    expect((await readAtMost(null, 10, () => new Error('too large'))).length).toBe(0);
  });

  it('stops at the first chunk past the cap, cancels the stream and throws what the caller made', async () => {
    const { stream, seen } = chunks(1_000, 1_024);
    const error = await readAtMost(stream, 4_096, (received) => new RangeError(`got ${received}`)).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RangeError);
    expect((error as Error).message).toBe('got 5120');
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(10);
  });
});
