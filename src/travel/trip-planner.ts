/**
 * The `tripPlanner` orchestration: the travel application composed from the generic patterns.
 * route → understand and validate (ask for what is missing) → plan → specialists in parallel →
 * supervise (bounded revisions) → compose the itinerary → quote → approval → book. Deterministic:
 * time from `context.df.currentUtcDateTime`, everything else from the input and activity results.
 * Booking happens here and only after an approval event, whatever the request or a model says.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { ACTIVITY_NAMES, type CallToolInput, type CallToolOutput } from '../agents/contracts';
import { planAndExecute, type StepResult } from '../agents/orchestration/plan-execute-solve';
import { retryOptions } from '../agents/orchestration/retry-options';
import { route } from '../agents/orchestration/route';
import { runAgent } from '../agents/orchestration/run-agent';
import { recordRunFinished, traceDecisions } from '../agents/orchestration/run-telemetry';
import { waypointMetrics } from '../telemetry/metrics';
import type { RunOptions } from '../agents/orchestration/run-options';
import { runSpecialists } from '../agents/orchestration/specialists';
import { supervise } from '../agents/orchestration/supervise';
import { deadlineFrom, waitForHuman } from '../agents/orchestration/human-input';
import { RUN_EVENTS, type RunError, type RunStatusName } from '../agents/run-status';
import { BudgetExceededError, RunTracker } from '../agents/run-tracker';
import { RATES_DATE, toUsd } from '../domain/currency';
import { toolCallKey } from '../domain/idempotency-keys';
import {
  BOOKING_AGENT,
  itinerary as itineraryAgent,
  planner,
  router,
  SPECIALISTS,
  supervisor,
  type FlightChoice,
  type HotelChoice,
  type RouterAnswer,
} from './agents';
import { tripPlannerInputSchema, type TripPlannerInput } from './planner-input';
import { RESOLVE_PLACES, type ResolvePlacesOutput } from './resolve-places';
import {
  tripInputBodySchema,
  type Quote,
  type Topic,
  type TripFacts,
  type TripFields,
  type TripResult,
  type TripStatus,
} from './schemas';
import { checkFacts, daysBetween, needsFor, questionFor } from './validate-facts';
import type { AgentLoopResult } from '../agents/orchestration/agent-loop';

type Gen<T> = Generator<Task, T, unknown>;

/** What the run has found so far; becomes the partial result when a budget stops it. */
interface Findings {
  flights?: FlightChoice;
  hotels?: HotelChoice;
  weather?: unknown;
  restaurants?: unknown;
}

export function* tripPlanner(context: OrchestrationContext): Gen<TripStatus> {
  const input = tripPlannerInputSchema.parse(context.df.getInput());
  const now = () => context.df.currentUtcDateTime;
  const today = input.createdAt.slice(0, 10);
  const tracker = new RunTracker(context.df.instanceId, { ...input.limits }, Date.parse(input.createdAt));
  const run: RunOptions = {
    runId: context.df.instanceId,
    tracker,
    retry: input.retry,
    writeTools: input.writeTools,
    trace: input.trace,
  };
  const status: TripStatus = {
    status: 'running',
    progress: { step: 0, steps: [] },
    budgets: { limits: tracker.limits, usage: tracker.usage },
    updatedAt: now().toISOString(),
    ...(input.trace ? { traceId: input.trace.traceparent.split('-')[1] } : {}),
  };
  const publish = (name: RunStatusName = status.status) => {
    status.status = name;
    status.progress = { step: tracker.totalSteps, steps: tracker.steps };
    status.budgets = { limits: tracker.limits, usage: tracker.usage };
    status.decisions = tracker.decisions.slice(-50);
    status.updatedAt = now().toISOString();
    context.df.setCustomStatus(status);
  };
  const finish = (name: RunStatusName, extra: { result?: TripResult; error?: RunError } = {}): TripStatus => {
    if (extra.result) status.result = extra.result;
    if (extra.error) status.error = extra.error;
    delete status.needsInput;
    tracker.decide('run.finished', now(), { status: name });
    recordRunFinished(context, tracker, name);
    publish(name);
    return status;
  };
  const findings: Findings = {};
  traceDecisions(context, tracker, input.trace);
  if (!context.df.isReplaying) waypointMetrics().runStarted({ 'waypoint.app': 'travel' });
  publish('running');

  try {
    // 1. Route: what kind of request is this, and what does it say?
    const routerTask = JSON.stringify({
      request: input.body.request,
      fields: explicitFields(input.body),
      today,
    });
    const routed = yield* route(context, run, router, routerTask);
    if (!routed.ok) {
      return finish('failed', {
        error: routed.result.error ?? { code: 'routing_failed', message: 'The request could not be routed.' },
      });
    }
    const answer: RouterAnswer = routed.output;
    status.request = { route: answer.route, topics: answer.topics };
    if (answer.route === 'out_of_scope') {
      return finish('completed', {
        result: { answer: answer.reply ?? 'That is outside what this travel planner does.' },
      });
    }

    // 2. Facts: text, then explicit fields (they win), places resolved, then checked; ask for what is missing.
    let facts: TripFacts = { route: answer.route, topics: answer.topics };
    let fields: TripFields = { ...factsAsFields(answer), ...explicitFields(input.body) };
    if (answer.route === 'booking_change') {
      return finish('completed', {
        result: {
          answer:
            'Changes to an existing booking are not made by the planner: ' +
            (answer.facts.bookingId ? `booking ${answer.facts.bookingId} stays as it is. ` : '') +
            'Contact the provider with your booking id, or start a new trip.',
        },
      });
    }
    const book = input.body.book ?? answer.facts.book ?? false;
    let unknown: { origin?: string; destination?: string } = {};
    for (let round = 1; ; round++) {
      ({ facts, unknown } = yield* understandFacts(context, run, facts, fields, answer, book, input));
      status.request = facts;
      const needs = needsFor(answer.route, answer.topics.length > 0 ? answer.topics : ['weather'], book);
      const step = tracker.begin('validate', 'check facts', now());
      const issues = checkFacts(facts, needs, today, unknown);
      tracker.end(
        step,
        issues.length === 0 ? 'completed' : 'failed',
        now(),
        issues.map((i) => i.path).join(', ') || undefined,
      );
      if (issues.length === 0) break;
      tracker.decide('validation.failed', now(), { missing: issues.map((i) => i.path).join(','), round });
      if (round > input.maxInputRounds) {
        return finish('failed', {
          error: {
            code: 'missing_input',
            message: `Still missing after ${input.maxInputRounds} question(s).`,
            details: issues,
          },
        });
      }
      // The question expires with its timeout or with the wall-time budget, whichever is first.
      const inputWallLeft = tracker.limits.wallTimeMs - (now().getTime() - tracker.startedAtMs);
      const inputWaitMs = Math.max(1, Math.min(input.inputTimeoutMs, inputWallLeft + 1));
      status.needsInput = {
        fields: issues,
        question: questionFor(issues),
        expiresAt: deadlineFrom(context, inputWaitMs),
        round,
      };
      publish('needs_input');
      const reply = yield* waitForHuman<unknown>(context, RUN_EVENTS.input, inputWaitMs);
      delete status.needsInput;
      if (reply.kind === 'timeout') {
        tracker.check(now());
        tracker.decide('input.timeout', now());
        return finish('failed', {
          error: {
            code: 'input_timeout',
            message: 'No answer came before the question expired.',
            details: issues,
          },
        });
      }
      const parsed = tripInputBodySchema.safeParse(reply.value);
      if (parsed.success) fields = { ...fields, ...parsed.data };
      publish('running');
    }

    // 3. A single question: one specialist, its answer.
    if (answer.route === 'single_question') {
      const topic = answer.topics[0] ?? 'weather';
      const [result] = yield* runSpecialists(context, run, [
        { agent: SPECIALISTS[topic], task: JSON.stringify(briefFor(topic, facts)) },
      ]);
      publish();
      if (!result || result.status !== 'completed') {
        return finish('failed', {
          error: result?.error ?? { code: 'agent_failed', message: `${topic} gave no answer.` },
        });
      }
      return finish('completed', {
        result: { answer: describeAnswer(topic, result.output), data: result.output },
      });
    }

    // 4. A full trip: plan → execute in parallel → supervise → compose.
    const budgetUsd = facts.budget?.usd;
    if (budgetUsd !== undefined) tracker.limits.money = Math.min(tracker.limits.money, budgetUsd);
    const topics: Topic[] = ['flights', 'hotels', 'weather', 'restaurants'];
    const briefs = Object.fromEntries(topics.map((t) => [t, briefFor(t, facts)]));
    const planned = yield* planAndExecute(context, run, {
      planner,
      agents: SPECIALISTS,
      plannerTask: JSON.stringify({ goal: `Plan a trip to ${facts.destination?.name}`, topics, briefs }),
      // The planner decides which specialists run; what they are told is the checked facts, never
      // the planner's own rewrite of them (a model could change dates or party size on the way).
      stepTask: (step) => JSON.stringify(briefs[step.agent] ?? {}),
      stopOnFailure: false,
    });
    collect(findings, planned.results);
    publish();
    if (!planned.ok && planned.stage === 'plan') return finish('failed', { error: planned.error });
    if (!findings.flights?.found || !findings.hotels?.found) {
      // A specialist that failed says why (typed); one that found nothing says what it looked for.
      const failed = planned.results.find((r) => r.result.status !== 'completed' && r.result.error);
      return finish('failed', {
        error: failed?.result.error ?? {
          code: 'no_offers',
          message:
            [findings.flights?.description, findings.hotels?.description].filter(Boolean).join(' ') ||
            'No offers found.',
        },
        result: { data: findings },
      });
    }

    const nights = daysBetween(facts.startDate!, facts.endDate!);
    const reviewed = yield* supervise(context, run, findings, {
      reviewer: supervisor,
      maxRounds: input.maxRevisionRounds,
      reviewTask: (current) =>
        JSON.stringify({
          constraints: {
            budgetUsd,
            startDate: facts.startDate,
            endDate: facts.endDate,
            travellers: facts.travellers,
            nights,
          },
          results: { flights: current.flights, hotels: current.hotels },
        }),
      revise: (agent, feedback) =>
        agent === 'hotels' || agent === 'flights'
          ? { agent: SPECIALISTS[agent], task: JSON.stringify({ ...briefs[agent], feedback }) }
          : undefined,
      merge: (current, revised) => {
        const next = { ...current };
        for (const r of revised)
          if (r.status === 'completed') (next as Record<string, unknown>)[r.agent] = r.output;
        return next;
      },
    });
    Object.assign(findings, reviewed.results);
    publish();

    const composed = yield* runAgent(
      context,
      run,
      itineraryAgent,
      JSON.stringify({
        facts: {
          destination: facts.destination?.name,
          origin: facts.origin?.name,
          startDate: facts.startDate,
          endDate: facts.endDate,
          travellers: facts.travellers,
          interests: answer.facts.interests ?? [],
          budgetUsd,
        },
        flights: findings.flights,
        hotel: findings.hotels,
        weather: findings.weather,
        restaurants: findings.restaurants,
        aiCostUsd: tracker.usage.modelCost,
      }),
    );
    publish();
    if (!composed.ok)
      return finish('failed', {
        error: composed.result.error ?? { code: 'compose_failed', message: 'No itinerary.' },
      });
    const itinerary = composed.output;

    // 5. The quote counts against the money budget: the trip plus what the AI spent.
    const quote = quoteOf(findings, facts);
    status.quote = quote;
    tracker.charge({ externalCost: quote.total.amount }, now());
    tracker.decide('budget.checked', now(), { money: tracker.usage.money, limit: tracker.limits.money });
    tracker.check(now());

    if (!book) return finish('completed', { result: { itinerary } });

    // 6. Approval, then booking: nothing is booked without an approval event.
    const approvalStep = tracker.begin('approve', 'traveller approval', now());
    publish('awaiting_approval');
    // The wait ends with the approval timeout or with the wall-time budget, whichever comes first.
    const wallLeft = tracker.limits.wallTimeMs - (now().getTime() - tracker.startedAtMs);
    const decision = yield* waitForHuman<{ approved?: unknown; note?: unknown }>(
      context,
      RUN_EVENTS.approval,
      Math.max(1, Math.min(input.approvalTimeoutMs, wallLeft + 1)),
    );
    // A wait cut short by the wall-time budget ends the run budget_exceeded, not "not approved".
    if (decision.kind === 'timeout') tracker.check(now());
    const approved = decision.kind === 'reply' && decision.value?.approved === true;
    const note =
      decision.kind === 'timeout'
        ? 'No approval came in time; nothing was booked.'
        : typeof decision.value?.note === 'string'
          ? decision.value.note.slice(0, 500)
          : undefined;
    tracker.end(
      approvalStep,
      approved ? 'completed' : 'skipped',
      now(),
      approved ? 'approved' : decision.kind === 'timeout' ? 'timed out' : 'rejected',
    );
    tracker.decide('approval', now(), { approved, timedOut: decision.kind === 'timeout' });
    if (!approved) {
      return finish('completed', {
        result: { itinerary, approval: { approved: false, ...(note ? { note } : {}) } },
      });
    }
    // Nothing is booked past a budget: wall time spent waiting, or steps and calls the bookings need.
    tracker.check(now(), { steps: quote.items.length, toolCalls: quote.items.length });
    publish('booking');
    const bookings = yield* bookAll(context, run, quote, facts);
    publish();
    const failedBooking = bookings.find((b) => b.status === 'failed');
    if (failedBooking) {
      return finish('failed', {
        result: { itinerary, bookings, approval: { approved: true, ...(note ? { note } : {}) } },
        error: {
          code: 'booking_failed',
          message: `Booking the ${failedBooking.item} failed: ${failedBooking.error ?? 'unknown error'}`,
        },
      });
    }
    return finish('completed', {
      result: { itinerary, bookings, approval: { approved: true, ...(note ? { note } : {}) } },
    });
  } catch (error) {
    if (error instanceof BudgetExceededError) {
      tracker.usage = error.usage;
      tracker.decide('budget.exceeded', now(), {
        budget: error.breach.budget,
        used: error.breach.used,
        limit: error.breach.limit,
      });
      return finish('budget_exceeded', {
        error: {
          code: 'budget_exceeded',
          message: error.message,
          details: {
            budget: error.breach.budget,
            limit: error.breach.limit,
            used: error.breach.used,
            usage: error.usage,
          },
        },
        result: { data: findings },
      });
    }
    throw error;
  }
}

/** Merge the fields into the facts and resolve the places (an activity: the gazetteer is data). */
function* understandFacts(
  context: OrchestrationContext,
  run: RunOptions,
  current: TripFacts,
  fields: TripFields,
  answer: RouterAnswer,
  book: boolean,
  input: TripPlannerInput,
): Gen<{ facts: TripFacts; unknown: { origin?: string; destination?: string } }> {
  const resolved = (yield context.df.callActivityWithRetry(
    RESOLVE_PLACES,
    retryOptions(input.retry.toolRead),
    {
      ...(fields.origin ? { origin: fields.origin } : {}),
      ...(fields.destination ? { destination: fields.destination } : {}),
    },
  )) as ResolvePlacesOutput;
  run.tracker.charge({}, context.df.currentUtcDateTime);
  const facts: TripFacts = { ...current, book };
  const unknown: { origin?: string; destination?: string } = {};
  for (const field of ['origin', 'destination'] as const) {
    const r = resolved[field];
    if (!r) delete facts[field];
    else if (r.known) facts[field] = r.place;
    else {
      delete facts[field];
      unknown[field] = r.query;
    }
  }
  for (const key of ['startDate', 'endDate', 'travellers', 'contactEmail', 'travellerNames'] as const) {
    if (fields[key] !== undefined) (facts as Record<string, unknown>)[key] = fields[key];
  }
  if (fields.budget)
    facts.budget = { ...fields.budget, usd: toUsd(fields.budget.amount, fields.budget.currency) };
  if (answer.facts.interests) facts.interests = answer.facts.interests;
  return { facts, unknown };
}

/** What the traveller wrote as fields on the request. */
function explicitFields(body: TripPlannerInput['body']): TripFields {
  const { request: _request, book: _book, budgets: _budgets, ...fields } = body;
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as TripFields;
}

/** The router's facts as fields (the currency checked later by the input schema's rules). */
function factsAsFields(answer: RouterAnswer): TripFields {
  const f = answer.facts;
  const fields: TripFields = {};
  if (f.origin) fields.origin = f.origin;
  if (f.destination) fields.destination = f.destination;
  if (f.startDate && /^\d{4}-\d{2}-\d{2}$/.test(f.startDate)) fields.startDate = f.startDate;
  if (f.endDate && /^\d{4}-\d{2}-\d{2}$/.test(f.endDate)) fields.endDate = f.endDate;
  if (f.travellers !== undefined && f.travellers <= 9) fields.travellers = f.travellers;
  if (f.budget) {
    const parsed = tripInputBodySchema.safeParse({ budget: f.budget });
    if (parsed.success && parsed.data.budget) fields.budget = parsed.data.budget;
  }
  return fields;
}

/** The task message each specialist gets, from the checked facts. */
function briefFor(topic: Topic, facts: TripFacts): Record<string, unknown> {
  const where = (p: TripFacts['origin']) => p?.airport ?? p?.name;
  const budget = facts.budget?.usd;
  switch (topic) {
    case 'flights':
      return {
        origin: where(facts.origin),
        destination: where(facts.destination),
        departDate: facts.startDate,
        ...(facts.endDate ? { returnDate: facts.endDate } : {}),
        passengers: facts.travellers ?? 1,
        ...(budget !== undefined ? { maxTotalUsd: Math.floor(budget * 0.6) } : {}),
      };
    case 'hotels':
      return {
        city: facts.destination?.name,
        checkIn: facts.startDate,
        checkOut: facts.endDate,
        guests: facts.travellers ?? 1,
        ...(budget !== undefined ? { maxTotalUsd: Math.floor(budget * 0.4) } : {}),
        ...(facts.interests ? { interests: facts.interests } : {}),
      };
    case 'weather':
      return {
        place: facts.destination?.name,
        startDate: facts.startDate,
        endDate: facts.endDate ?? facts.startDate,
      };
    case 'restaurants':
      return {
        city: facts.destination?.name,
        days: facts.startDate && facts.endDate ? daysBetween(facts.startDate, facts.endDate) + 1 : 3,
      };
  }
}

function collect(findings: Findings, results: readonly StepResult[]): void {
  for (const { step, result } of results) {
    if (result.status === 'completed') (findings as Record<string, unknown>)[step.agent] = result.output;
  }
}

function quoteOf(findings: Findings, facts: TripFacts): Quote {
  const items: Quote['items'] = [];
  if (findings.flights?.found && findings.flights.offerId) {
    items.push({
      kind: 'flight',
      offerId: findings.flights.offerId,
      description: findings.flights.description,
      price: { amount: findings.flights.totalUsd ?? 0, currency: 'USD' },
    });
  }
  if (findings.hotels?.found && findings.hotels.offerId) {
    items.push({
      kind: 'hotel',
      offerId: findings.hotels.offerId,
      description: findings.hotels.description,
      price: { amount: findings.hotels.totalUsd ?? 0, currency: 'USD' },
    });
  }
  const total = Math.round(items.reduce((sum, item) => sum + item.price.amount, 0) * 100) / 100;
  return {
    items,
    total: { amount: total, currency: 'USD' },
    ...(facts.budget ? { budget: { amount: facts.budget.usd, currency: 'USD' } } : {}),
    ...(facts.budget && facts.budget.currency !== 'USD' ? { ratesDate: RATES_DATE } : {}),
  };
}

/** Books each quoted item once: deterministic keys, so a replay or a second approval books nothing new. */
function* bookAll(
  context: OrchestrationContext,
  run: RunOptions,
  quote: Quote,
  facts: TripFacts,
): Gen<NonNullable<TripResult['bookings']>> {
  const names = facts.travellerNames ?? [];
  const tasks = quote.items.map((item) => {
    const args =
      item.kind === 'flight'
        ? { offerId: item.offerId, travellers: names, contactEmail: facts.contactEmail }
        : { offerId: item.offerId, leadGuest: names[0], contactEmail: facts.contactEmail };
    const callInput: CallToolInput = {
      runId: run.runId,
      agent: BOOKING_AGENT,
      tool: item.kind === 'flight' ? 'bookings.book_flight' : 'bookings.book_hotel',
      arguments: args,
      idempotencyKey: toolCallKey(run.runId, `book/${item.kind}/${item.offerId}`),
      ...(run.trace ? { trace: run.trace } : {}),
    };
    return context.df.callActivityWithRetry(
      ACTIVITY_NAMES.callTool,
      retryOptions(run.retry.toolWrite),
      callInput,
    );
  });
  const steps = quote.items.map((item) =>
    run.tracker.begin('book', `book ${item.kind}`, context.df.currentUtcDateTime),
  );
  let outputs: CallToolOutput[];
  try {
    outputs = (yield context.df.Task.all(tasks)) as CallToolOutput[];
  } catch (error) {
    steps.forEach((s) => run.tracker.end(s, 'failed', context.df.currentUtcDateTime, 'unavailable'));
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return quote.items.map((item) => ({
      item: item.kind,
      offerId: item.offerId,
      status: 'failed' as const,
      error: message.slice(0, 300),
    }));
  }
  run.tracker.charge({ toolCalls: outputs.length, steps: outputs.length }, context.df.currentUtcDateTime);
  return outputs.map((output, index) => {
    const item = quote.items[index];
    run.tracker.end(
      steps[index],
      output.ok ? 'completed' : 'failed',
      context.df.currentUtcDateTime,
      output.ok ? (output.replayed ? 'replayed' : undefined) : output.error.code,
    );
    if (!output.ok)
      return {
        item: item.kind,
        offerId: item.offerId,
        status: 'failed' as const,
        error: output.error.message,
      };
    const booking = (output.data as { booking?: { bookingId?: string } } | undefined)?.booking;
    return {
      item: item.kind,
      offerId: item.offerId,
      status: 'confirmed' as const,
      ...(booking?.bookingId ? { bookingId: booking.bookingId } : {}),
      replayed: output.replayed,
    };
  });
}

function describeAnswer(topic: Topic, output: unknown): string {
  const o = output as { description?: string; summary?: string };
  return o.description ?? o.summary ?? `Here is what the ${topic} specialist found.`;
}

export type { AgentLoopResult };
