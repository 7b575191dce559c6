/**
 * Waiting for a person, durably: the run publishes what it needs, then waits for an external
 * event raced against a durable timer. Used for missing facts (`input`) and for approval before
 * side effects (`approval`). The timer is cancelled when the event wins, so it leaves the queue.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { traceWait } from './run-telemetry';

export type HumanReply<T> = { kind: 'reply'; value: T } | { kind: 'timeout' };

/**
 * Waits for `eventName` until `timeoutMs` from now. The caller sets its custom status (what it
 * is waiting for and until when) before calling, so the API can answer 409 to a wrong event.
 */
export function* waitForHuman<T>(
  context: OrchestrationContext,
  eventName: string,
  timeoutMs: number,
): Generator<Task, HumanReply<T>, unknown> {
  const deadline = new Date(context.df.currentUtcDateTime.getTime() + timeoutMs);
  // A `wait {event}` span with its outcome; the request that answers hangs under it.
  const ended = traceWait(context, eventName, deadline);
  const timer = context.df.createTimer(deadline);
  const event = context.df.waitForExternalEvent(eventName);
  const winner = yield context.df.Task.any([event, timer]);
  if (winner === event) {
    timer.cancel();
    ended('reply');
    return { kind: 'reply', value: event.result as T };
  }
  ended('timeout');
  return { kind: 'timeout' };
}

/** When a wait that starts now ends, as ISO text for the status. */
export function deadlineFrom(context: OrchestrationContext, timeoutMs: number): string {
  return new Date(context.df.currentUtcDateTime.getTime() + timeoutMs).toISOString();
}
