/**
 * Text a hostile (or broken) model or tool can write: terminal escape sequences and control
 * characters, and a run resource carrying them in every field the trip CLI prints.
 */
import {
  runResourceSchema,
  toRunResource,
  tripRunOf,
  type RunResource,
} from '../../src/travel/api/run-resource';
import { snapshot } from '../unit/travel/api/fixtures';

export const TITLE = '\x1b]0;sudo rm -rf ~\x07';
export const TITLE_ST = '\x1b]2;owned\x1b\\';
export const LINK = '\x1b]8;;https://evil.example/pay\x1b\\Official booking page\x1b]8;;\x1b\\';
export const C1_LINK = '\x9d8;;https://evil.example/\x9cclick\x9d8;;\x9c';
export const OVERWRITE = 'total 10 USD\r\x1b[2K\x1b[1A\x1b[31mtotal 1 USD\x1b[0m';
export const C1_CSI = '\x9b2Jcleared';
export const BELL = 'ding\x07\x08\x7f';

/** A run resource in which a model and a tool wrote hostile text everywhere the CLI prints from. */
export function hostileRun(): RunResource {
  const base = toRunResource(tripRunOf(snapshot())!);
  return runResourceSchema.parse({
    ...base,
    status: 'completed',
    progress: {
      step: 2,
      steps: [
        {
          ...base.progress.steps[0],
          name: `flights${TITLE}`,
          detail: `found 3 offers${OVERWRITE}`,
        },
      ],
    },
    needsInput: {
      fields: [{ path: `startDate${BELL}`, issue: `required${C1_CSI}` }],
      question: `When do you leave?${TITLE}\nAnd when do you return?`,
      round: 1,
      expiresAt: '2026-11-29T11:00:00.000Z',
    },
    quote: {
      items: [
        {
          kind: 'flight',
          offerId: 'FL-1',
          description: `SEA → NRT ${LINK}`,
          price: { amount: 900, currency: 'USD' },
        },
      ],
      total: { amount: 900, currency: 'USD' },
    },
    result: {
      itinerary: {
        summary: `Four days in Patagonia.${TITLE_ST}\nHike every day.`,
        days: [
          {
            date: '2027-03-10',
            title: `Arrive\n✓ book payment — confirmed${OVERWRITE}`,
            weather: `sunny${C1_LINK}`,
            plan: [`Walk${BELL}`],
            meals: [`Dinner at ${LINK}`],
          },
        ],
        costs: { flights: 900, hotel: 0, ai: 0, total: 900, currency: 'USD' },
      },
      answer: `Enjoy${TITLE}`,
      bookings: [{ item: 'flight', offerId: 'FL-1', status: 'failed', error: `declined${OVERWRITE}` }],
    },
    error: { code: 'tool_error', message: `card declined${TITLE}` },
  });
}
