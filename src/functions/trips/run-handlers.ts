/**
 * The trips API's handlers for one run (GET /api/trips/{id}, …/trace, …/input, …/approval,
 * …/cancel) and for the caller's list of runs (GET /api/trips).
 */
import type { DurableClient, OrchestrationRuntimeStatus } from 'durable-functions';
import * as df from 'durable-functions';
import { isAgentInstanceOf } from '../../agents/orchestration/agent-instance-id';
import { RUN_EVENTS } from '../../agents/run-status';
import { sharedStores } from '../../services';
import { createLogger } from '../../telemetry/logger';
import { currentTelemetry } from '../../telemetry/setup';
import { approvalEventFor } from '../../travel/api/approval';
import { ApiError, validationFailed } from '../../travel/api/errors';
import {
  inputEvent,
  inputReplayKey,
  inputRequestHash,
  inputRoundQuerySchema,
  roundToAnswer,
} from '../../travel/api/input-round';
import {
  listQuerySchema,
  RECENT_WINDOW_MS,
  runtimeStatusesFor,
  selectRuns,
  toRunSummary,
} from '../../travel/api/listing';
import { readJsonBody } from '../../travel/api/request-body';
import {
  isFinal,
  toRunResource,
  tripRunOf,
  type DurableSnapshot,
  type RunResource,
} from '../../travel/api/run-resource';
import { approvalBodySchema, cancelBodySchema, tripInputBodySchema } from '../../travel/schemas';
import { once } from '../request-replay';
import type { Handler } from './routes';
import { inRunTrace } from './run-trace';
import { accepted, optionalIdempotencyKey, replayed } from './answers';
import { ownRun, releaseSlot } from './runs';

const log = createLogger('trips-api');

/** GET /api/trips/{id} */
export const getTrip: Handler = async (request, client, caller) => {
  const run = await ownRun(client, request.params.id ?? '', caller);
  const resource = toRunResource(run);
  if (isFinal(resource.status)) await releaseSlot(caller.id, resource.id);
  return { status: 200, jsonBody: resource };
};

/**
 * GET /api/trips/{id}/trace: the run's spans as a tree from the local trace store; in Azure
 * (Application Insights) the operation id to look the same trace up there.
 */
export const getTrace: Handler = async (request, client, caller) => {
  const id = request.params.id ?? '';
  const run = await ownRun(client, id, caller);
  const traceId = run.input.trace?.traceparent.split('-')[1];
  if (process.env.APPLICATIONINSIGHTS_CONNECTION_STRING) {
    return {
      status: 200,
      jsonBody: {
        id,
        source: 'application_insights',
        operationId: traceId ?? null,
        query: traceId
          ? `union requests, dependencies, traces, exceptions | where operation_Id == "${traceId}" | order by timestamp asc`
          : null,
        hint: 'Open Application Insights → Transaction search (or Agents), and search for this operation id.',
      },
    };
  }
  const telemetry = currentTelemetry();
  if (!telemetry?.traceStore) {
    throw new ApiError(
      404,
      'trace_unavailable',
      'No local trace store is configured (WAYPOINT_TRACE_STORE).',
    );
  }
  await telemetry.forceFlush();
  const tree = telemetry.traceStore.readTraceTree(traceId ?? { runId: id });
  if (!tree)
    throw new ApiError(404, 'trace_not_found', `No spans are stored for run ${id} (yet, or any more).`);
  return { status: 200, jsonBody: { id, source: 'local', ...tree } };
};

/** GET /api/trips */
export const listTrips: Handler = async (request, client, caller) => {
  const query = listQuerySchema.safeParse(Object.fromEntries(request.query.entries()));
  if (!query.success) throw validationFailed(query.error, 'query');
  const runtimeStatus = runtimeStatusesFor(query.data.status) as OrchestrationRuntimeStatus[] | undefined;
  const instances = await client.getStatusBy({
    createdTimeFrom: new Date(Date.now() - RECENT_WINDOW_MS),
    ...(runtimeStatus ? { runtimeStatus } : {}),
    // Not in the SDK's filter type, but sent by it: the owner is in the input.
    showInput: true,
  } as Parameters<DurableClient['getStatusBy']>[0]);
  const runs: RunResource[] = [];
  for (const instance of instances) {
    const run = tripRunOf(instance as unknown as DurableSnapshot);
    if (run && run.input.owner === caller.id) runs.push(toRunResource(run));
  }
  const selected = selectRuns(runs, query.data);
  return {
    status: 200,
    jsonBody: { runs: query.data.view === 'summary' ? selected.map(toRunSummary) : selected },
  };
};

/**
 * POST /api/trips/{id}/input[?round=N]: the answer to question round N (default: the round the
 * run asks now). With an Idempotency-Key, a repeat gets the first answer back and raises nothing.
 */
export const sendInput: Handler = async (request, client, caller) => {
  const run = await ownRun(client, request.params.id ?? '', caller);
  const body = tripInputBodySchema.safeParse(await readJsonBody(request));
  if (!body.success) throw validationFailed(body.error, 'input');
  const round = inputRoundQuerySchema.safeParse(request.query.get('round') ?? undefined);
  if (!round.success) throw validationFailed(round.error, 'query', 'round');
  const key = optionalIdempotencyKey(request);
  const resource = toRunResource(run);
  const answer = await once(
    (await sharedStores()).idempotency,
    key === undefined ? undefined : inputReplayKey(resource.id, caller.id, key),
    inputRequestHash(round.data, body.data),
    async () => {
      const answering = roundToAnswer(resource, round.data);
      // The run waits for its n-th input in round n (the round it published).
      await inRunTrace(run, RUN_EVENTS.input, answering, () =>
        client.raiseEvent(resource.id, RUN_EVENTS.input, inputEvent(answering, body.data)),
      );
      log.info('trip input sent', { runId: resource.id, round: answering, fields: Object.keys(body.data) });
      return resource;
    },
  );
  const response = accepted(request, answer.value);
  return answer.replayed ? replayed(response) : response;
};

/** POST /api/trips/{id}/approval */
export const sendApproval: Handler = async (request, client, caller) => {
  const run = await ownRun(client, request.params.id ?? '', caller);
  const body = approvalBodySchema.safeParse(await readJsonBody(request));
  if (!body.success) throw validationFailed(body.error, 'approval');
  const resource = toRunResource(run);
  if (resource.status !== 'awaiting_approval') {
    throw new ApiError(409, 'not_awaiting_approval', `The run is ${resource.status}, not awaiting approval.`);
  }
  const event = approvalEventFor(body.data, resource.quote);
  // The run's n-th approval wait is its n-th quote.
  await inRunTrace(run, RUN_EVENTS.approval, resource.quote?.round ?? 1, () =>
    client.raiseEvent(resource.id, RUN_EVENTS.approval, event),
  );
  log.info('trip approval sent', { runId: resource.id, approved: event.approved, quoteId: event.quoteId });
  return accepted(request, resource);
};

/** POST /api/trips/{id}/cancel */
export const cancelTrip: Handler = async (request, client, caller) => {
  const run = await ownRun(client, request.params.id ?? '', caller);
  const body = cancelBodySchema.safeParse((await readJsonBody(request, { optional: true })) ?? {});
  if (!body.success) throw validationFailed(body.error, 'cancel request');
  const resource = toRunResource(run);
  if (isFinal(resource.status)) {
    throw new ApiError(409, 'already_final', `The run is already ${resource.status}.`);
  }
  const reason = body.data.reason ?? 'cancelled by the caller';
  // The SDK puts the reason into the query string as it is: encode it, or `&`/`#` cut it short.
  const encodedReason = encodeURIComponent(reason);
  await client.terminate(resource.id, encodedReason);
  const agentLoops = await terminateAgentLoops(client, resource.id, run.input.createdAt, encodedReason);
  await releaseSlot(caller.id, resource.id);
  log.info('trip run cancelled', { runId: resource.id, agentLoops });
  return accepted(request, resource);
};

/**
 * Durable does not terminate sub-orchestrations with their parent: stops the run's agent loops
 * too, so a cancelled run makes no more model or tool calls. Returns how many it found.
 */
async function terminateAgentLoops(
  client: DurableClient,
  runId: string,
  createdAt: string,
  encodedReason: string,
): Promise<number> {
  const children = await client.getStatusBy({
    createdTimeFrom: new Date(createdAt),
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
  });
  const own = children.filter((child) => isAgentInstanceOf(runId, child.instanceId));
  await Promise.all(
    own.map((child) =>
      client.terminate(child.instanceId, encodedReason).catch((error: unknown) =>
        // Finished meanwhile: nothing left to stop.
        log.debug('agent loop not terminated', { instanceId: child.instanceId, error: String(error) }),
      ),
    ),
  );
  return own.length;
}
