/**
 * The spans the Durable extension emits with distributed tracing V2, emitted by the local host so
 * a local trace has the cloud's shape: one SERVER span per activity attempt (`activity:{name}`),
 * whose context the activity receives as its InvocationContext.traceContext, and one
 * `orchestration:{name}` span per instance when it reaches a final state. Only the OpenTelemetry
 * API is used: the app registers the SDK in this process, and without one these spans are no-ops
 * that still pass the instance's trace context through.
 */
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { contextFromTraceHeaders, traceHeadersFor } from '../../telemetry/propagation';
import type { InstanceRecord } from './store';

const tracer = (): Tracer => trace.getTracer('waypoint.local-host');

/** The instance's trace context as a parent; never whatever context happens to be active in the host. */
function parentOf(traceParent: string | null) {
  return traceParent ? contextFromTraceHeaders({ traceparent: traceParent }, ROOT_CONTEXT) : ROOT_CONTEXT;
}

export interface ActivityAttempt {
  name: string;
  instanceId: string;
  taskId: number;
  traceParent: string | null;
}

/**
 * Runs one activity attempt inside its `activity:{name}` span. `run` receives the traceparent the
 * activity should see (the span's own; the instance's when no SDK records spans; null when there
 * is none) and runs with the span active. A throw marks the span as failed and is rethrown.
 */
export async function inActivitySpan<T>(
  attempt: ActivityAttempt,
  run: (traceParent: string | null) => Promise<T>,
): Promise<T> {
  const span = tracer().startSpan(
    `activity:${attempt.name}`,
    {
      kind: SpanKind.SERVER,
      attributes: {
        'durabletask.type': 'activity',
        'durabletask.task.name': attempt.name,
        'durabletask.task.instance_id': attempt.instanceId,
        'durabletask.task.task_id': attempt.taskId,
      },
    },
    parentOf(attempt.traceParent),
  );
  const active = trace.setSpan(ROOT_CONTEXT, span);
  try {
    return await context.with(active, () => run(traceHeadersFor(active).traceparent ?? null));
  } catch (error) {
    failSpan(span, error);
    throw error;
  } finally {
    span.end();
  }
}

/**
 * Emits the instance's `orchestration:{name}` span, from its created time to its last update.
 * Call once, when a committed transition made the instance final: the transition happens once
 * (replays and a restart never repeat it), so the span is emitted once. A crash between that
 * commit and this call loses the span rather than risking two.
 */
export function emitOrchestrationSpan(instance: InstanceRecord): void {
  const span = tracer().startSpan(
    `orchestration:${instance.name}`,
    {
      kind: SpanKind.SERVER,
      startTime: new Date(instance.createdTime),
      attributes: {
        'durabletask.type': 'orchestration',
        'durabletask.task.name': instance.name,
        'durabletask.task.instance_id': instance.instanceId,
        'durabletask.task.execution_id': instance.executionId,
        'durabletask.runtime_status': instance.runtimeStatus,
      },
    },
    parentOf(instance.traceParent),
  );
  if (instance.runtimeStatus === 'Failed') {
    span.setStatus({ code: SpanStatusCode.ERROR, message: failureReason(instance.output) });
    span.setAttribute('error.type', 'OrchestrationFailed');
  }
  span.end(new Date(instance.lastUpdatedTime));
}

function failSpan(span: Span, error: unknown): void {
  const type = error instanceof Error ? error.name : typeof error;
  span.setAttribute('error.type', type);
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

/** A failed instance's output is its failure reason as a JSON string. */
function failureReason(output: string | null): string | undefined {
  if (output === null) return undefined;
  try {
    const value = JSON.parse(output) as unknown;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
