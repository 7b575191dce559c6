/**
 * Review: the supervisor checks the flights and hotel against the traveller's constraints and
 * sends bounded revision rounds to the specialist that can fix what it found.
 */
import { supervise } from '../../../agents/orchestration/supervise';
import { SPECIALISTS, supervisor } from '../../agents';
import type { TripFacts } from '../../schemas';
import { daysBetween } from '../../validate-facts';
import type { Findings, Gen, TripRun } from '../trip-run';
import type { Briefs } from './research';

export function* review(trip: TripRun, facts: TripFacts, briefs: Briefs): Gen<void> {
  const { context, frame, input, findings } = trip;
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
      for (const r of revised)
        if (r.status === 'completed') (merged as Record<string, unknown>)[r.agent] = r.output;
      return merged;
    },
  });
  Object.assign(findings, reviewed.results);
  frame.publish();
}
