/**
 * Understand: what kind of request this is (the router), and the facts it states — from the text,
 * then the explicit fields (they win), places resolved through the gazetteer, checked; what is
 * missing is asked for, in one question a round, for a bounded number of rounds.
 */
import { retryOptions } from '../../../agents/orchestration/retry-options';
import { route } from '../../../agents/orchestration/route';
import { router, type RouterAnswer } from '../../agents';
import { READ_TRIP, type ReadTripInput, type ReadTripOutput } from '../../read-trip';
import type { TripFacts, TripFields } from '../../schemas';
import { checkFacts, needsFor } from '../../validate-facts';
import { explicitFields } from '../fields';
import { shapeOf, type TripShape } from '../shape';
import { ended, next, type Gen, type PhaseOutcome, type TripRun } from '../trip-run';
import { askWithinRounds } from './ask';

export interface Understood {
  answer: RouterAnswer;
  facts: TripFacts;
  /** The traveller asked to book (in the text or as a field). */
  book: boolean;
}

/** Route the request; end the run here when it is out of scope or a change to a booking. */
export function* understand(trip: TripRun): Gen<PhaseOutcome<Understood>> {
  const { context, frame, input } = trip;
  const today = input.createdAt.slice(0, 10);
  const routerTask = JSON.stringify({
    request: input.body.request,
    fields: explicitFields(input.body),
    today,
  });
  const routed = yield* route(context, frame.run, router, routerTask);
  if (!routed.ok) {
    return ended(
      frame.finish('failed', {
        error: routed.result.error ?? { code: 'routing_failed', message: 'The request could not be routed.' },
      }),
    );
  }
  const answer = routed.output;
  frame.status.request = { route: answer.route, topics: answer.topics };
  if (answer.route === 'out_of_scope') {
    return ended(
      frame.finish('completed', {
        result: { answer: answer.reply ?? 'That is outside what this travel planner does.' },
      }),
    );
  }
  if (answer.route === 'booking_change') {
    return ended(
      frame.finish('completed', {
        result: {
          answer:
            'Changes to an existing booking are not made by the planner: ' +
            (answer.facts.bookingId ? `booking ${answer.facts.bookingId} stays as it is. ` : '') +
            'Contact the provider with your booking id, or start a new trip.',
        },
      }),
    );
  }
  const book = input.body.book ?? answer.facts.book ?? false;
  const facts = yield* settleFacts(trip, answer, book);
  return facts === undefined ? ended(frame.status) : next({ answer, facts, book });
}

/**
 * Reads, resolves and checks the facts until nothing the route needs is missing or in doubt,
 * asking the traveller in between (everything at once, what is known kept). Undefined when the
 * run ended (no answer, or still missing after the allowed rounds): the frame holds the status.
 */
function* settleFacts(trip: TripRun, answer: RouterAnswer, book: boolean): Gen<TripFacts | undefined> {
  const { frame, input } = trip;
  const today = input.createdAt.slice(0, 10);
  let answers: TripFields = {};
  const topics = answer.topics.length > 0 ? answer.topics : ['weather' as const];
  // Contact details are asked for after the price is shown (see checkout), not before.
  const needs = { ...needsFor(answer.route, topics, book), contact: false };
  for (let round = 1; ; round++) {
    const read = yield* readFacts(trip, answer, answers);
    const facts: TripFacts = { ...read.facts, route: answer.route, topics: answer.topics, book };
    const shaped = answer.route === 'full_trip' ? shapeOf(facts) : undefined;
    if (shaped && 'shape' in shaped) withStays(facts, shaped.shape);
    frame.status.request = facts;
    const step = frame.tracker.begin('validate', 'check facts', frame.now());
    const issues = checkFacts(facts, needs, today, [
      ...read.unknown,
      ...read.questions,
      ...(shaped && 'issues' in shaped ? shaped.issues : []),
    ]);
    if (issues.length === 0) {
      frame.tracker.end(step, 'completed', frame.now());
      return facts;
    }
    frame.tracker.end(step, 'completed', frame.now(), `to ask: ${issues.map((i) => i.path).join(', ')}`);
    frame.tracker.decide('validation.failed', frame.now(), {
      missing: issues.map((i) => i.path).join(','),
      round,
    });
    const reply = yield* askWithinRounds(trip, issues, round);
    if (!reply) return undefined;
    answers = { ...answers, ...reply.fields };
  }
}

/** The request read with its fields and the answers so far (an activity: the gazetteer is data). */
function* readFacts(trip: TripRun, answer: RouterAnswer, answers: TripFields): Gen<ReadTripOutput> {
  const { context, frame, input } = trip;
  const read = (yield context.df.callActivityWithRetry(READ_TRIP, retryOptions(input.retry.toolRead), {
    request: input.body.request,
    today: input.createdAt.slice(0, 10),
    answer,
    fields: explicitFields(input.body),
    answers,
  } satisfies ReadTripInput)) as ReadTripOutput;
  frame.tracker.charge({}, frame.now());
  return read;
}

/** Each leg's dates from the trip's shape, and the shape's own readings stated. */
function withStays(facts: TripFacts, shape: TripShape): void {
  facts.legs = shape.stays.map((stay) => ({
    place: stay.place,
    nights: stay.nights,
    checkIn: stay.checkIn,
    checkOut: stay.checkOut,
  }));
  if (shape.inferences.length) facts.inferences = [...(facts.inferences ?? []), ...shape.inferences];
}
