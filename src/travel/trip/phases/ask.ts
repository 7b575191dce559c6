/**
 * Asking the traveller for what is missing: one question for every issue, published as
 * `needs_input` with its round and deadline, answered by an `input` event. An answer names the
 * round it answers (`{round, fields}`); a repeat of an earlier answer is dropped, never consumed
 * as the answer to a later question. An answer that is not valid fields leaves the facts as they
 * were, so the next check asks again.
 */
import type { Issue } from '../../../agents/contracts';
import { deadlineFrom, waitForHuman } from '../../../agents/orchestration/human-input';
import { RUN_EVENTS } from '../../../agents/run-status';
import { tripInputBodySchema, type TripFields } from '../../schemas';
import { questionFor } from '../../validate-facts';
import type { Gen, TripRun } from '../trip-run';

export type Answer = { kind: 'answer'; fields: TripFields } | { kind: 'timeout' };

/** The event's round, when it names one. */
function roundOf(value: unknown): number | undefined {
  const round = (value as { round?: unknown } | null)?.round;
  return typeof round === 'number' ? round : undefined;
}

/** `{round, fields}`, or (from older clients) the fields themselves. */
function fieldsOf(value: unknown): unknown {
  const v = value as { round?: unknown; fields?: unknown } | null;
  return v && typeof v === 'object' && 'fields' in v ? v.fields : value;
}

export function* askTraveller(trip: TripRun, issues: readonly Issue[]): Gen<Answer> {
  const { context, frame, input } = trip;
  const { tracker } = frame;
  const round = ++trip.questionRound;
  const now = frame.now();
  // The question expires with its timeout or with the wall-time budget, whichever is first.
  const wallLeft = tracker.limits.wallTimeMs - (now.getTime() - tracker.startedAtMs);
  const waitMs = Math.max(1, Math.min(input.inputTimeoutMs, wallLeft + 1));
  frame.status.needsInput = {
    fields: [...issues],
    question: questionFor(issues),
    expiresAt: deadlineFrom(context, waitMs),
    round,
  };
  frame.publish('needs_input');
  const reply = yield* waitForHuman<unknown>(context, RUN_EVENTS.input, waitMs, (value) => {
    const answered = roundOf(value);
    return answered === undefined || answered === round;
  });
  delete frame.status.needsInput;
  if (reply.ignored > 0) tracker.decide('input.repeat_ignored', frame.now(), { round, count: reply.ignored });
  if (reply.kind === 'timeout') {
    tracker.check(frame.now());
    tracker.decide('input.timeout', frame.now(), { round });
    return { kind: 'timeout' };
  }
  const parsed = tripInputBodySchema.safeParse(fieldsOf(reply.value));
  frame.publish('running');
  return { kind: 'answer', fields: parsed.success ? parsed.data : {} };
}

/**
 * Question round `round`: asked if the run has rounds left, else the run ends `missing_input`;
 * no answer before the question expires ends it `input_timeout`. The fields answered, or undefined
 * once the run has ended.
 */
export function* askWithinRounds(
  trip: TripRun,
  issues: readonly Issue[],
  round: number,
): Gen<{ fields: TripFields } | undefined> {
  const { frame, input } = trip;
  if (round > input.maxInputRounds) {
    frame.finish('failed', {
      error: {
        code: 'missing_input',
        message: `Still missing after ${input.maxInputRounds} question(s).`,
        details: [...issues],
      },
    });
    return undefined;
  }
  const reply = yield* askTraveller(trip, issues);
  if (reply.kind === 'timeout') {
    frame.finish('failed', {
      error: {
        code: 'input_timeout',
        message: 'No answer came before the question expired.',
        details: [...issues],
      },
    });
    return undefined;
  }
  return { fields: reply.fields };
}
