/**
 * The run's progress as the traveller (or any caller) sees it: a list of steps with their kind,
 * name, status and times, and the decisions the orchestrator took. Pure data; the orchestrator
 * appends to it and publishes it in its custom status.
 */
import { z } from 'zod';

export const STEP_KINDS = [
  'route',
  'validate',
  'plan',
  'agent',
  'tool',
  'review',
  'compose',
  'approve',
  'book',
] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export const progressStepSchema = z.object({
  id: z.string(),
  kind: z.enum(STEP_KINDS),
  name: z.string(),
  status: z.enum(['running', 'completed', 'failed', 'skipped']),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  /** A short note: the route chosen, the tool's error code, "replayed" … */
  detail: z.string().optional(),
});
export type ProgressStep = z.infer<typeof progressStepSchema>;

/** A run keeps at most this many steps in its status; older ones are summarised by the count. */
export const MAX_STEPS_SHOWN = 200;
