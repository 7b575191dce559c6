/**
 * Understand: what kind of request this is (the router), and the facts it states — from the text,
 * then the explicit fields (they win), places resolved through the gazetteer, checked; what is
 * missing is asked for, in one question a round, for a bounded number of rounds.
 */
import { retryOptions } from '../../../agents/orchestration/retry-options';
import { route } from '../../../agents/orchestration/route';
import { toUsd } from '../../../domain/currency';
import { router, type RouterAnswer } from '../../agents';
import { RESOLVE_PLACES, type ResolvePlacesOutput } from '../../resolve-places';
import type { TripFacts, TripFields } from '../../schemas';
import { checkFacts, needsFor } from '../../validate-facts';
import { explicitFields, factsAsFields } from '../fields';
import { ended, next, type Gen, type PhaseOutcome, type TripRun } from '../trip-run';
import { askTraveller } from './ask';

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
 * Merges, resolves and checks the facts until nothing the route needs is missing, asking the
 * traveller in between. Undefined when the run ended (no answer, or still missing after the
 * allowed rounds): the frame holds the final status.
 */
function* settleFacts(trip: TripRun, answer: RouterAnswer, book: boolean): Gen<TripFacts | undefined> {
  const { frame, input } = trip;
  const today = input.createdAt.slice(0, 10);
  let fields: TripFields = { ...factsAsFields(answer), ...explicitFields(input.body) };
  const topics = answer.topics.length > 0 ? answer.topics : ['weather' as const];
  // Contact details are asked for after the price is shown (see checkout), not before.
  const needs = { ...needsFor(answer.route, topics, book), contact: false };
  for (let round = 1; ; round++) {
    const { facts, unknown } = yield* resolveFacts(trip, fields, answer, book);
    frame.status.request = facts;
    const step = frame.tracker.begin('validate', 'check facts', frame.now());
    const issues = checkFacts(facts, needs, today, unknown);
    if (issues.length === 0) {
      frame.tracker.end(step, 'completed', frame.now());
      return facts;
    }
    frame.tracker.end(step, 'completed', frame.now(), `to ask: ${issues.map((i) => i.path).join(', ')}`);
    frame.tracker.decide('validation.failed', frame.now(), {
      missing: issues.map((i) => i.path).join(','),
      round,
    });
    if (round > input.maxInputRounds) {
      frame.finish('failed', {
        error: {
          code: 'missing_input',
          message: `Still missing after ${input.maxInputRounds} question(s).`,
          details: issues,
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
          details: issues,
        },
      });
      return undefined;
    }
    fields = { ...fields, ...reply.fields };
  }
}

/** The fields merged into facts, the places resolved (an activity: the gazetteer is data). */
function* resolveFacts(
  trip: TripRun,
  fields: TripFields,
  answer: RouterAnswer,
  book: boolean,
): Gen<{ facts: TripFacts; unknown: { origin?: string; destination?: string } }> {
  const { context, frame, input } = trip;
  const resolved = (yield context.df.callActivityWithRetry(
    RESOLVE_PLACES,
    retryOptions(input.retry.toolRead),
    {
      ...(fields.origin ? { origin: fields.origin } : {}),
      ...(fields.destination ? { destination: fields.destination } : {}),
    },
  )) as ResolvePlacesOutput;
  frame.tracker.charge({}, frame.now());
  const facts: TripFacts = { route: answer.route, topics: answer.topics, book };
  const unknown: { origin?: string; destination?: string } = {};
  for (const field of ['origin', 'destination'] as const) {
    const r = resolved[field];
    if (r?.known) facts[field] = r.place;
    else if (r) unknown[field] = r.query;
  }
  for (const key of ['startDate', 'endDate', 'travellers', 'contactEmail', 'travellerNames'] as const) {
    if (fields[key] !== undefined) (facts as Record<string, unknown>)[key] = fields[key];
  }
  if (fields.budget)
    facts.budget = { ...fields.budget, usd: toUsd(fields.budget.amount, fields.budget.currency) };
  if (answer.facts.interests) facts.interests = answer.facts.interests;
  return { facts, unknown };
}
