/**
 * The `tripPlanner` orchestration: the travel application, as its phases. Each phase is a
 * `function*` of its own (src/travel/trip/phases) that either hands the run on or ends it:
 *
 *   understand → (a single question: answer it) → research → review → quote → compose → checkout
 *
 * Deterministic: time from `context.df.currentUtcDateTime`, everything else from the input and
 * activity results. Money comes from the tool servers only, and nothing is booked without the
 * traveller's approval of the exact quote.
 */
import type { OrchestrationContext } from 'durable-functions';
import { RunFrame } from '../../agents/run-frame';
import { tripPlannerInputSchema } from '../planner-input';
import type { TripResult, TripStatus } from '../schemas';
import { answerQuestion } from './phases/answer-question';
import { checkout } from './phases/checkout';
import { compose } from './phases/compose';
import { quoteTrip } from './phases/quote';
import { briefsFor } from './briefs';
import { research } from './phases/research';
import { review } from './phases/review';
import { understand } from './phases/understand';
import type { Gen, TripRun } from './trip-run';

export function* tripPlanner(context: OrchestrationContext): Gen<TripStatus> {
  const input = tripPlannerInputSchema.parse(context.df.getInput());
  const frame = new RunFrame<TripStatus, TripResult>(context, input, 'travel');
  const trip: TripRun = { context, frame, input, findings: {}, questionRound: 0 };
  return yield* frame.guard(
    () => planTrip(trip),
    () => ({ data: trip.findings }),
  );
}

function* planTrip(trip: TripRun): Gen<TripStatus> {
  const understood = yield* understand(trip);
  if (understood.done) return understood.status;
  const { answer, facts, book } = understood.value;
  if (answer.route === 'single_question') return yield* answerQuestion(trip, understood.value);

  const briefs = briefsFor(facts);
  const found = yield* research(trip, facts, briefs);
  if (found.done) return found.status;
  yield* review(trip, facts, briefs);

  const quoted = yield* quoteTrip(trip, facts, briefs);
  if (quoted.done) return quoted.status;
  const { quote, offers } = quoted.value;

  const composed = yield* compose(trip, facts, quote, offers);
  if (composed.done) return composed.status;
  return yield* checkout(trip, facts, book, quote, composed.value);
}
