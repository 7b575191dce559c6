/**
 * Review: the supervisor checks the flights and hotel against the traveller's constraints and
 * sends bounded revision rounds to the specialist that can fix what it found. A trip with several
 * stops is not reviewed this way (the supervisor reads one flight and one hotel); its quote still
 * says whether it is over the traveller's budget, by how much, with cheaper options.
 */
import { supervise } from '../../../agents/orchestration/supervise';
import { SPECIALISTS, supervisor } from '../../agents';
import type { TripFacts } from '../../schemas';
import { daysBetween } from '../../validate-facts';
import type { Briefs } from '../briefs';
import type { Findings, Gen, TripRun } from '../trip-run';

export function* review(trip: TripRun, facts: TripFacts, briefs: Briefs): Gen<void> {
  const { context, frame, input, findings } = trip;
  if ((facts.legs?.length ?? 1) > 1) {
    frame.tracker.decide('review.skipped', frame.now(), { reason: 'several stops' });
    return;
  }
  const reviewed = yield* supervise(context, frame.run, findings, {
    reviewer: supervisor,
    maxRounds: input.maxRevisionRounds,
    reviewTask: (current) =>
      JSON.stringify({
        constraints: {
          budgetUsd: facts.budget?.usd,
          startDate: facts.startDate,
          endDate: facts.endDate,
          travellers: facts.travellers,
          nights: daysBetween(facts.startDate!, facts.endDate!),
        },
        results: { flights: current.flights, hotels: current.hotels },
      }),
    revise: (agent, feedback) =>
      agent === 'hotels' || agent === 'flights'
        ? { agent: SPECIALISTS[agent], task: JSON.stringify({ ...briefs[agent], feedback }) }
        : undefined,
    merge: (current, revised) => {
      const merged: Findings = { ...current };
      for (const r of revised) if (r.status === 'completed') merged[r.agent] = r.output;
      return merged;
    },
  });
  Object.assign(findings, reviewed.results);
  frame.publish();
}
