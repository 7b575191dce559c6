/**
 * Routing: a router agent classifies the request; the decision is recorded (a progress step and
 * a decision) and returned for the application to dispatch on.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import type { AgentDefinition } from '../definitions';
import { runAgent, type AgentOutcome } from './run-agent';
import type { RunOptions } from './run-options';

export function* route<Decision extends { route: string }>(
  context: OrchestrationContext,
  run: RunOptions,
  router: AgentDefinition<Decision>,
  task: string,
  round = 0,
): Generator<Task, AgentOutcome<Decision>, unknown> {
  const outcome = yield* runAgent(context, run, router, task, round);
  const now = context.df.currentUtcDateTime;
  const step = run.tracker.begin('route', router.name, now);
  run.tracker.end(
    step,
    outcome.ok ? 'completed' : 'failed',
    now,
    outcome.ok ? outcome.output.route : outcome.result.error?.code,
  );
  if (outcome.ok) run.tracker.decide('route.chosen', now, { route: outcome.output.route });
  return outcome;
}
