/**
 * The status a run publishes (its orchestration custom status while it runs, its output when it
 * ends): the generic part every agent application shares. The application adds its own request,
 * quote and result shapes (see `runStatusSchema`).
 */
import { z } from 'zod';
import { budgetLimitsSchema, budgetUsageSchema } from './budgets';
import { failureSchema, issueSchema } from './contracts';
import { progressStepSchema } from './progress';

export const RUN_STATUSES = [
  'pending',
  'running',
  'needs_input',
  'awaiting_approval',
  'booking',
  'completed',
  'failed',
  'budget_exceeded',
  'cancelled',
] as const;
export type RunStatusName = (typeof RUN_STATUSES)[number];
export const FINAL_STATUSES: readonly RunStatusName[] = [
  'completed',
  'failed',
  'budget_exceeded',
  'cancelled',
];

/** The external events a run may wait for. */
export const RUN_EVENTS = { input: 'input', approval: 'approval' } as const;

export const runErrorSchema = failureSchema;
export type RunError = z.infer<typeof runErrorSchema>;

export const needsInputSchema = z.object({
  fields: z.array(issueSchema),
  question: z.string(),
  expiresAt: z.string(),
  /** Which round of asking this is (bounded). */
  round: z.number().int().min(1),
});
export type NeedsInput = z.infer<typeof needsInputSchema>;

export const decisionSchema = z.object({
  at: z.string(),
  name: z.string(),
  attributes: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

/** The generic run status, parameterised by the application's request, quote and result schemas. */
export function runStatusSchema<
  Req extends z.ZodType,
  Quote extends z.ZodType,
  Result extends z.ZodType,
>(parts: { request: Req; quote: Quote; result: Result }) {
  return z.object({
    status: z.enum(RUN_STATUSES),
    /** The request as understood so far (facts merged from the text, the fields and the answers). */
    request: parts.request.optional(),
    progress: z.object({ step: z.number().int(), steps: z.array(progressStepSchema) }),
    budgets: z.object({ limits: budgetLimitsSchema, usage: budgetUsageSchema }),
    needsInput: needsInputSchema.optional(),
    /** What approval is asked for (awaiting_approval), and what was approved afterwards. */
    quote: parts.quote.optional(),
    result: parts.result.optional(),
    /** Typed; for budget_exceeded: `details` has the budget, the limit and the usage. */
    error: runErrorSchema.optional(),
    decisions: z.array(decisionSchema).optional(),
    traceId: z.string().optional(),
    updatedAt: z.string(),
  });
}
