/** Waiting for a condition instead of sleeping: polls until it holds, or fails saying what it waited for. */

/**
 * Resolves with the first truthy value of `probe`, polled every `intervalMs`; rejects after
 * `timeoutMs` with `what` and the last value seen (`describe` formats it).
 */
export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options: { timeoutMs?: number; intervalMs?: number; describe?: () => string } = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs} ms waiting for ${what}${options.describe ? `: ${options.describe()}` : ''}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 50));
  }
}
