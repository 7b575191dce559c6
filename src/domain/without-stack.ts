/**
 * Text that leaves the process (status outputs, trace answers) carries no stack frames: they hold
 * file paths and internals, and belong in the log only.
 */
export function withoutStack(message: string): string {
  return message
    .split('\n')
    .filter((line) => !/^\s*at\s/.test(line))
    .join('\n')
    .trim();
}
