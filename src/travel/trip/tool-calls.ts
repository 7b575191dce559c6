/**
 * The planner's own tool calls — not a model's: looking offers up by id before they are quoted,
 * and the bookings after approval. Each is a `callTool` activity with the read or write retry
 * policy and a deterministic idempotency key, counted against the run's budgets and shown as a
 * step, like an agent's tool calls.
 */
import type { OrchestrationContext, Task } from 'durable-functions';
import { ACTIVITY_NAMES, type CallToolInput, type CallToolOutput } from '../../agents/contracts';
import { retryOptions } from '../../agents/orchestration/retry-options';
import type { RunOptions } from '../../agents/orchestration/run-options';
import { ownCallTrace } from '../../agents/orchestration/run-telemetry';
import { toolCallKey } from '../../domain/idempotency-keys';

type Gen<T> = Generator<Task, T, unknown>;

/** The orchestrator's caller names in the tool client's allow-list. */
export const QUOTE_AGENT = 'quote';
export const BOOKING_AGENT = 'booking';
export const QUOTE_TOOLS = [
  'flights.get_flight_details',
  'hotels.get_hotel_details',
  'flights.search_flights',
  'hotels.search_hotels',
] as const;
export const BOOKING_TOOLS = ['bookings.book_flight', 'bookings.book_hotel'] as const;

export interface PlannerCall {
  agent: typeof QUOTE_AGENT | typeof BOOKING_AGENT;
  tool: string;
  arguments: Record<string, unknown>;
  /** Unique within the run: the idempotency key is derived from it. */
  stepId: string;
  /** What the progress shows. */
  label: string;
}

/** A call whose activity gave up after its retries, as a typed failure. */
function unavailable(call: PlannerCall, error: unknown): CallToolOutput {
  const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return {
    ok: false,
    tool: call.tool,
    error: { code: 'unavailable', message: message.slice(0, 300) },
    durationMs: 0,
  };
}

/** The `callTool` activity for `call`, with the read or write retry policy. */
function activityFor(context: OrchestrationContext, run: RunOptions, call: PlannerCall): Task {
  const write = run.writeTools.includes(call.tool);
  const input: CallToolInput = {
    runId: run.runId,
    agent: call.agent,
    tool: call.tool,
    arguments: call.arguments,
    idempotencyKey: toolCallKey(run.runId, call.stepId),
    ...ownCallTrace(context, run.trace),
  };
  return context.df.callActivityWithRetry(
    ACTIVITY_NAMES.callTool,
    retryOptions(write ? run.retry.toolWrite : run.retry.toolRead),
    input,
  );
}

function* callOne(context: OrchestrationContext, run: RunOptions, call: PlannerCall): Gen<CallToolOutput> {
  const now = () => context.df.currentUtcDateTime;
  const step = run.tracker.begin('tool', call.label, now());
  let output: CallToolOutput;
  try {
    output = (yield activityFor(context, run, call)) as CallToolOutput;
  } catch (error) {
    output = unavailable(call, error);
  }
  run.tracker.charge({ steps: 1, toolCalls: 1 }, now());
  run.tracker.end(
    step,
    output.ok ? 'completed' : 'failed',
    now(),
    output.ok ? (output.replayed ? 'replayed' : undefined) : output.error.code,
  );
  return output;
}

/**
 * Runs `calls` after checking the budgets have room for all of them: reads in parallel, writes
 * one after another (so each booking's outcome is known before the next is made). A call that
 * fails for good comes back as `ok: false`, never as a throw.
 */
export function* plannerCalls(
  context: OrchestrationContext,
  run: RunOptions,
  calls: readonly PlannerCall[],
  mode: 'parallel' | 'sequential',
): Gen<CallToolOutput[]> {
  if (calls.length === 0) return [];
  run.tracker.check(context.df.currentUtcDateTime, { steps: calls.length, toolCalls: calls.length });
  if (mode === 'sequential') {
    const outputs: CallToolOutput[] = [];
    for (const call of calls) outputs.push(yield* callOne(context, run, call));
    return outputs;
  }
  const tasks = calls.map((call) => activityFor(context, run, call));
  const now = () => context.df.currentUtcDateTime;
  const steps = calls.map((call) => run.tracker.begin('tool', call.label, now()));
  let outputs: CallToolOutput[];
  try {
    outputs = (yield context.df.Task.all(tasks)) as CallToolOutput[];
  } catch (error) {
    outputs = calls.map((call) => unavailable(call, error));
  }
  run.tracker.charge({ steps: calls.length, toolCalls: calls.length }, now());
  outputs.forEach((output, i) =>
    run.tracker.end(
      steps[i],
      output.ok ? 'completed' : 'failed',
      now(),
      output.ok ? undefined : output.error.code,
    ),
  );
  return outputs;
}
