/**
 * The evaluation set's lines (eval/*.jsonl): a traveller's request and what a careful reader
 * understands from it. See eval/README.md for how the labels read.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ROUTES } from '../schemas';

const place = z.string().regex(/^[^,]+, [A-Z]{2}(?:-[A-Z0-9]{1,3})?$/, '"Name, CC" or "Name, CC-RR"');

export const labelledRequestSchema = z
  .object({
    id: z.string().min(1),
    lang: z.string().min(2).max(3),
    tags: z.array(z.string()),
    today: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .optional(),
    request: z.string().min(1).max(2000),
    expect: z
      .object({
        route: z.enum(ROUTES),
        origin: place.optional(),
        destinations: z.array(place).optional(),
        startDate: z.string().optional(),
        endDate: z.string().optional(),
        nights: z.number().int().min(0).optional(),
        /** [adults, children, infants] */
        party: z.tuple([z.number().int(), z.number().int(), z.number().int()]).optional(),
        rooms: z.number().int().positive().optional(),
        /** [amount, ISO 4217] */
        budget: z.tuple([z.number().positive(), z.string().length(3)]).optional(),
      })
      .strict(),
  })
  .strict();
export type LabelledRequest = z.infer<typeof labelledRequestSchema>;

/** The day every line is read on unless it sets its own (a Sunday). */
export const EVAL_TODAY = '2026-11-29';

/** The lines of a JSONL file, each checked; a bad line fails with its line number. */
export function readLabelledSet(path: string): LabelledRequest[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line.length > 0)
    .map(({ line, number }) => {
      const parsed = labelledRequestSchema.safeParse(JSON.parse(line));
      if (!parsed.success)
        throw new Error(
          `${path}:${number}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        );
      return parsed.data;
    });
}
