/**
 * Supervision: a reviewer agent checks results against the run's constraints and either approves
 * them or asks named agents for revisions; the revisions run (in parallel) and the reviewer looks
 * again, for a bounded number of rounds. Generic: the application says what the reviewer sees and
 * how a revision becomes a task.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { z } from 'zod';
import type { AgentDefinition } from '../definitions';
import type { AgentLoopResult } from './agent-loop';
import { runAgent } from './run-agent';
import type { RunOptions } from './run-options';
import { runSpecialists, type SpecialistJob } from './specialists';

export const reviewSchema = z.object({
  approved: z.boolean(),
  /** What is wrong, for the record. */
  findings: z.array(z.string().max(500)).max(20).default([]),
  revisions: z
    .array(z.object({ agent: z.string().min(1), feedback: z.string().min(1).max(2000) }))
    .max(10)
    .default([]),
});
export type Review = z.infer<typeof reviewSchema>;

export interface SuperviseOptions<Results> {
  reviewer: AgentDefinition<Review>;
  /** Revision rounds after the first review. */
  maxRounds: number;
  /** The reviewer's task for the current results. */
  reviewTask: (results: Results, round: number) => string;
  /** The job that revises `agent`'s result with the reviewer's feedback (undefined: not revisable). */
  revise: (agent: string, feedback: string, results: Results) => Omit<SpecialistJob, 'round'> | undefined;
  /** The results with the revised agents' new results merged in. */
  merge: (results: Results, revised: AgentLoopResult[]) => Results;
}

export interface SuperviseOutcome<Results> {
  results: Results;
  approved: boolean;
  rounds: number;
  reviews: Review[];
}

export function* supervise<Results>(
  context: OrchestrationContext,
  run: RunOptions,
  initial: Results,
  options: SuperviseOptions<Results>,
): Generator<Task, SuperviseOutcome<Results>, unknown> {
  let results = initial;
  const reviews: Review[] = [];
  for (let round = 0; ; round++) {
    const reviewed = yield* runAgent(
      context,
      run,
      options.reviewer,
      options.reviewTask(results, round),
      round,
    );
    if (!reviewed.ok) {
      // A reviewer that cannot answer does not block the run: the results stand, unapproved.
      run.tracker.decide('review.unavailable', context.df.currentUtcDateTime, { round });
      return { results, approved: false, rounds: round, reviews };
    }
    const review = reviewed.output;
    reviews.push(review);
    run.tracker.decide('review.done', context.df.currentUtcDateTime, {
      round,
      approved: review.approved,
      revisions: review.revisions.length,
    });
    if (review.approved || review.revisions.length === 0 || round >= options.maxRounds) {
      return { results, approved: review.approved, rounds: round, reviews };
    }
    // One job per agent and round (a child's id is agent + round): its feedback items joined.
    const byAgent = new Map<string, string[]>();
    for (const revision of review.revisions) {
      byAgent.set(revision.agent, [...(byAgent.get(revision.agent) ?? []), revision.feedback]);
    }
    const jobs = [...byAgent]
      .map(([agent, feedback]) => options.revise(agent, feedback.join('\n'), results))
      .filter((job): job is Omit<SpecialistJob, 'round'> => job !== undefined)
      .map((job) => ({ ...job, round: round + 1 }));
    if (jobs.length === 0) return { results, approved: false, rounds: round, reviews };
    const revised = yield* runSpecialists(context, run, jobs);
    results = options.merge(results, revised);
  }
}
