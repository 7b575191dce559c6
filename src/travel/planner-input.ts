/**
 * What the trips API hands the `tripPlanner` orchestration: everything it needs to run
 * deterministically — the request, its owner, the resolved budget limits, retry policies and
 * timeouts from config, and the trace context of the HTTP request that started it.
 */
import { z } from 'zod';
import { budgetLimitsSchema } from '../agents/budgets';
import { traceCarrierSchema } from '../agents/contracts';
import { retryPoliciesSchema } from '../agents/retry';
import { tripRequestBodySchema } from './schemas';

export const tripPlannerInputSchema = z.object({
  /** The caller that owns the run (reads and acts on it). */
  owner: z.string().min(1).max(200),
  body: tripRequestBodySchema,
  /** SHA-256 of the canonical body: the same Idempotency-Key with another body is refused (422). */
  requestHash: z.string(),
  createdAt: z.string(),
  limits: budgetLimitsSchema,
  retry: retryPoliciesSchema,
  /** Tools with side effects (the write retry policy; booking only after approval). */
  writeTools: z.array(z.string()),
  /** How long the run waits for missing facts, and for approval, before it ends. */
  inputTimeoutMs: z.number().int().positive(),
  approvalTimeoutMs: z.number().int().positive(),
  /** Rounds of asking for missing facts before the run fails. */
  maxInputRounds: z.number().int().min(1).max(10),
  /** Supervisor revision rounds. */
  maxRevisionRounds: z.number().int().min(0).max(5),
  /** Repair turns after an answer fails its schema. */
  maxRepairs: z.number().int().min(0).max(5).optional(),
  trace: traceCarrierSchema.optional(),
});
export type TripPlannerInput = z.infer<typeof tripPlannerInputSchema>;
