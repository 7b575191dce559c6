/**
 * Failure texts that reach status outputs, which any caller with a key can read: messages
 * without stack frames (stacks, with file paths, go to the log only).
 */

/**
 * A failure message without stack frames: the SDK appends a task's Details to its error message,
 * and code may put a stack into its own message. Status outputs are readable by any caller.
 */
export { withoutStack } from '../../domain/without-stack';

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}
