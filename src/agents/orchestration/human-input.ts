/**
 * Waiting for a person, durably: the run publishes what it needs, then waits for an external
 * event raced against a durable timer. Used for missing facts (`input`) and for approval before
 * side effects (`approval`). The timer is cancelled when the event wins, so it leaves the queue.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { traceWait } from './run-telemetry';

export type HumanReply<T> =
  | { kind: 'reply'; value: T; ignored: number }
  | { kind: 'timeout'; ignored: number };

/**
 * Waits for `eventName` until `timeoutMs` from now. The caller sets its custom status (what it
 * is waiting for and until when) before calling, so the API can answer 409 to a wrong event.
 *
 * `accept` says whether an event answers this wait: one that does not (a repeat of an earlier
 * answer, an approval of a quote that has since changed) is dropped — never consumed as the
 * answer to a later question — and the wait goes on until the same deadline. `ignored` counts
 * the dropped events.
 */
export function* waitForHuman<T>(
  context: OrchestrationContext,
  eventName: string,
  timeoutMs: number,
  accept: (value: T) => boolean = () => true,
): Generator<Task, HumanReply<T>, unknown> {
  const deadline = new Date(context.df.currentUtcDateTime.getTime() + timeoutMs);
  // A `wait {event}` span with its outcome; the request that answers hangs under it.
  const ended = traceWait(context, eventName, deadline);
  for (let ignored = 0; ; ignored++) {
    // A fresh timer each round: a timer task belongs to the one Task.any that scheduled it.
    const timer = context.df.createTimer(deadline);
    const event = context.df.waitForExternalEvent(eventName);
    const winner = yield context.df.Task.any([event, timer]);
    if (winner !== event) {
      ended('timeout');
      return { kind: 'timeout', ignored };
    }
    timer.cancel();
    const value = event.result as T;
    if (accept(value)) {
      ended('reply');
      return { kind: 'reply', value, ignored };
    }
  }
}

/** When a wait that starts now ends, as ISO text for the status. */
export function deadlineFrom(context: OrchestrationContext, timeoutMs: number): string {
  return new Date(context.df.currentUtcDateTime.getTime() + timeoutMs).toISOString();
}
