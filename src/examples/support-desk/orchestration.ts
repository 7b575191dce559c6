/**
 * The `supportDesk` orchestration, composed from the generic patterns on the generic run frame:
 * triage → the one specialist the route names, as a durable agent loop → supervise (bounded
 * revision rounds) → the approved reply. Deterministic: time from `context.df.currentUtcDateTime`,
 * the rest from the input and activity results. Out-of-scope tickets end at triage, with a refusal
 * and no specialist.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { route } from '../../agents/orchestration/route';
import { runSpecialists } from '../../agents/orchestration/specialists';
import { supervise } from '../../agents/orchestration/supervise';
import { RunFrame } from '../../agents/run-frame';
import { runFailure } from '../../domain/error-codes';
import { deskSupervisor, DESK_SPECIALISTS, triage } from './agents';
import {
  supportDeskInputSchema,
  supportReplySchema,
  type SupportDeskInput,
  type SupportOutcome,
  type SupportReply,
  type SupportStatus,
  type Triage,
} from './schemas';

type Gen<T> = Generator<Task, T, unknown>;
type Frame = RunFrame<SupportStatus, SupportOutcome>;

export function* supportDesk(context: OrchestrationContext): Gen<SupportStatus> {
  const input = supportDeskInputSchema.parse(context.df.getInput());
  const frame: Frame = new RunFrame(context, { ...input, writeTools: [] }, 'support-desk');
  let outcome: SupportOutcome = {};
  return yield* frame.guard(
    () => resolveTicket(context, frame, input, (o) => (outcome = o)),
    () => outcome,
  );
}

function* resolveTicket(
  context: OrchestrationContext,
  frame: Frame,
  input: SupportDeskInput,
  found: (outcome: SupportOutcome) => void,
): Gen<SupportStatus> {
  const routed = yield* route(context, frame.run, triage, JSON.stringify({ message: input.ticket.message }));
  if (!routed.ok) {
    return frame.finish('failed', {
      error: routed.result.error ?? runFailure('triage_failed', 'The ticket could not be routed.'),
    });
  }
  const triaged: Triage = routed.output;
  frame.status.request = { route: triaged.route };
  if (triaged.route === 'out_of_scope') {
    return frame.finish('completed', {
      result: {
        route: triaged.route,
        refusal:
          triaged.reply ?? 'This desk answers billing and technical questions about your subscription.',
      },
    });
  }
  found({ route: triaged.route });
  frame.publish();

  const specialist = DESK_SPECIALISTS[triaged.route];
  const task = (feedback?: string, previous?: SupportReply) =>
    JSON.stringify({
      message: input.ticket.message,
      facts: triaged.facts,
      ...(feedback === undefined ? {} : { feedback, previous }),
    });
  const [first] = yield* runSpecialists(context, frame.run, [{ agent: specialist, task: task() }]);
  if (first.status !== 'completed') {
    return frame.finish('failed', {
      error: first.error ?? runFailure('agent_failed', `${specialist.name} gave no reply.`),
    });
  }
  found({ route: triaged.route, reply: supportReplySchema.parse(first.output) });
  frame.publish();

  const reviewed = yield* supervise(
    context,
    frame.run,
    { reply: supportReplySchema.parse(first.output) },
    {
      reviewer: deskSupervisor,
      maxRounds: input.maxRevisionRounds,
      reviewTask: (current) =>
        JSON.stringify({
          ticket: { message: input.ticket.message, route: triaged.route, facts: triaged.facts },
          policy: input.policy,
          reply: current.reply,
        }),
      // Only the specialist that wrote the reply can revise it.
      revise: (agent, feedback, current) =>
        agent === specialist.name ? { agent: specialist, task: task(feedback, current.reply) } : undefined,
      merge: (current, revised) => {
        const done = revised.find((r) => r.agent === specialist.name && r.status === 'completed');
        return done ? { reply: supportReplySchema.parse(done.output) } : current;
      },
    },
  );
  return frame.finish('completed', {
    result: {
      route: triaged.route,
      reply: reviewed.results.reply,
      approved: reviewed.approved,
      rounds: reviewed.rounds,
      reviews: reviewed.reviews,
    },
  });
}
