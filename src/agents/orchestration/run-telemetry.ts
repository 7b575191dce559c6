/**
 * Telemetry from orchestrator code, replay-safe. Every span recorded here has an id derived from
 * what it is (run, agent and round, decision number, wait number), so:
 *
 * - its children can name it before it exists: an agent's `chat` and `execute_tool` spans are
 *   recorded by activities while the agent runs, its `invoke_agent` span when it is done;
 * - recording is idempotent: a span is recorded when the orchestrator is not replaying, and an
 *   episode that is run again after a crash records it again under the same id (the trace store
 *   keeps one), so a kill at any moment loses nothing once the host has run the episode again.
 *
 * Spans hang under the orchestration span the host hands the orchestrator as its trace context
 * (the local host does; otherwise the run's trace carrier from the orchestration input), with
 * start and end from orchestration time.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { OrchestrationContext } from 'durable-functions';
import { endInvokeAgentSpan, startInvokeAgentSpan } from '../../telemetry/genai';
import { waypointMetrics } from '../../telemetry/metrics';
import {
  contextWithParent,
  deriveSpanId,
  parseTraceparent,
  startSpanWithId,
  traceparentOf,
} from '../../telemetry/span-ids';
import type { TraceCarrier } from '../contracts';
import type { Decision, RunTracker } from '../run-tracker';
import type { AgentLoopResult } from './agent-loop';

const tracer = () => trace.getTracer('waypoint.orchestrator');

/**
 * Where the orchestrator's spans belong: the orchestration span the host handed over as this
 * invocation's trace context, when it is in the run's trace; else `fallback` (the run's carrier).
 */
export function orchestrationTrace(
  context: OrchestrationContext,
  fallback?: TraceCarrier,
): TraceCarrier | undefined {
  const handed = context.traceContext?.traceParent ?? undefined;
  const own = parseTraceparent(handed);
  const run = parseTraceparent(fallback?.traceparent);
  if (!own || (run && run.traceId !== own.traceId)) return fallback;
  const state = context.traceContext?.traceState;
  return { traceparent: handed!, ...(state ? { tracestate: state.slice(0, 512) } : {}) };
}

/**
 * The `trace` of a `callTool` input the orchestrator makes itself, not an agent (looking offers
 * up, booking): its tool calls hang under the orchestration span, like its decisions, and link
 * to the activity attempt that ran them. Without a trace, nothing (the activity's span is then
 * the parent).
 */
export function ownCallTrace(
  context: OrchestrationContext,
  carrier: TraceCarrier | undefined,
): { trace?: TraceCarrier } {
  const trace = carrier ? orchestrationTrace(context, carrier) : undefined;
  return trace ? { trace } : {};
}

/** The carrier of span `spanId` in the trace of `within` (undefined without a trace). */
function childCarrier(within: TraceCarrier | undefined, spanId: string): TraceCarrier | undefined {
  const parent = parseTraceparent(within?.traceparent);
  return parent ? { traceparent: traceparentOf(parent.traceId, spanId, parent.sampled) } : undefined;
}

/** The parent context of a carrier; spans without one are not recorded (no trace to join). */
function parentContext(carrier: TraceCarrier | undefined) {
  const parent = parseTraceparent(carrier?.traceparent);
  return parent ? contextWithParent(parent.traceId, parent.spanId, ROOT_CONTEXT, parent.sampled) : undefined;
}

/** The `invoke_agent` span id of one agent conversation (a run's agent, round and key). */
export function invokeAgentSpanId(conversationId: string): string {
  return deriveSpanId('invoke_agent', conversationId);
}

/**
 * The trace context an agent's activities continue: its `invoke_agent` span, under `parent`. The
 * span is recorded when the agent is done (`traceAgentRun`); its turns and tool calls, recorded
 * as they happen, name it as their parent from the start.
 */
export function agentTrace(
  parent: TraceCarrier | undefined,
  conversationId: string,
): TraceCarrier | undefined {
  return childCarrier(parent, invokeAgentSpanId(conversationId));
}

/** Records each decision the tracker takes from now on, once, as a short span in the orchestration. */
export function traceDecisions(
  context: OrchestrationContext,
  tracker: RunTracker,
  carrier: TraceCarrier | undefined,
): void {
  runTraces.set(tracker, carrier);
  const parent = parentContext(orchestrationTrace(context, carrier));
  tracker.onDecision = (decision: Decision) => {
    if (decision.name === 'budget.exceeded' && !context.df.isReplaying)
      waypointMetrics().budgetBreach(String(decision.attributes.budget));
    if (context.df.isReplaying || !parent) return;
    const at = new Date(decision.at);
    // The tracker's decisions are the same list on every replay: the index names the decision.
    const index = tracker.decisions.length - 1;
    startSpanWithId(
      tracer(),
      `decision ${decision.name}`,
      {
        kind: SpanKind.INTERNAL,
        startTime: at,
        attributes: {
          'waypoint.run.id': tracker.runId,
          'waypoint.decision': decision.name,
          ...Object.fromEntries(
            Object.entries(decision.attributes).map(([k, v]) => [`waypoint.decision.${k}`, v]),
          ),
        },
      },
      parent,
      { spanId: deriveSpanId('decision', tracker.runId, index, decision.name) },
    ).end(at);
  };
}

/** The run's trace carrier, as `traceDecisions` was given it. */
const runTraces = new WeakMap<RunTracker, TraceCarrier | undefined>();

export interface AgentRunTrace {
  runId: string;
  /** The conversation id the agent's turns were keyed by: it names the `invoke_agent` span. */
  conversationId: string;
  /** Where the `invoke_agent` span hangs (see orchestrationTrace). */
  parent: TraceCarrier | undefined;
  /** `gen_ai.agent.description` and `gen_ai.agent.version` (see agentVersion). */
  description?: string;
  version?: string;
}

/**
 * An agent's version for `gen_ai.agent.version`: a hash of what defines its behaviour (name,
 * instructions, tools, turn limits), so a changed prompt shows as a new version.
 */
export function agentVersion(definition: {
  name: string;
  instructions: string;
  tools: readonly string[];
  maxTurns?: number | undefined;
  maxRepairs?: number | undefined;
}): string {
  return deriveSpanId(
    'agent',
    definition.name,
    definition.instructions,
    definition.tools.join('\n'),
    definition.maxTurns ?? 0,
    definition.maxRepairs ?? 0,
  );
}

/** `invoke_agent {agent}` for a finished agent loop (recorded when not replaying), with its token totals. */
export function traceAgentRun(
  context: OrchestrationContext,
  run: AgentRunTrace,
  result: AgentLoopResult,
  startedAt: Date,
  model: { provider?: string; model?: string },
): void {
  const parent = parentContext(run.parent);
  if (context.df.isReplaying || !parent) return;
  const span = startInvokeAgentSpan(
    {
      name: result.agent,
      provider: model.provider ?? 'unknown',
      ...(model.model ? { model: model.model } : {}),
      ...(run.description ? { description: run.description } : {}),
      ...(run.version ? { version: run.version } : {}),
      outputType: 'json',
      conversationId: run.runId,
    },
    parent,
    {
      startTime: startedAt,
      spanId: invokeAgentSpanId(run.conversationId),
      attributes: {
        'waypoint.run.id': run.runId,
        'waypoint.agent.status': result.status,
        'waypoint.agent.turns': result.turns,
        'waypoint.agent.tool_calls': result.usage.toolCalls,
      },
    },
  );
  endInvokeAgentSpan(span, {
    ...(result.tokens
      ? { usage: { inputTokens: result.tokens.input, outputTokens: result.tokens.output } }
      : {}),
    costUsd: result.costUsd ?? result.usage.modelCost,
    ...(result.status === 'completed' ? {} : { errorType: result.error?.code ?? result.status }),
    endTime: context.df.currentUtcDateTime,
  });
}

/** A run's final outcome, for its root span. */
export interface RunOutcome {
  /** The run's typed error (`failed`, `budget_exceeded`), when it has one. */
  error?: { code: string; message?: string } | undefined;
}

/**
 * When a run reaches its final status (recorded when not replaying): the run metrics, and the
 * run's root span, `invoke_workflow {orchestration}` — the span the trips API started the run's
 * trace under (its id is in the run's carrier), recorded now with the run's outcome on it:
 * `waypoint.run.status`, and for a run that failed or ran out of budget ERROR with `error.type`.
 */
export function recordRunFinished(
  context: OrchestrationContext,
  tracker: RunTracker,
  status: string,
  outcome: RunOutcome = {},
): void {
  if (context.df.isReplaying) return;
  const end = context.df.currentUtcDateTime;
  const metrics = waypointMetrics();
  metrics.runCompleted({
    status,
    durationMs: Math.max(0, end.getTime() - tracker.startedAtMs),
    steps: tracker.totalSteps,
  });
  if (tracker.usage.modelCost > 0) metrics.cost(tracker.usage.modelCost, { currency: 'USD', kind: 'model' });
  const root = parseTraceparent(runTraces.get(tracker)?.traceparent);
  if (!root?.sampled) return;
  const failed = status === 'failed' || status === 'budget_exceeded';
  // The run's error as given, else as its published status says (`{error: {code, message}}`).
  const error = outcome.error ?? publishedError(context.df.customStatus);
  const workflow = context.functionName || 'workflow';
  const attributes: Attributes = {
    'gen_ai.operation.name': 'invoke_workflow',
    'gen_ai.workflow.name': workflow,
    'gen_ai.agent.name': workflow,
    'gen_ai.conversation.id': tracker.runId,
    'waypoint.run.id': tracker.runId,
    'waypoint.run.status': status,
    'waypoint.run.steps': tracker.totalSteps,
    'waypoint.run.tokens': tracker.usage.tokens,
    'waypoint.run.tool_calls': tracker.usage.toolCalls,
    'waypoint.cost.usd': tracker.usage.modelCost,
    ...(failed ? { 'error.type': error?.code ?? status } : {}),
  };
  const span = startSpanWithId(
    tracer(),
    `invoke_workflow ${workflow}`,
    { kind: SpanKind.INTERNAL, root: true, startTime: new Date(tracker.startedAtMs), attributes },
    ROOT_CONTEXT,
    { spanId: root.spanId, traceId: root.traceId },
  );
  if (failed) span.setStatus({ code: SpanStatusCode.ERROR, message: error?.message ?? status });
  span.end(end);
}

function publishedError(status: unknown): RunOutcome['error'] {
  const error = (status as { error?: { code?: unknown; message?: unknown } } | null | undefined)?.error;
  if (typeof error?.code !== 'string') return undefined;
  return { code: error.code, ...(typeof error.message === 'string' ? { message: error.message } : {}) };
}

/** Waits an orchestration has made for each event name, per invocation (the same on every replay). */
const waitCounts = new WeakMap<object, Map<string, number>>();

/**
 * The id of the `n`-th wait (1-based) of instance `instanceId` for `eventName`. The API that
 * raises the event computes it too (from the round the run published), so the request that
 * answered hangs its event span under the wait it ended.
 */
export function waitSpanId(instanceId: string, eventName: string, n: number): string {
  return deriveSpanId('wait', instanceId, eventName, n);
}

/** Counts a wait for `eventName` that starts now; returns the function that records its end. */
export function traceWait(
  context: OrchestrationContext,
  eventName: string,
  deadline: Date,
): (outcome: 'reply' | 'timeout') => void {
  let counts = waitCounts.get(context.df);
  if (!counts) waitCounts.set(context.df, (counts = new Map<string, number>()));
  const n = (counts.get(eventName) ?? 0) + 1;
  counts.set(eventName, n);
  const startedAt = context.df.currentUtcDateTime;
  return (outcome) => {
    const parent = parentContext(orchestrationTrace(context));
    if (context.df.isReplaying || !parent) return;
    const span = startSpanWithId(
      tracer(),
      `wait ${eventName}`,
      {
        kind: SpanKind.INTERNAL,
        startTime: startedAt,
        attributes: {
          'waypoint.wait.event': eventName,
          'waypoint.wait.number': n,
          'waypoint.wait.outcome': outcome,
          'waypoint.wait.deadline': deadline.toISOString(),
          // Waits are the run's own (its root orchestration's), whose instance id is the run id.
          'waypoint.run.id': context.df.instanceId,
          'durabletask.task.instance_id': context.df.instanceId,
        },
      },
      parent,
      { spanId: waitSpanId(context.df.instanceId, eventName, n) },
    );
    span.end(context.df.currentUtcDateTime);
  };
}
