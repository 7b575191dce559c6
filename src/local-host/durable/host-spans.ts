/**
 * The Durable Task runtime's spans, emitted by the local host in the shapes of the Durable Task
 * tracing specification (durabletask-dotnet / durabletask-js, the Durable extension's distributed
 * tracing V2), so a local trace reads like a cloud one:
 *
 *   orchestration:{name}          SERVER    the instance, from creation to its final state
 *   ├─ activity:{name}            CLIENT    the orchestration waiting on one activity attempt
 *   │  └─ activity:{name}         SERVER    the attempt running; its context is the activity's
 *   │                                       InvocationContext.traceContext
 *   ├─ orchestration:{child}      CLIENT    waiting on a sub-orchestration
 *   │  └─ orchestration:{child}   SERVER    the child instance (its own tree below)
 *   └─ orchestration:{name}:timer INTERNAL  a durable timer, from creation to firing
 *
 * Every span id is derived from what identifies the span (instance, execution, task id), so a
 * parent is known before it is recorded (an activity ends long before its orchestration), and a
 * span recorded again after a crash-rerun has the id it had: the trace store keeps one. Spans are
 * emitted before the commit that makes their step final, so a kill after the commit loses none.
 * The orchestrator function itself is handed its orchestration span as trace context: what it
 * records (agents, decisions) sits inside its orchestration.
 *
 * Only the OpenTelemetry API is used: without an SDK these are no-ops that still pass trace
 * context through.
 */
import {
  context,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Span,
  type Tracer,
} from '@opentelemetry/api';
import { contextWithRunId, runIdFrom } from '../../telemetry/run-context';
import {
  contextWithParent,
  deriveSpanId,
  deriveTraceId,
  parseTraceparent,
  startSpanWithId,
  traceparentOf,
} from '../../telemetry/span-ids';
import { EventType, type HistoryEvent, type TimerPurpose } from './history';
import type { InstanceRecord } from './store';

const tracer = (): Tracer => trace.getTracer('waypoint.local-host');

/** What identifies an execution's trace: the instance, its execution, and the context it was started in. */
export interface ExecutionTrace {
  instanceId: string;
  executionId: string;
  /** The traceparent the instance was started with (the caller's, or its parent's CLIENT span). */
  traceParent: string | null;
}

interface Ids {
  traceId: string;
  spanId: string;
  sampled: boolean;
}

/** The orchestration span of an execution; a new trace (derived id) when it was started without one. */
function orchestrationIds(execution: ExecutionTrace): Ids {
  const started = parseTraceparent(execution.traceParent);
  return {
    traceId: started?.traceId ?? deriveTraceId('durabletask', execution.instanceId, execution.executionId),
    spanId: deriveSpanId('orchestration', execution.instanceId, execution.executionId),
    sampled: started?.sampled ?? true,
  };
}

/** The traceparent an orchestrator function is handed: its own orchestration span. */
export function orchestrationTraceParent(execution: ExecutionTrace): string {
  const ids = orchestrationIds(execution);
  return traceparentOf(ids.traceId, ids.spanId, ids.sampled);
}

/** A sub-orchestration's traceparent: the parent's CLIENT span for it (task `taskId`). */
export function subOrchestrationTraceParent(parent: ExecutionTrace, taskId: number): string {
  const ids = orchestrationIds(parent);
  const clientId = deriveSpanId('orchestration-client', parent.instanceId, parent.executionId, taskId);
  return traceparentOf(ids.traceId, clientId, ids.sampled);
}

/**
 * A parent context for a host span: span `spanId`, and the run the host is working for (so the
 * span carries `waypoint.run.id`), nothing else of whatever context is active.
 */
function underSpan(ids: Ids, spanId: string): Context {
  const runId = runIdFrom(context.active());
  const base = runId === undefined ? ROOT_CONTEXT : contextWithRunId(runId, ROOT_CONTEXT);
  return contextWithParent(ids.traceId, spanId, base, ids.sampled);
}

/**
 * The run an instance belongs to: its root orchestration's instance id (a sub-orchestration's
 * parents are followed up through `lookup`).
 */
export function runIdOf(
  instanceId: string,
  lookup: (id: string) => { parentInstanceId: string | null } | undefined,
): string {
  let id = instanceId;
  for (let depth = 0; depth < 32; depth++) {
    const parent = lookup(id)?.parentInstanceId;
    if (!parent) return id;
    id = parent;
  }
  return id;
}

/**
 * The context the host's work for an execution runs in — its orchestration span and its run —
 * so the host's log lines about it carry `trace_id`, `span_id` and `waypoint.run.id`. Built from
 * the execution alone, never from whatever context happened to be active when the work was
 * scheduled (a request's, say).
 */
export function executionContext(execution: ExecutionTrace, runId: string): Context {
  const ids = orchestrationIds(execution);
  return contextWithParent(ids.traceId, ids.spanId, contextWithRunId(runId, ROOT_CONTEXT), ids.sampled);
}

export interface ActivityAttempt extends ExecutionTrace {
  name: string;
  taskId: number;
  /** When the orchestration scheduled this attempt (TaskScheduled): the CLIENT span's start. */
  scheduledAt?: Date | undefined;
}

/**
 * Runs one activity attempt inside its spans: `activity:{name}` SERVER while it runs, under the
 * CLIENT span of the orchestration waiting for it (from scheduling to the end of the attempt).
 * `run` receives the traceparent the activity should see (its SERVER span's) and runs with that
 * span active. A throw marks both failed (status and `error.type`; the exception itself is left
 * to the app's spans that know what failed, so it is counted once) and is rethrown.
 */
export async function inActivitySpan<T>(
  attempt: ActivityAttempt,
  run: (traceParent: string | null) => Promise<T>,
): Promise<T> {
  const ids = orchestrationIds(attempt);
  const clientId = deriveSpanId('activity-client', attempt.instanceId, attempt.executionId, attempt.taskId);
  const attributes = {
    'durabletask.type': 'activity',
    'durabletask.task.name': attempt.name,
    'durabletask.task.instance_id': attempt.instanceId,
    'durabletask.task.execution_id': attempt.executionId,
    'durabletask.task.task_id': attempt.taskId,
  };
  const client = startSpanWithId(
    tracer(),
    `activity:${attempt.name}`,
    {
      kind: SpanKind.CLIENT,
      attributes,
      ...(attempt.scheduledAt ? { startTime: attempt.scheduledAt } : {}),
    },
    underSpan(ids, ids.spanId),
    { spanId: clientId },
  );
  const server = startSpanWithId(
    tracer(),
    `activity:${attempt.name}`,
    { kind: SpanKind.SERVER, attributes },
    underSpan(ids, clientId),
    { spanId: deriveSpanId('activity', attempt.instanceId, attempt.executionId, attempt.taskId) },
  );
  // The run id stays in the activity's context (its log lines and spans name the run).
  const runId = runIdFrom(context.active());
  const active = trace.setSpan(
    runId === undefined ? ROOT_CONTEXT : contextWithRunId(runId, ROOT_CONTEXT),
    server,
  );
  try {
    const own = server.spanContext();
    return await context.with(active, () => run(traceparentOf(own.traceId, own.spanId, ids.sampled)));
  } catch (error) {
    failSpan(server, error);
    failSpan(client, error);
    throw error;
  } finally {
    server.end();
    client.end();
  }
}

/**
 * The spans an episode's delivered events complete: one `orchestration:{name}:timer` per
 * orchestrator timer that fired (the host's retry back-off timers are not the orchestrator's).
 * Call inside the episode's commit, once the commit is certain.
 */
export function emitEpisodeSpans(
  instance: InstanceRecord,
  delivered: readonly HistoryEvent[],
  scheduledById: ReadonlyMap<number, HistoryEvent>,
  now: Date,
): void {
  const ids = orchestrationIds(instance);
  for (const event of delivered) {
    if (event.EventType !== EventType.TimerFired) continue;
    const timerId = event.TimerId as number;
    const created = scheduledById.get(timerId);
    if ((created?.HostPurpose as TimerPurpose | undefined)?.kind !== 'user') continue;
    startSpanWithId(
      tracer(),
      `orchestration:${instance.name}:timer`,
      {
        kind: SpanKind.INTERNAL,
        startTime: new Date(created!.Timestamp),
        attributes: {
          'durabletask.type': 'timer',
          'durabletask.task.name': instance.name,
          'durabletask.task.instance_id': instance.instanceId,
          'durabletask.task.execution_id': instance.executionId,
          'durabletask.task.task_id': timerId,
          'durabletask.fire_at': String(event.FireAt),
        },
      },
      underSpan(ids, ids.spanId),
      { spanId: deriveSpanId('timer', instance.instanceId, instance.executionId, timerId) },
    ).end(now);
  }
}

/**
 * Emits a final instance's `orchestration:{name}` span, from its creation to its last update,
 * with `durabletask.task.status`, the events it received, and — when its output is a Waypoint
 * run or agent result (`{status, error?: {code}}`) — that outcome (`waypoint.run.status`,
 * `error.type`): a run that ends `budget_exceeded` completed as an orchestration but failed as a
 * run. A sub-orchestration also gets its parent's CLIENT span, from its creation to its end. Call
 * inside the commit that makes the instance final (the ids make a rerun's copy the same span).
 */
export function emitOrchestrationSpan(instance: InstanceRecord, history: readonly HistoryEvent[]): void {
  const ids = orchestrationIds(instance);
  const start = new Date(instance.createdTime);
  const end = new Date(instance.lastUpdatedTime);
  const outcome = runOutcome(instance);
  const started = parseTraceparent(instance.traceParent);
  const span = startSpanWithId(
    tracer(),
    `orchestration:${instance.name}`,
    {
      kind: SpanKind.SERVER,
      startTime: start,
      ...(started ? {} : { root: true }),
      attributes: {
        'durabletask.type': 'orchestration',
        'durabletask.task.name': instance.name,
        'durabletask.task.instance_id': instance.instanceId,
        'durabletask.task.execution_id': instance.executionId,
        'durabletask.task.status': instance.runtimeStatus,
        ...outcome.attributes,
      },
    },
    started ? underSpan({ ...started }, started.spanId) : ROOT_CONTEXT,
    { spanId: ids.spanId, ...(started ? {} : { traceId: ids.traceId }) },
  );
  for (const event of history) {
    if (event.EventType === EventType.EventRaised && typeof event.Name === 'string') {
      span.addEvent(
        `orchestration_event:${event.Name}`,
        { 'durabletask.event.name': event.Name },
        new Date(event.Timestamp),
      );
    }
  }
  if (outcome.error) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
  span.end(end);

  if (instance.parentInstanceId && instance.parentExecutionId && instance.parentTaskId !== null && started) {
    const parent = {
      ...started,
      spanId: deriveSpanId('orchestration', instance.parentInstanceId, instance.parentExecutionId),
    };
    const client = startSpanWithId(
      tracer(),
      `orchestration:${instance.name}`,
      {
        kind: SpanKind.CLIENT,
        startTime: start,
        attributes: {
          'durabletask.type': 'orchestration',
          'durabletask.task.name': instance.name,
          'durabletask.task.instance_id': instance.instanceId,
          'durabletask.task.task_id': instance.parentTaskId,
          ...(outcome.error
            ? { 'error.type': outcome.attributes['error.type'] ?? 'OrchestrationFailed' }
            : {}),
        },
      },
      underSpan(parent, parent.spanId),
      { spanId: started.spanId },
    );
    if (outcome.error) client.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error });
    client.end(end);
  }
}

/** What the instance's end says: Durable's status, and a Waypoint run's own outcome when its output is one. */
function runOutcome(instance: InstanceRecord): { attributes: Attributes; error?: string } {
  if (instance.runtimeStatus === 'Failed') {
    return {
      attributes: { 'error.type': 'OrchestrationFailed' },
      error: failureReason(instance.output) ?? 'The orchestration failed.',
    };
  }
  if (instance.runtimeStatus === 'Terminated') {
    return {
      attributes: { 'error.type': 'OrchestrationTerminated' },
      error: failureReason(instance.output) ?? 'terminated',
    };
  }
  const output = parseJson(instance.output) as
    | { status?: unknown; error?: { code?: unknown; message?: unknown } }
    | undefined;
  if (typeof output?.status !== 'string') return { attributes: {} };
  const code = typeof output.error?.code === 'string' ? output.error.code : undefined;
  const failed = output.status === 'failed' || output.status === 'budget_exceeded';
  return {
    attributes: {
      'waypoint.run.status': output.status,
      ...(failed ? { 'error.type': code ?? output.status } : {}),
    },
    ...(failed
      ? { error: typeof output.error?.message === 'string' ? output.error.message : output.status }
      : {}),
  };
}

function failSpan(span: Span, error: unknown): void {
  const type = error instanceof Error ? error.name : typeof error;
  span.setAttribute('error.type', type);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? error.message : String(error),
  });
}

function parseJson(text: string | null): unknown {
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A failed instance's output is its failure reason as a JSON string. */
function failureReason(output: string | null): string | undefined {
  const value = parseJson(output);
  return typeof value === 'string' ? value : undefined;
}
