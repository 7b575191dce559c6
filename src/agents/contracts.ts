/**
 * The messages between the agent orchestrations and their activities. Both sides import these
 * schemas; the activities validate what they receive (a replayed or hand-raised input is still
 * checked), the orchestrations build them.
 */
import { z } from 'zod';

/** W3C trace context of the span an activity's spans belong under. */
export const traceCarrierSchema = z.object({
  traceparent: z.string().max(128),
  tracestate: z.string().max(512).optional(),
});
export type TraceCarrier = z.infer<typeof traceCarrierSchema>;

export const issueSchema = z.object({
  path: z.string(),
  issue: z.string(),
  /** What the asker proposes (dates for "in spring", the swapped dates): a client may prefill it. */
  proposal: z.unknown().optional(),
});
export type Issue = z.infer<typeof issueSchema>;

/**
 * The one failure shape of every result, run and activity output (the codes are catalogued in
 * src/domain/error-codes.ts). Parsed with any string code: a history may hold older codes.
 */
export const failureSchema = z.object({
  code: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});

export const toolResultMessageSchema = z.object({
  toolCallId: z.string(),
  name: z.string(),
  /** What the model reads: the tool's JSON result, or its error message. */
  content: z.string(),
});
export type ToolResultMessage = z.infer<typeof toolResultMessageSchema>;

export const agentTurnInputSchema = z.object({
  /** The run (root orchestration) this turn belongs to, for traces and logs. */
  runId: z.string().min(1),
  /** One agent's conversation: its transcript is kept by the activity, keyed by this id. */
  conversationId: z.string().min(1),
  agent: z.string().min(1),
  /** 0-based; turn N's transcript is turns 0…N-1 plus this turn's new messages. */
  turn: z.number().int().nonnegative(),
  /** What is new since the previous turn: the task (turn 0), tool results, or a repair request. */
  task: z.string().optional(),
  toolResults: z.array(toolResultMessageSchema).optional(),
  repair: z.array(issueSchema).optional(),
  trace: traceCarrierSchema.optional(),
});
export type AgentTurnInput = z.infer<typeof agentTurnInputSchema>;

const usageSchema = z.object({ inputTokens: z.number().int(), outputTokens: z.number().int() });
const toolCallSchema = z.object({
  id: z.string(),
  name: z.string(),
  arguments: z.record(z.string(), z.unknown()),
  /** The model's raw arguments when they were not valid JSON: the call is answered with an error. */
  invalidArguments: z.string().optional(),
});

const turnMeta = {
  usage: usageSchema,
  /** Model cost of this turn in USD, from the price table. */
  costUsd: z.number().nonnegative(),
  provider: z.string(),
  model: z.string(),
  /** True when the turn's answer came from the transcript journal (the model was not called again). */
  replayed: z.boolean(),
};

export const agentTurnOutputSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tool_calls'), toolCalls: z.array(toolCallSchema).min(1), ...turnMeta }),
  z.object({
    kind: z.literal('final'),
    /** The parsed answer when `valid`; otherwise what the model wrote (for the partial result). */
    output: z.unknown(),
    valid: z.boolean(),
    issues: z.array(issueSchema).optional(),
    ...turnMeta,
  }),
  z.object({
    kind: z.literal('failed'),
    error: failureSchema,
    ...turnMeta,
  }),
]);
export type AgentTurnOutput = z.infer<typeof agentTurnOutputSchema>;

export const callToolInputSchema = z.object({
  runId: z.string().min(1),
  agent: z.string().min(1),
  /** Qualified tool name, `server.tool`. */
  tool: z.string().min(1).max(200),
  arguments: z.record(z.string(), z.unknown()),
  /** Call-level idempotency key, derived from the instance id and the step (`toolCallKey`). */
  idempotencyKey: z.string().min(1).max(200),
  /** The model's id for the call, for traces (`gen_ai.tool.call.id`). */
  toolCallId: z.string().optional(),
  trace: traceCarrierSchema.optional(),
});
export type CallToolInput = z.infer<typeof callToolInputSchema>;

export const callToolOutputSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    tool: z.string(),
    /** The tool's structured result (or its text when it has none). */
    data: z.unknown(),
    replayed: z.boolean(),
    durationMs: z.number(),
  }),
  z.object({
    ok: z.literal(false),
    tool: z.string(),
    error: failureSchema,
    durationMs: z.number(),
  }),
]);
export type CallToolOutput = z.infer<typeof callToolOutputSchema>;

export const ACTIVITY_NAMES = {
  agentTurn: 'agentTurn',
  callTool: 'callTool',
} as const;

export const AGENT_ORCHESTRATION = 'agentLoop';
