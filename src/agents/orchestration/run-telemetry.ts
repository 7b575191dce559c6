/**
 * Telemetry from orchestrator code, replay-safe: every emitter runs only when the orchestrator is
 * not replaying, so a run replayed fifty times records each decision, agent run and final status
 * exactly once. Spans recorded here are written after the fact (start and end from orchestration
 * time) under the run's trace context, which travels in the orchestration input.
 */
import { SpanKind, trace } from '@opentelemetry/api';
import type { OrchestrationContext } from 'durable-functions';
import { endInvokeAgentSpan, resolveParent, startInvokeAgentSpan } from '../../telemetry/genai';
import { waypointMetrics } from '../../telemetry/metrics';
import type { TraceCarrier } from '../contracts';
import type { Decision, RunTracker } from '../run-tracker';
import type { AgentLoopResult } from './agent-loop';

const tracer = () => trace.getTracer('waypoint.orchestrator');

/** Records each decision the tracker takes from now on, once, as a short span under the run. */
export function traceDecisions(
  context: OrchestrationContext,
  tracker: RunTracker,
  carrier: TraceCarrier | undefined,
): void {
  tracker.onDecision = (decision: Decision) => {
    if (context.df.isReplaying) return;
    const at = new Date(decision.at);
    const span = tracer().startSpan(
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
      resolveParent(carrier),
    );
    if (decision.name === 'budget.exceeded')
      waypointMetrics().budgetBreach(String(decision.attributes.budget));
    span.end(at);
  };
}

/** `invoke_agent {agent}` for a finished agent loop (once, not on replay), with its token totals. */
export function traceAgentRun(
  context: OrchestrationContext,
  run: { runId: string; trace?: TraceCarrier | undefined },
  result: AgentLoopResult,
  startedAt: Date,
  model: { provider?: string; model?: string },
): void {
  if (context.df.isReplaying) return;
  const span = startInvokeAgentSpan(
    {
      name: result.agent,
      provider: model.provider ?? 'unknown',
      ...(model.model ? { model: model.model } : {}),
      conversationId: run.runId,
    },
    run.trace,
    {
      startTime: startedAt,
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
    ...(result.status === 'completed' ? {} : { errorType: result.error?.code ?? result.status }),
    endTime: context.df.currentUtcDateTime,
  });
}

/** Run-level metrics when a run reaches its final status (once, not on replay). */
export function recordRunFinished(context: OrchestrationContext, tracker: RunTracker, status: string): void {
  if (context.df.isReplaying) return;
  const metrics = waypointMetrics();
  metrics.runCompleted({
    status,
    durationMs: Math.max(0, context.df.currentUtcDateTime.getTime() - tracker.startedAtMs),
    steps: tracker.totalSteps,
  });
  if (tracker.usage.modelCost > 0) metrics.cost(tracker.usage.modelCost, { currency: 'USD', kind: 'model' });
}
