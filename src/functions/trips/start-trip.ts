/**
 * POST /api/trips: starts a trip run. With an Idempotency-Key the run id is derived from the
 * caller and the key, so a retry (or the same request sent twice at once) answers with the same run.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { resolveLimits } from '../../agents/budgets';
import { createLogger } from '../../telemetry/logger';
import { withRunId } from '../../telemetry/run-context';
import type { Caller } from '../../travel/api/caller';
import { ApiError, validationFailed } from '../../travel/api/errors';
import { readJsonBody } from '../../travel/api/request-body';
import { newRunId, requestHash, runIdFor } from '../../travel/api/run-id';
import { admitRun } from '../../travel/api/run-quota';
import { toRunResource, type DurableSnapshot, type TripRun } from '../../travel/api/run-resource';
import { tripPlannerInputSchema, type TripPlannerInput } from '../../travel/planner-input';
import { tripRequestBodySchema, TRIP_ORCHESTRATION, type TripRequestBody } from '../../travel/schemas';
import { settings, writeTools } from './config';
import type { Handler } from './routes';
import { traceCarrier } from './run-trace';
import { accepted, optionalIdempotencyKey, replayed } from './answers';
import { findRun, runQuota } from './runs';

const log = createLogger('trips-api');

export const startTrip: Handler = async (request, client, caller, context) => {
  const key = optionalIdempotencyKey(request);
  const parsed = tripRequestBodySchema.safeParse(await readJsonBody(request));
  if (!parsed.success) throw validationFailed(parsed.error, 'trip request');
  const body = parsed.data;
  const hash = requestHash(body);
  const id = key === undefined ? newRunId() : runIdFor(caller.id, key);

  if (key !== undefined) {
    const existing = await findRun(client, id);
    if (existing) return replay(request, existing, caller, hash);
  }

  const quota = await runQuota(client);
  if (!(await admitRun(quota, caller.id, id, settings.maxActiveRunsPerCaller))) {
    throw new ApiError(
      429,
      'too_many_runs',
      `You have ${settings.maxActiveRunsPerCaller} unfinished runs, the most one caller may have; finish or cancel one first.`,
    );
  }
  const input = plannerInput(caller, body, hash, context);
  try {
    await withRunId(id, () => client.startNew(TRIP_ORCHESTRATION, { instanceId: id, input }));
  } catch (error) {
    // The same key sent twice at once: one start wins, the other answers with the winner's run.
    const raced = key === undefined ? undefined : await findRun(client, id);
    if (raced) return replay(request, raced, caller, hash);
    await quota.slots.release(caller.id, [id]);
    throw error;
  }
  log.info('trip run started', { runId: id, owner: caller.id, idempotent: key !== undefined });
  return accepted(request, pendingResource(id, input));
};

/** The run's input: the request, its owner, and the limits and timeouts it runs under. */
function plannerInput(
  caller: Caller,
  body: TripRequestBody,
  hash: string,
  context: InvocationContext,
): TripPlannerInput {
  const trace = traceCarrier(context);
  return tripPlannerInputSchema.parse({
    owner: caller.id,
    body,
    requestHash: hash,
    createdAt: new Date().toISOString(),
    limits: resolveLimits(settings.budgetDefaults, settings.budgetMaxima, body.budgets),
    retry: settings.retry,
    writeTools,
    inputTimeoutMs: settings.inputTimeoutMs,
    approvalTimeoutMs: settings.approvalTimeoutMs,
    maxInputRounds: settings.maxInputRounds,
    maxRevisionRounds: settings.maxRevisionRounds,
    maxRepairs: settings.maxRepairs,
    ...(trace ? { trace } : {}),
  });
}

/** The resource of a run just started, before the backend has reported on it. */
function pendingResource(id: string, input: TripPlannerInput) {
  const pending: DurableSnapshot = {
    instanceId: id,
    name: TRIP_ORCHESTRATION,
    runtimeStatus: 'Pending',
    createdTime: input.createdAt,
    lastUpdatedTime: input.createdAt,
    input,
    customStatus: null,
    output: null,
  };
  return toRunResource({ snapshot: pending, input, published: undefined, publishedInvalid: false });
}

/** A retried POST: the same run when the body matches, 422 when it does not. */
function replay(request: HttpRequest, run: TripRun, caller: Caller, hash: string): HttpResponseInit {
  // The id is derived from the owner, so another owner here means a digest collision: refuse.
  if (run.input.owner !== caller.id || run.input.requestHash !== hash) {
    throw new ApiError(
      422,
      'idempotency_key_reused',
      'This Idempotency-Key was already used for a different request; use a new key for a new request.',
    );
  }
  return replayed(accepted(request, toRunResource(run)));
}
