/**
 * The `supportDesk` orchestration, composed from the generic patterns: route (triage) → the one
 * specialist the route names, as a durable agent loop → supervise (bounded revision rounds) → the
 * approved reply. Deterministic: time from `context.df.currentUtcDateTime`, the rest from the
 * input and activity results. Out-of-scope tickets end at triage, with a refusal and no specialist.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { route } from '../../agents/orchestration/route';
import type { RunOptions } from '../../agents/orchestration/run-options';
import { runSpecialists } from '../../agents/orchestration/specialists';
import { supervise } from '../../agents/orchestration/supervise';
import { BudgetExceededError, RunTracker } from '../../agents/run-tracker';
import { deskSupervisor, DESK_SPECIALISTS, triage } from './agents';
import {
  supportDeskInputSchema,
  supportReplySchema,
  type SupportReply,
  type SupportResult,
  type Triage,
} from './schemas';

export function* supportDesk(context: OrchestrationContext): Generator<Task, SupportResult, unknown> {
  const input = supportDeskInputSchema.parse(context.df.getInput());
  const tracker = new RunTracker(context.df.instanceId, { ...input.limits }, Date.parse(input.createdAt));
  const run: RunOptions = { runId: context.df.instanceId, tracker, retry: input.retry, writeTools: [] };
  const result: SupportResult = {
    status: 'running',
    budgets: { limits: tracker.limits, usage: tracker.usage },
    steps: tracker.steps,
  };
  /** The status the run shows while it runs, and returns when it ends. */
  const publish = (changes: Partial<SupportResult> = {}): SupportResult => {
    Object.assign(result, changes, {
      budgets: { limits: tracker.limits, usage: tracker.usage },
      steps: tracker.steps,
    });
    context.df.setCustomStatus(result);
    return result;
  };
  publish();

  try {
    const routed = yield* route(context, run, triage, JSON.stringify({ message: input.ticket.message }));
    if (!routed.ok) {
      return publish({
        status: 'failed',
        error: routed.result.error ?? { code: 'triage_failed', message: 'The ticket could not be routed.' },
      });
    }
    const triaged: Triage = routed.output;
    if (triaged.route === 'out_of_scope') {
      return publish({
        status: 'completed',
        route: triaged.route,
        refusal:
          triaged.reply ?? 'This desk answers billing and technical questions about your subscription.',
      });
    }
    publish({ route: triaged.route });

    const specialist = DESK_SPECIALISTS[triaged.route];
    const task = (feedback?: string, previous?: SupportReply) =>
      JSON.stringify({
        message: input.ticket.message,
        facts: triaged.facts,
        ...(feedback === undefined ? {} : { feedback, previous }),
      });
    const [first] = yield* runSpecialists(context, run, [{ agent: specialist, task: task() }]);
    if (first.status !== 'completed') {
      return publish({
        status: 'failed',
        error: first.error ?? { code: 'agent_failed', message: `${specialist.name} gave no reply.` },
      });
    }
    publish();

    const reviewed = yield* supervise(
      context,
      run,
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
    return publish({
      status: 'completed',
      reply: reviewed.results.reply,
      approved: reviewed.approved,
      rounds: reviewed.rounds,
      reviews: reviewed.reviews,
    });
  } catch (error) {
    if (error instanceof BudgetExceededError) {
      tracker.usage = error.usage;
      return publish({
        status: 'budget_exceeded',
        error: {
          code: 'budget_exceeded',
          message: error.message,
          details: { budget: error.breach.budget, limit: error.breach.limit, used: error.breach.used },
        },
      });
    }
    throw error;
  }
}
