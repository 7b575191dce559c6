/**
 * Research: the planner decides which specialists run, and they run in parallel, each told the
 * brief built from the checked facts (one per part of the trip: a flight per hop, a stay, a
 * forecast and meals per stop). The run goes on only with every flight and every stay found.
 */
import { planAndExecute, type StepResult } from '../../../agents/orchestration/plan-execute-solve';
import { planner, SPECIALISTS, type FlightChoice, type HotelChoice } from '../../agents';
import type { TripFacts } from '../../schemas';
import type { Briefs } from '../briefs';
import { topicOf } from '../shape';
import { ended, next, type Findings, type Gen, type PhaseOutcome, type TripRun } from '../trip-run';

export function* research(trip: TripRun, facts: TripFacts, briefs: Briefs): Gen<PhaseOutcome<Findings>> {
  const { context, frame, findings } = trip;
  const parts = Object.keys(briefs);
  const planned = yield* planAndExecute(context, frame.run, {
    planner,
    agents: SPECIALISTS,
    plannerTask: JSON.stringify({
      goal: `Plan a trip to ${(facts.legs ?? []).map((leg) => leg.place.name).join(', ')}`,
      topics: parts,
      briefs,
    }),
    // The planner decides which specialists run; what they are told is the checked facts, never
    // the planner's own rewrite of them (a model could change dates or party size on the way).
    stepTask: (step) => JSON.stringify(briefs[step.id] ?? briefs[step.agent] ?? {}),
    stopOnFailure: false,
  });
  collect(findings, planned.results, briefs);
  frame.publish();
  if (!planned.ok && planned.stage === 'plan') return ended(frame.finish('failed', { error: planned.error }));
  const missing = parts.filter(
    (part) =>
      (topicOf(part) === 'flights' || topicOf(part) === 'hotels') &&
      !(findings[part] as FlightChoice | HotelChoice | undefined)?.found,
  );
  if (missing.length > 0) {
    // A specialist that failed says why (typed); one that found nothing says what it looked for.
    const failed = planned.results.find((r) => r.result.status !== 'completed' && r.result.error);
    const said = missing
      .map((part) => (findings[part] as { description?: string } | undefined)?.description)
      .filter(Boolean);
    return ended(
      frame.finish('failed', {
        error: failed?.result.error ?? {
          code: 'no_offers',
          message: said.join(' ') || 'No offers found.',
          details: { parts: missing },
        },
        result: { data: findings },
      }),
    );
  }
  return next(findings);
}

/**
 * Each step's answer filed under its part key: the step's id when it names a part (as the
 * planner is asked), else its agent's (one destination); a step for no part is not a finding.
 */
function collect(findings: Findings, results: readonly StepResult[], briefs: Briefs): void {
  for (const { step, result } of results) {
    const part = step.id in briefs ? step.id : step.agent in briefs ? step.agent : undefined;
    if (part !== undefined && result.status === 'completed') findings[part] = result.output;
  }
}
