/**
 * A single question ("what's the weather in Lisbon next week?"): the one specialist the route
 * names answers it from its tool; no plan, no quote.
 */
import { runSpecialists } from '../../../agents/orchestration/specialists';
import { SPECIALISTS } from '../../agents';
import type { Topic, TripStatus } from '../../schemas';
import { briefFor } from '../briefs';
import type { Gen, TripRun } from '../trip-run';
import type { Understood } from './understand';

export function* answerQuestion(trip: TripRun, { answer, facts }: Understood): Gen<TripStatus> {
  const { context, frame } = trip;
  const topic: Topic = answer.topics[0] ?? 'weather';
  const [result] = yield* runSpecialists(context, frame.run, [
    { agent: SPECIALISTS[topic], task: JSON.stringify(briefFor(topic, facts)) },
  ]);
  frame.publish();
  if (!result || result.status !== 'completed') {
    return frame.finish('failed', {
      error: result?.error ?? { code: 'agent_failed', message: `${topic} gave no answer.` },
    });
  }
  const o = result.output as { description?: string; summary?: string };
  return frame.finish('completed', {
    result: {
      answer: o.description ?? o.summary ?? `Here is what the ${topic} specialist found.`,
      data: result.output,
    },
  });
}
