/**
 * The support desk's agents, as definitions for the generic runtime: a triage router, two
 * specialists (billing, technical) and a supervisor. None calls a tool: the desk answers from
 * what the ticket says, and a refund over the desk's limit is escalated, never granted by a model.
 */
import { AgentRegistry, defineAgent } from '../../agents/definitions';
import { reviewSchema } from '../../agents/orchestration/supervise';
import { supportReplySchema, triageSchema } from './schemas';

export const triage = defineAgent({
  name: 'triage',
  description: 'Routes a ticket to billing or technical support, or declines it',
  instructions:
    'You triage support tickets for a software subscription. The user message is JSON: {message}. ' +
    'Answer with JSON {route, facts, reply?}: route "billing" (invoices, charges, refunds, plans), ' +
    '"technical" (errors, sign-in, installation, performance) or "out_of_scope" (anything else: give ' +
    'a short polite "reply"). facts: invoiceId, amountUsd and errorCode exactly as written; never invent one.',
  tools: [],
  output: triageSchema,
  maxTurns: 2,
});

const replyFormat =
  'Answer with JSON {reply, action, refundUsd?, references}: reply is what the customer reads, ' +
  'references the invoice ids or error codes you cite. If the message has "feedback", revise your ' +
  'previous reply to meet it.';

export const billing = defineAgent({
  name: 'billing',
  description: 'Answers billing questions and refund requests',
  instructions:
    'You are the billing specialist. The user message is JSON: {message, facts, feedback?}. For a ' +
    'refund request, refund the amount asked (action "refund", refundUsd) or escalate to the billing ' +
    'team (action "escalate"); otherwise explain the charge (action "answer"). ' +
    replyFormat,
  tools: [],
  output: supportReplySchema,
  maxTurns: 2,
});

export const technical = defineAgent({
  name: 'technical',
  description: 'Troubleshoots technical problems',
  instructions:
    'You are the technical support specialist. The user message is JSON: {message, facts, feedback?}. ' +
    'Give numbered troubleshooting steps for the problem described (action "troubleshoot"), citing ' +
    'the error code if there is one. ' +
    replyFormat,
  tools: [],
  output: supportReplySchema,
  maxTurns: 2,
});

export const deskSupervisor = defineAgent({
  name: 'desk-supervisor',
  description: "Checks a specialist's reply against the desk policy",
  instructions:
    'You review support replies before they are sent. The user message is JSON: {ticket: {message, ' +
    'route, facts}, policy: {autoRefundLimitUsd}, reply}. Approve a reply that answers the ticket, ' +
    'cites its invoice id or error code, and grants no refund above autoRefundLimitUsd; otherwise ask ' +
    "the specialist (the ticket's route) for a revision with concrete feedback. Answer with JSON " +
    '{approved, findings, revisions: [{agent, feedback}]}.',
  tools: [],
  output: reviewSchema,
  maxTurns: 2,
});

/** The specialists, by the route that reaches them. */
export const DESK_SPECIALISTS = { billing, technical } as const;

export const SUPPORT_AGENTS = new AgentRegistry([triage, billing, technical, deskSupervisor]);
