/**
 * The support desk's shapes, zod the single source of each: the ticket a customer sends, what the
 * triage agent reads from it, a specialist's reply, the orchestration's input and its result.
 */
import { z } from 'zod';
import { budgetLimitsSchema, type BudgetLimits } from '../../agents/budgets';
import { reviewSchema } from '../../agents/orchestration/supervise';
import { runStatusSchema } from '../../agents/run-status';
import { retryPoliciesSchema } from '../../agents/retry';

export const SUPPORT_ORCHESTRATION = 'supportDesk';

/** POST /api/support/tickets */
export const ticketSchema = z
  .object({
    message: z.string().trim().min(1).max(4000),
    /** Who wrote (shown to the agents, never used to authorise anything). */
    customer: z.string().trim().min(1).max(120).optional(),
  })
  .strict();
export type Ticket = z.infer<typeof ticketSchema>;

export const SUPPORT_ROUTES = ['billing', 'technical', 'out_of_scope'] as const;
export type SupportRoute = (typeof SUPPORT_ROUTES)[number];

/** The triage agent's answer: where the ticket goes and the references it states. */
export const triageSchema = z.object({
  route: z.enum(SUPPORT_ROUTES),
  facts: z.object({
    invoiceId: z.string().max(40).optional(),
    /** An amount the customer asks back, in USD. */
    amountUsd: z.number().nonnegative().max(1_000_000).optional(),
    errorCode: z.string().max(40).optional(),
  }),
  /** The polite refusal, for out-of-scope tickets. */
  reply: z.string().max(1000).optional(),
});
export type Triage = z.infer<typeof triageSchema>;

/** A specialist's reply to the customer, and the action it takes. */
export const supportReplySchema = z.object({
  reply: z.string().min(1).max(2000),
  action: z.enum(['answer', 'refund', 'escalate', 'troubleshoot']),
  /** For `refund`: what is refunded, in USD. */
  refundUsd: z.number().nonnegative().optional(),
  /** Invoice ids, error codes and articles the reply cites. */
  references: z.array(z.string().max(80)).max(10).default([]),
});
export type SupportReply = z.infer<typeof supportReplySchema>;

/** The desk's rules the supervisor holds the specialists to. */
export const deskPolicySchema = z.object({
  /** Refunds above this go to the billing team instead of being granted by an agent. */
  autoRefundLimitUsd: z.number().nonnegative(),
});
export type DeskPolicy = z.infer<typeof deskPolicySchema>;

/** What the HTTP starter hands the orchestration: everything it needs to run deterministically. */
export const supportDeskInputSchema = z.object({
  ticket: ticketSchema,
  createdAt: z.iso.datetime(),
  limits: budgetLimitsSchema,
  retry: retryPoliciesSchema,
  policy: deskPolicySchema,
  maxRevisionRounds: z.number().int().min(0).max(5),
});
export type SupportDeskInput = z.infer<typeof supportDeskInputSchema>;

/** What the desk did with a ticket: its route, and the reply (or the refusal) with its review. */
export const supportOutcomeSchema = z.object({
  route: z.enum(SUPPORT_ROUTES).optional(),
  /** The reply the customer gets (the approved one). */
  reply: supportReplySchema.optional(),
  /** The polite refusal, for out-of-scope tickets. */
  refusal: z.string().optional(),
  /** Whether the supervisor approved the reply, after how many revision rounds. */
  approved: z.boolean().optional(),
  rounds: z.number().int().optional(),
  reviews: z.array(reviewSchema).optional(),
});
export type SupportOutcome = z.infer<typeof supportOutcomeSchema>;

/** The desk's status: the generic run status (progress, budgets, error) with the desk's outcome. */
export const supportStatusSchema = runStatusSchema({
  request: z.object({ route: z.enum(SUPPORT_ROUTES) }),
  quote: z.never(),
  result: supportOutcomeSchema,
});
export type SupportStatus = z.infer<typeof supportStatusSchema>;

/** A desk ticket is small: a few model turns, no tools. */
export const DEFAULT_SUPPORT_LIMITS: BudgetLimits = {
  steps: 30,
  tokens: 60_000,
  wallTimeMs: 10 * 60_000,
  toolCalls: 10,
  money: 1,
};
export const DEFAULT_DESK_POLICY: DeskPolicy = { autoRefundLimitUsd: 100 };
