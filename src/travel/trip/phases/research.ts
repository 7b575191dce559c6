/**
 * Research: the planner decides which specialists run, and they run in parallel, each told the
 * brief built from the checked facts. The run goes on only with a flight and a hotel found.
 */
import { planAndExecute, type StepResult } from '../../../agents/orchestration/plan-execute-solve';
import { planner, SPECIALISTS } from '../../agents';
import type { Topic, TripFacts } from '../../schemas';
import { briefFor } from '../briefs';
import { ended, next, type Findings, type Gen, type PhaseOutcome, type TripRun } from '../trip-run';

export const TRIP_TOPICS: readonly Topic[] = ['flights', 'hotels', 'weather', 'restaurants'];

export type Briefs = Record<Topic, Record<string, unknown>>;

export function briefsFor(facts: TripFacts): Briefs {
  return Object.fromEntries(TRIP_TOPICS.map((t) => [t, briefFor(t, facts)])) as Briefs;
}

export function* research(trip: TripRun, facts: TripFacts, briefs: Briefs): Gen<PhaseOutcome<Findings>> {
  const { context, frame, findings } = trip;
  const planned = yield* planAndExecute(context, frame.run, {
    planner,
    agents: SPECIALISTS,
    plannerTask: JSON.stringify({
      goal: `Plan a trip to ${facts.destination?.name}`,
      topics: TRIP_TOPICS,
      briefs,
    }),
    // The planner decides which specialists run; what they are told is the checked facts, never
    // the planner's own rewrite of them (a model could change dates or party size on the way).
    stepTask: (step) => JSON.stringify(briefs[step.agent as Topic] ?? {}),
    stopOnFailure: false,
  });
  collect(findings, planned.results);
  frame.publish();
  if (!planned.ok && planned.stage === 'plan') return ended(frame.finish('failed', { error: planned.error }));
  if (!findings.flights?.found || !findings.hotels?.found) {
    // A specialist that failed says why (typed); one that found nothing says what it looked for.
    const failed = planned.results.find((r) => r.result.status !== 'completed' && r.result.error);
    return ended(
      frame.finish('failed', {
        error: failed?.result.error ?? {
          code: 'no_offers',
          message:
            [findings.flights?.description, findings.hotels?.description].filter(Boolean).join(' ') ||
            'No offers found.',
        },
        result: { data: findings },
      }),
    );
  }
  return next(findings);
}

function collect(findings: Findings, results: readonly StepResult[]): void {
  for (const { step, result } of results) {
    if (result.status === 'completed') (findings as Record<string, unknown>)[step.agent] = result.output;
  }
}
