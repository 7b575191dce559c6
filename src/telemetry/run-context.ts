import { context, createContextKey, type Context } from '@opentelemetry/api';

/**
 * The run id travels in the OpenTelemetry context, so everything done for a run (spans, log
 * lines) can say which run it was without threading the id through every call. A span processor
 * copies it onto each span as `waypoint.run.id` (see setup.ts), and the logger adds it to lines.
 */
const RUN_ID_KEY = createContextKey('waypoint.run.id');

/** `ctx` (the active context by default) carrying `runId`. */
export function contextWithRunId(runId: string, ctx: Context = context.active()): Context {
  return ctx.setValue(RUN_ID_KEY, runId);
}

/** The run id in `ctx` (the active context by default), if any. */
export function runIdFrom(ctx: Context = context.active()): string | undefined {
  const value = ctx.getValue(RUN_ID_KEY);
  return typeof value === 'string' ? value : undefined;
}

/**
 * Runs `fn` with `runId` in the active context. Needs a context manager, i.e. an initialised SDK
 * (`initTelemetry`); without one `fn` still runs, just without the id in its context.
 */
export function withRunId<T>(runId: string, fn: () => T): T {
  return context.with(contextWithRunId(runId), fn);
}
