/**
 * The durable agent loop: one model turn is one `agentTurn` activity, each tool call
 * one `callTool` activity, and the orchestrator drives the loop. A crash therefore never repeats
 * a finished model or tool call (their results are in the history), budgets are checked before
 * every step, and the history holds only what is new each turn: the transcript itself stays with
 * the `agentTurn` activity, keyed by the conversation id.
 *
 * It runs as its own sub-orchestration (`agentLoop`), so parallel specialists each have a small
 * history, and as a `yield*` helper for callers that want it inline.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { z } from 'zod';
import { toolCallKey } from '../../domain/idempotency-keys';
import { runFailure, type Failure, type RunErrorCode } from '../../domain/error-codes';
import { budgetLimitsSchema, budgetUsageSchema, type BudgetBreach, type BudgetUsage } from '../budgets';
import {
  ACTIVITY_NAMES,
  failureSchema,
  traceCarrierSchema,
  type AgentTurnInput,
  type AgentTurnOutput,
  type CallToolInput,
  type CallToolOutput,
  type Issue,
  type ToolResultMessage,
} from '../contracts';
import { progressStepSchema, type ProgressStep } from '../progress';
import { retryPoliciesSchema } from '../retry';
import { BudgetExceededError, RunTracker } from '../run-tracker';
import { retryOptions } from './retry-options';
import { agentTrace, orchestrationTrace, traceAgentRun } from './run-telemetry';

export const agentLoopInputSchema = z.object({
  /** The root run: budgets, traces and keys are per run. */
  runId: z.string().min(1),
  agent: z.string().min(1),
  /** How progress names this run of the agent ("hotels, revision 1"); the agent's name by default. */
  label: z.string().max(100).optional(),
  /** The agent definition's one line and version, for its `invoke_agent` span. */
  description: z.string().max(500).optional(),
  version: z.string().max(64).optional(),
  /** The user message that starts the conversation: the task, as text (often JSON). */
  task: z.string().min(1),
  maxTurns: z.number().int().min(1).max(50),
  maxRepairs: z.number().int().min(0).max(5),
  /** This loop's share of the run's budgets (each may be 0: the first check then stops it). */
  limits: budgetLimitsSchema.extend({
    steps: z.number().int().nonnegative(),
    tokens: z.number().int().nonnegative(),
    toolCalls: z.number().int().nonnegative(),
    money: z.number().nonnegative(),
  }),
  /** The run's start (epoch ms): wall time is the run's, not the loop's. */
  startedAtMs: z.number(),
  retry: retryPoliciesSchema,
  /** Tools with side effects: called with the write retry policy. */
  writeTools: z.array(z.string()),
  trace: traceCarrierSchema.optional(),
});
export type AgentLoopInput = z.infer<typeof agentLoopInputSchema>;

export const agentLoopResultSchema = z.object({
  agent: z.string(),
  status: z.enum(['completed', 'failed', 'budget_exceeded']),
  /** The validated answer (completed). */
  output: z.unknown().optional(),
  /** The last answer that failed validation, if any: part of a partial result. */
  partial: z.unknown().optional(),
  error: failureSchema.optional(),
  breach: z.object({ budget: z.string(), limit: z.number(), used: z.number() }).optional(),
  usage: budgetUsageSchema,
  /** Token totals by direction, and the model that answered (for the invoke_agent span). */
  tokens: z.object({ input: z.number().int(), output: z.number().int() }).optional(),
  /** What the agent's model turns cost, exactly (the budget's usage rounds each charge to a micro-dollar). */
  costUsd: z.number().nonnegative().optional(),
  model: z.object({ provider: z.string(), model: z.string() }).optional(),
  turns: z.number().int(),
  steps: z.array(progressStepSchema),
});
export type AgentLoopResult = z.infer<typeof agentLoopResultSchema>;

/**
 * Runs one agent to its final answer. Never throws for an agent-level failure: the result says
 * `failed` (typed error) or `budget_exceeded` (which budget, the usage, the partial answer).
 * Traced as `invoke_agent {agent}` in the calling orchestration's span: its turns and tool calls
 * (recorded by the activities) are that span's children from the start, the span itself is
 * recorded when the loop is done.
 */
export function* agentLoop(
  context: OrchestrationContext,
  input: AgentLoopInput,
  conversationId: string = context.df.instanceId,
  /**
   * Called with the loop's steps (the one waiting is `running`) just before it waits on a model
   * turn or tool calls, so the caller can publish them: a slow or hung model shows as a running
   * turn, not as a run with no steps.
   */
  onWait?: (steps: readonly ProgressStep[]) => void,
): Generator<Task, AgentLoopResult, unknown> {
  const startedAt = context.df.currentUtcDateTime;
  const parent = orchestrationTrace(context, input.trace);
  const result = yield* runLoop(context, input, conversationId, agentTrace(parent, conversationId), onWait);
  traceAgentRun(
    context,
    {
      runId: input.runId,
      conversationId,
      parent,
      ...(input.description ? { description: input.description } : {}),
      ...(input.version ? { version: input.version } : {}),
    },
    result,
    startedAt,
    result.model ?? {},
  );
  return result;
}

function* runLoop(
  context: OrchestrationContext,
  input: AgentLoopInput,
  conversationId: string,
  /** The agent's `invoke_agent` span: what its activities' spans continue. */
  trace: AgentLoopInput['trace'],
  onWait: ((steps: readonly ProgressStep[]) => void) | undefined,
): Generator<Task, AgentLoopResult, unknown> {
  const tracker = new RunTracker(input.runId, input.limits, input.startedAtMs);
  const now = () => context.df.currentUtcDateTime;
  const scope: LoopScope = { tracker, now, conversationId, trace, onWait };
  let next: Pick<AgentTurnInput, 'task' | 'toolResults' | 'repair'> = { task: input.task };
  let repairs = 0;
  let partial: unknown;
  let turn = 0;
  /** Model turns asked for (a turn stopped by a budget before it was asked is not one). */
  let turnsTaken = 0;
  const tokens = { input: 0, output: 0 };
  let costUsd = 0;
  let model: { provider: string; model: string } | undefined;

  const result = (
    status: AgentLoopResult['status'],
    extra: Partial<Pick<AgentLoopResult, 'output' | 'error' | 'breach'>> = {},
  ): AgentLoopResult => ({
    agent: input.agent,
    status,
    ...extra,
    ...(partial === undefined || status === 'completed' ? {} : { partial }),
    usage: tracker.usage,
    tokens,
    costUsd,
    ...(model ? { model } : {}),
    turns: turnsTaken,
    steps: tracker.steps,
  });
  const exceeded = (breach: BudgetBreach, usage: BudgetUsage) => {
    tracker.usage = usage;
    return result('budget_exceeded', {
      breach,
      error: runFailure('budget_exceeded', `The ${breach.budget} budget is used up.`),
    });
  };

  try {
    // Repair turns come on top of maxTurns (tool rounds plus the answer), bounded by maxRepairs.
    for (; turn < input.maxTurns + repairs; turn++) {
      // A turn costs at least a step, a token and a micro-dollar: a spent (or zero) share stops here.
      tracker.check(now(), { steps: 1, tokens: 1, modelCost: 0.000001 });
      const step = tracker.begin('agent', `${input.label ?? input.agent} turn ${turn + 1}`, now());
      turnsTaken++;
      const asked = yield* askModel(context, input, scope, step, { turn, ...next });
      if (!asked.ok) return result('failed', { error: asked.error });
      const answer = asked.answer;
      costUsd += answer.costUsd;
      model = { provider: answer.provider, model: answer.model };
      chargeTurn(scope, tokens, answer);

      if (answer.kind === 'failed') {
        tracker.end(step, 'failed', now(), answer.error.code);
        return result('failed', { error: answer.error });
      }
      if (answer.kind === 'final') {
        if (answer.valid) {
          tracker.end(step, 'completed', now(), 'answered');
          return result('completed', { output: answer.output });
        }
        partial = answer.output;
        const issues: Issue[] = answer.issues ?? [{ path: '', issue: 'not valid JSON' }];
        if (repairs >= input.maxRepairs) {
          tracker.end(step, 'failed', now(), 'invalid output');
          return result('failed', {
            error: runFailure(
              'invalid_output',
              `${input.agent}'s answer failed its schema after ${repairs} repair turn(s).`,
              issues,
            ),
          });
        }
        repairs++;
        tracker.end(step, 'completed', now(), 'answer failed its schema: asking for a repair');
        next = { repair: issues };
        continue;
      }

      tracker.end(step, 'completed', now(), `${answer.toolCalls.length} tool call(s)`);
      const called = yield* callTools(context, input, scope, turn, answer.toolCalls);
      if (!called.ok) return result('failed', { error: called.error });
      next = { toolResults: called.toolResults };
    }
    return result('failed', {
      error: runFailure('max_turns', `${input.agent} gave no final answer in ${input.maxTurns} turns.`),
    });
  } catch (error) {
    if (error instanceof BudgetExceededError) return exceeded(error.breach, error.usage);
    throw error;
  }
}

/** What one agent loop's steps share. */
interface LoopScope {
  tracker: RunTracker;
  now: () => Date;
  conversationId: string;
  /** The agent's `invoke_agent` span: what its activities' spans continue. */
  trace: AgentLoopInput['trace'];
  onWait: ((steps: readonly ProgressStep[]) => void) | undefined;
}

type Outcome<T> = ({ ok: true } & T) | { ok: false; error: Failure };

/** One model turn, as an `agentTurn` activity; a turn whose activity gave up fails the loop. */
function* askModel(
  context: OrchestrationContext,
  input: AgentLoopInput,
  { tracker, now, conversationId, trace, onWait }: LoopScope,
  step: ProgressStep,
  turn: Pick<AgentTurnInput, 'turn' | 'task' | 'toolResults' | 'repair'>,
): Generator<Task, Outcome<{ answer: AgentTurnOutput }>, unknown> {
  const turnInput: AgentTurnInput = {
    runId: input.runId,
    conversationId,
    agent: input.agent,
    ...turn,
    ...(trace ? { trace } : {}),
  };
  onWait?.(tracker.steps);
  try {
    const answer = (yield context.df.callActivityWithRetry(
      ACTIVITY_NAMES.agentTurn,
      retryOptions(input.retry.model),
      turnInput,
    )) as AgentTurnOutput;
    return { ok: true, answer };
  } catch (error) {
    tracker.charge({ steps: 1 }, now());
    tracker.end(step, 'failed', now(), 'model unavailable');
    return { ok: false, error: activityError('model_unavailable', error) };
  }
}

/** Adds a model turn to the token totals and charges it to the budgets (which may throw a breach). */
function chargeTurn(
  { tracker, now }: LoopScope,
  tokens: { input: number; output: number },
  answer: AgentTurnOutput,
): void {
  tokens.input += answer.usage.inputTokens;
  tokens.output += answer.usage.outputTokens;
  tracker.charge(
    {
      steps: 1,
      tokens: answer.usage.inputTokens + answer.usage.outputTokens,
      modelCost: answer.costUsd,
    },
    now(),
  );
}

/** The turn's tool calls, all in parallel, each its own `callTool` activity and call key. */
function* callTools(
  context: OrchestrationContext,
  input: AgentLoopInput,
  { tracker, now, conversationId, trace, onWait }: LoopScope,
  turn: number,
  toolCalls: Extract<AgentTurnOutput, { kind: 'tool_calls' }>['toolCalls'],
): Generator<Task, Outcome<{ toolResults: ToolResultMessage[] }>, unknown> {
  tracker.check(now(), { steps: toolCalls.length, toolCalls: toolCalls.length });
  const toolSteps = toolCalls.map((call) => tracker.begin('tool', call.name, now()));
  // A call whose arguments were not valid JSON is answered with an error and never run.
  const runnable = toolCalls
    .map((call, index) => ({ call, index }))
    .filter(({ call }) => call.invalidArguments === undefined);
  const tasks = runnable.map(({ call, index }) => {
    const callInput: CallToolInput = {
      runId: input.runId,
      agent: input.agent,
      tool: call.name,
      arguments: call.arguments,
      idempotencyKey: toolCallKey(conversationId, `t${turn}/c${index}`),
      toolCallId: call.id,
      ...(trace ? { trace } : {}),
    };
    const policy = input.writeTools.includes(call.name) ? input.retry.toolWrite : input.retry.toolRead;
    return context.df.callActivityWithRetry(ACTIVITY_NAMES.callTool, retryOptions(policy), callInput);
  });
  let ran: CallToolOutput[];
  if (tasks.length > 0) onWait?.(tracker.steps);
  try {
    ran = tasks.length > 0 ? ((yield context.df.Task.all(tasks)) as CallToolOutput[]) : [];
  } catch (error) {
    tracker.charge({ steps: tasks.length, toolCalls: tasks.length }, now());
    for (const s of toolSteps) tracker.end(s, 'failed', now(), 'unavailable');
    return { ok: false, error: activityError('tool_unavailable', error) };
  }
  const outputs: CallToolOutput[] = toolCalls.map((call) => ({
    ok: false,
    tool: call.name,
    error: runFailure('invalid_arguments', 'The arguments were not valid JSON; send a JSON object.'),
    durationMs: 0,
  }));
  runnable.forEach(({ index }, position) => (outputs[index] = ran[position]!));
  tracker.charge({ steps: tasks.length, toolCalls: tasks.length }, now());
  outputs.forEach((output, index) =>
    tracker.end(
      toolSteps[index],
      output.ok ? 'completed' : 'failed',
      now(),
      output.ok ? (output.replayed ? 'replayed' : undefined) : output.error.code,
    ),
  );
  return { ok: true, toolResults: outputs.map((output, index) => toolMessage(toolCalls[index], output)) };
}

/** The tool result as the model reads it: the data as JSON, or the failure as an error object. */
function toolMessage(call: { id: string; name: string }, output: CallToolOutput): ToolResultMessage {
  const content = output.ok
    ? typeof output.data === 'string'
      ? output.data
      : JSON.stringify(output.data)
    : JSON.stringify({ error: { code: output.error.code, message: output.error.message } });
  return { toolCallId: call.id, name: call.name, content };
}

/** An activity that failed after all its retries, as a typed error (no stack in the status). */
function activityError(code: RunErrorCode, error: unknown): Failure {
  const message = error instanceof Error ? error.message.split('\n')[0].slice(0, 300) : String(error);
  return runFailure(code, `Gave up after retries: ${message}`);
}

/** The registered sub-orchestration: one agent loop, its input validated. */
export function* agentLoopOrchestration(
  context: OrchestrationContext,
): Generator<Task, AgentLoopResult, unknown> {
  const input = agentLoopInputSchema.parse(context.df.getInput());
  // A child's status shows its own steps while it runs (the parent shows it as one running agent).
  return yield* agentLoop(context, input, undefined, (steps) =>
    context.df.setCustomStatus({ agent: input.agent, steps }),
  );
}

export type { ProgressStep };
