/**
 * The trips HTTP API: thin triggers over the durable client. Validation, caller
 * identity, run ids and the run resource live in `travel/api/*` as pure code; this file reads
 * the request, asks Durable Functions, and answers.
 *
 *   POST /api/trips                 start a run (Idempotency-Key → the same run on retry)
 *   GET  /api/trips                 the caller's recent runs (?status=a,b&limit=n)
 *   GET  /api/trips/{id}            the run resource
 *   POST /api/trips/{id}/input      the missing facts (only while needs_input)
 *   POST /api/trips/{id}/approval   approve or reject the quote (only while awaiting_approval)
 *   POST /api/trips/{id}/cancel     terminate the run
 *   GET  /api/trips/{id}/trace      the run's spans, from the local trace store
 *
 * Every route is `authLevel: 'anonymous'`: `resolveCaller` decides who calls (see api/caller.ts).
 */
import { createHash } from 'node:crypto';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import {
  context as otelContext,
  createContextKey,
  isSpanContextValid,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace as otelTrace,
  TraceFlags,
  type SpanContext,
} from '@opentelemetry/api';
import * as df from 'durable-functions';
import type { DurableClient, OrchestrationRuntimeStatus } from 'durable-functions';
import type { TraceCarrier } from '../agents/contracts';
import { resolveLimits } from '../agents/budgets';
import { RUN_EVENTS } from '../agents/run-status';
import { appConfig } from '../config';
import { WaypointError } from '../domain/errors';
import { createLogger } from '../telemetry/logger';
import { contextFromInvocation } from '../telemetry/propagation';
import { currentTelemetry } from '../telemetry/setup';
import { DEFAULT_WRITE_TOOLS } from '../tools';
import { callerPolicyFrom, resolveCaller, type Caller } from '../travel/api/caller';
import { ApiError, runNotFound, validationFailed } from '../travel/api/errors';
import { approvalEventFor } from '../travel/api/approval';
import {
  inputEvent,
  inputReplayKey,
  inputRequestHash,
  inputRoundQuerySchema,
  roundToAnswer,
} from '../travel/api/input-round';
import {
  listQuerySchema,
  RECENT_WINDOW_MS,
  runtimeStatusesFor,
  selectRuns,
  toRunSummary,
} from '../travel/api/listing';
import { checkBrowserOrigin, originPolicyFrom } from '../travel/api/origin';
import { readJsonBody, requireJsonContent } from '../travel/api/request-body';
import { admitRun, RecentStatuses, type RunQuota } from '../travel/api/run-quota';
import { idempotencyKeySchema, isRunId, newRunId, requestHash, runIdFor } from '../travel/api/run-id';
import {
  isFinal,
  toRunResource,
  tripRunOf,
  type DurableSnapshot,
  type RunResource,
  type TripRun,
} from '../travel/api/run-resource';
import { tripPlannerInputSchema, type TripPlannerInput } from '../travel/planner-input';
import {
  approvalBodySchema,
  cancelBodySchema,
  tripInputBodySchema,
  tripRequestBodySchema,
  TRIP_ORCHESTRATION,
} from '../travel/schemas';
import { loadTripSettings } from '../travel/settings';
import { waitSpanId } from '../agents/orchestration/run-telemetry';
import { sharedStores } from '../services';
import { RUN_ID_HEADER, traceresponseOf } from '../telemetry/access-log';
import { withRunId } from '../telemetry/run-context';
import { ATTR_ENDUSER_PSEUDO_ID } from '../telemetry/semconv';
import { contextWithParent, parseTraceparent } from '../telemetry/span-ids';
import { sendInTraceOf, traceDurableClient } from './durable-client-tracing';
import { preferInProcess } from './durable-client-transport';
import { once } from './request-replay';

// Parsed at load, so a bad setting stops the app at start-up.
const settings = loadTripSettings(process.env, {
  pendingStaleAfterMs: appConfig().tools.pendingStaleAfterMs,
});
const callerPolicy = callerPolicyFrom(process.env, settings.clientKeys);
const originPolicy = originPolicyFrom(process.env);
const writeTools = Object.keys(DEFAULT_WRITE_TOOLS);
const log = createLogger('trips-api');

type Handler = (
  request: HttpRequest,
  client: DurableClient,
  caller: Caller,
  context: InvocationContext,
) => Promise<HttpResponseInit>;

/** Resolves the caller, runs `handler`, and turns every refusal into its JSON error answer. */
/**
 * Wraps a handler: caller resolution, typed errors, and the request's span — the root of the
 * run's trace locally (SERVER), or a child of the Functions host's request span in Azure, whose
 * context the host passes in `InvocationContext.traceContext` (INTERNAL: the host's is the request).
 */
function endpoint(route: string, handler: Handler) {
  return async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    // A caller-supplied traceparent is not trusted as the parent: anyone could then put their
    // spans into (and read back through the trace API) another caller's trace. The request span
    // starts a new trace and links to the inbound context instead.
    const inbound = otelTrace.getSpanContext(
      contextFromInvocation(context.traceContext ?? undefined, ROOT_CONTEXT),
    );
    // A new run's trace is rooted in the run itself (`invoke_workflow`, recorded with the run's
    // outcome when it ends; its context travels in the orchestration input): the request that
    // started it is its first child.
    const tracer = otelTrace.getTracer('waypoint.api');
    const startsRun = route === 'trips' && request.method === 'POST';
    const runRoot = startsRun
      ? tracer.startSpan(`invoke_workflow ${TRIP_ORCHESTRATION}`, { root: true }, ROOT_CONTEXT)
      : undefined;
    const parent = runRoot
      ? otelTrace.setSpan(ROOT_CONTEXT, runRoot).setValue(RUN_ROOT, runRoot.spanContext())
      : ROOT_CONTEXT;
    return tracer.startActiveSpan(
      `${request.method} /api/${route}`,
      {
        kind: SpanKind.SERVER,
        ...(runRoot ? {} : { root: true }),
        attributes: {
          'http.request.method': request.method,
          'http.route': `/api/${route}`,
          'url.path': new URL(request.url).pathname,
        },
        ...(inbound && isSpanContextValid(inbound) ? { links: [{ context: inbound }] } : {}),
      },
      parent,
      async (span) => {
        const handled = withApiHeaders(await handle(request, context));
        const status = handled.status ?? 200;
        span.setAttribute('http.response.status_code', status);
        const runId = request.params.id ?? (handled.jsonBody as { id?: unknown } | undefined)?.id;
        if (typeof runId === 'string' && status < 400) span.setAttribute('waypoint.run.id', runId);
        // The request's own trace, and the run it was about (the host's access line reads both).
        const response = withHeaders(handled, {
          traceresponse: traceresponseOf(span.spanContext()),
          ...(typeof runId === 'string' && status < 400 ? { [RUN_ID_HEADER]: runId } : {}),
        });
        if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        return response;
      },
    );
  };

  async function handle(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    try {
      // Every POST changes state: refuse another site's page first, and a body not sent as JSON
      // (which a browser sends cross-site without asking) before the handler reads anything.
      checkBrowserOrigin(request.method, request.headers.get('origin'), request.url, originPolicy);
      const caller = resolveCaller((name) => request.headers.get(name), callerPolicy);
      if (request.method === 'POST') requireJsonContent(request.headers);
      // Who called, pseudonymously (Application Insights' user id): a hash, never the id itself.
      otelTrace.getActiveSpan()?.setAttribute(ATTR_ENDUSER_PSEUDO_ID, callerHash(caller.id));
      const client = traceDurableClient(preferInProcess(df.getClient(context)));
      // A request about a run works (and logs) in the run's name.
      const runId = request.params.id;
      return await (runId && isRunId(runId)
        ? withRunId(runId, () => handler(request, client, caller, context))
        : handler(request, client, caller, context));
    } catch (error) {
      const capacity = capacityError(error);
      if (capacity) {
        return { status: capacity.status, jsonBody: capacity.body(), headers: { 'Retry-After': '5' } };
      }
      if (error instanceof ApiError) {
        return {
          status: error.status,
          jsonBody: error.body(),
          ...(error.status === 401 ? { headers: { 'WWW-Authenticate': 'Bearer' } } : {}),
          ...(error.status === 429 ? { headers: { 'Retry-After': '30' } } : {}),
        };
      }
      log.error('trips API request failed', {
        method: request.method,
        url: new URL(request.url).pathname,
        error: error instanceof Error ? error.message : String(error),
      });
      return {
        status: 500,
        jsonBody: {
          error: { code: 'internal_error', message: 'The request failed on the server; try again.' },
        },
      };
    }
  }
}

const startTrip: Handler = async (request, client, caller, context) => {
  const keyHeader = request.headers.get('idempotency-key');
  let key: string | undefined;
  if (keyHeader !== null) {
    const parsed = idempotencyKeySchema.safeParse(keyHeader);
    if (!parsed.success) throw validationFailed(parsed.error, 'Idempotency-Key header', 'Idempotency-Key');
    key = parsed.data;
  }
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
  const trace = traceCarrier(context);
  const input: TripPlannerInput = tripPlannerInputSchema.parse({
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
  return accepted(
    request,
    toRunResource({ snapshot: pending, input, published: undefined, publishedInvalid: false }),
  );
};

function withHeaders(response: HttpResponseInit, headers: Record<string, string>): HttpResponseInit {
  return {
    ...response,
    headers: { ...(response.headers as Record<string, string> | undefined), ...headers },
  };
}

/** API answers are per caller and change with the run: never cached, never sniffed. */
function withApiHeaders(response: HttpResponseInit): HttpResponseInit {
  return {
    ...response,
    headers: {
      ...(response.headers as Record<string, string> | undefined),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  };
}

/**
 * The Durable backend refusing for capacity (the local host's 429 too_many_instances or
 * too_many_events, a 503 from the extension) is the client's "try later", not a server fault.
 */
function capacityError(error: unknown): ApiError | undefined {
  // A store that is busy for now (run slots under contention, SQLite locked, Cosmos throttling).
  if (error instanceof WaypointError && !(error instanceof ApiError) && error.retryable) {
    return new ApiError(503, 'unavailable', 'The server is busy; retry after a few seconds.');
  }
  const status = (error as { response?: { status?: unknown } } | undefined)?.response?.status;
  const text = error instanceof Error ? error.message : '';
  if (status === 429 || /\b429\b/.test(text)) {
    return new ApiError(429, 'too_busy', 'The server is at capacity for now; retry after a few seconds.');
  }
  if (status === 503 || /\b503\b/.test(text)) {
    return new ApiError(
      503,
      'unavailable',
      'The orchestration backend is unavailable; retry after a few seconds.',
    );
  }
  return undefined;
}

/** Status lookups of runs holding slots, shared by the starts of this process for a moment. */
const recentStatuses = new RecentStatuses();

/** The caller's run slots, and how to tell whether a run holding one has ended. */
async function runQuota(client: DurableClient): Promise<RunQuota> {
  const lookup = async (runId: string) => (await instanceStatus(client, runId))?.runtimeStatus;
  return {
    slots: (await sharedStores()).runSlots,
    runtimeStatus: (runId) => recentStatuses.get(runId, lookup),
    now: Date.now,
  };
}

/** Frees the run's slot once it is seen to have ended; a failure only delays that (see run-quota.ts). */
async function releaseSlot(owner: string, runId: string): Promise<void> {
  try {
    await (await sharedStores()).runSlots.release(owner, [runId]);
  } catch (error) {
    log.warn('run slot not released', {
      runId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
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
  const response = accepted(request, toRunResource(run));
  return { ...response, headers: { ...response.headers, 'Idempotent-Replayed': 'true' } };
}

/** GET /api/trips/{id} */
const getTrip: Handler = async (request, client, caller) => {
  const run = await ownRun(client, request.params.id ?? '', caller);
  const resource = toRunResource(run);
  if (isFinal(resource.status)) await releaseSlot(caller.id, resource.id);
  return { status: 200, jsonBody: resource };
};

/**
 * GET /api/trips/{id}/trace: the run's spans as a tree from the local trace store; in Azure
 * (Application Insights) the operation id to look the same trace up there.
 */
const getTrace: Handler = async (request, client, caller) => {
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
const listTrips: Handler = async (request, client, caller) => {
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
const sendInput: Handler = async (request, client, caller) => {
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
  if (!answer.replayed) return response;
  return { ...response, headers: { ...response.headers, 'Idempotent-Replayed': 'true' } };
};

/** The request's Idempotency-Key header, validated, if it has one. */
function optionalIdempotencyKey(request: HttpRequest): string | undefined {
  const header = request.headers.get('idempotency-key');
  if (header === null) return undefined;
  const parsed = idempotencyKeySchema.safeParse(header);
  if (!parsed.success) throw validationFailed(parsed.error, 'Idempotency-Key header', 'Idempotency-Key');
  return parsed.data;
}

/** POST /api/trips/{id}/approval */
const sendApproval: Handler = async (request, client, caller) => {
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

/**
 * A person's answer joins the run's trace: the event it raises is recorded under the run's wait it
 * ends (`wait {event}`, whose id both sides derive from the run, the event and the wait's number),
 * linked to this request; this request, in a trace of its own, links to that wait.
 */
function inRunTrace<T>(run: TripRun, event: string, n: number, send: () => Promise<T>): Promise<T> {
  const root = parseTraceparent(run.input.trace?.traceparent);
  if (!root) return send();
  const wait = waitSpanId(run.snapshot.instanceId, event, n);
  otelTrace.getActiveSpan()?.addLink({
    context: { traceId: root.traceId, spanId: wait, traceFlags: root.sampled ? 1 : 0, isRemote: true },
    attributes: { 'waypoint.link': `wait ${event}` },
  });
  return sendInTraceOf(contextWithParent(root.traceId, wait, otelContext.active(), root.sampled), send);
}

/** POST /api/trips/{id}/cancel */
const cancelTrip: Handler = async (request, client, caller) => {
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
  // Durable does not terminate sub-orchestrations with their parent: stop the run's agent loops
  // too, so a cancelled run makes no more model or tool calls.
  const children = await client.getStatusBy({
    createdTimeFrom: new Date(run.input.createdAt),
    runtimeStatus: [df.OrchestrationRuntimeStatus.Running, df.OrchestrationRuntimeStatus.Pending],
  });
  const own = children.filter((child) => child.instanceId.startsWith(`${resource.id}:`));
  await Promise.all(
    own.map((child) =>
      client.terminate(child.instanceId, encodedReason).catch((error: unknown) =>
        // Finished meanwhile: nothing left to stop.
        log.debug('agent loop not terminated', { instanceId: child.instanceId, error: String(error) }),
      ),
    ),
  );
  await releaseSlot(caller.id, resource.id);
  log.info('trip run cancelled', { runId: resource.id, agentLoops: own.length });
  return accepted(request, resource);
};

function accepted(request: HttpRequest, resource: RunResource): HttpResponseInit {
  return {
    status: 202,
    jsonBody: resource,
    headers: { Location: new URL(resource.links.self, request.url).href, 'Retry-After': '2' },
  };
}

/** The caller's run `id`; 404 alike for a run that is absent and one that belongs to another caller. */
async function ownRun(client: DurableClient, id: string, caller: Caller): Promise<TripRun> {
  const run = await findRun(client, id);
  if (!run || run.input.owner !== caller.id) throw runNotFound(id);
  return run;
}

/** The trip run `id`, or undefined when there is none (or it is not a trip run). */
async function findRun(client: DurableClient, id: string): Promise<TripRun | undefined> {
  if (!isRunId(id)) return undefined;
  const status = await instanceStatus(client, id, { showInput: true });
  if (status === undefined) return undefined;
  const run = tripRunOf(status as unknown as DurableSnapshot);
  if (run?.publishedInvalid)
    log.warn('trip run published a status that does not match its schema', { runId: id });
  return run;
}

/** The instance's status, or undefined when there is no such instance. */
async function instanceStatus(
  client: DurableClient,
  id: string,
  options: { showInput?: boolean } = {},
): Promise<Awaited<ReturnType<DurableClient['getStatus']>> | undefined> {
  try {
    return await client.getStatus(id, options);
  } catch (error) {
    // The SDK reports an unknown instance as an error that names the 404.
    if (error instanceof Error && /HTTP 404/.test(error.message)) return undefined;
    throw error;
  }
}

/** A caller's pseudonymous id for traces: the first 32 hex digits of its id's SHA-256. */
function callerHash(id: string): string {
  return createHash('sha256').update(`waypoint-caller:${id}`).digest('hex').slice(0, 32);
}

/** The root span a new run's trace was started under (see `endpoint`). */
const RUN_ROOT = createContextKey('waypoint.run-root');

/**
 * The W3C context the run's trace continues: its root span's, else the current span's, else the one the Functions host
 * gave this invocation (in Azure the host's request span), else none.
 */
function traceCarrier(context: InvocationContext): TraceCarrier | undefined {
  const span =
    (otelContext.active().getValue(RUN_ROOT) as SpanContext | undefined) ??
    otelTrace.getActiveSpan()?.spanContext();
  if (span && isSpanContextValid(span)) {
    const flags = span.traceFlags & TraceFlags.SAMPLED ? '01' : '00';
    return { traceparent: `00-${span.traceId}-${span.spanId}-${flags}` };
  }
  const { traceParent, traceState } = context.traceContext ?? {};
  if (!traceParent || !TRACEPARENT.test(traceParent)) return undefined;
  return { traceparent: traceParent, ...(traceState ? { tracestate: traceState.slice(0, 512) } : {}) };
}

const TRACEPARENT = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}$/;

const durableClient = [df.input.durableClient()];
app.http('tripsStart', {
  route: 'api/trips',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: durableClient,
  handler: endpoint('trips', startTrip),
});
app.http('tripsList', {
  route: 'api/trips',
  methods: ['GET'],
  authLevel: 'anonymous',
  extraInputs: durableClient,
  handler: endpoint('trips', listTrips),
});
app.http('tripsGet', {
  route: 'api/trips/{id}',
  methods: ['GET'],
  authLevel: 'anonymous',
  extraInputs: durableClient,
  handler: endpoint('trips/{id}', getTrip),
});
app.http('tripsTrace', {
  route: 'api/trips/{id}/trace',
  methods: ['GET'],
  authLevel: 'anonymous',
  extraInputs: durableClient,
  handler: endpoint('trips/{id}/trace', getTrace),
});
app.http('tripsInput', {
  route: 'api/trips/{id}/input',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: durableClient,
  handler: endpoint('trips/{id}/input', sendInput),
});
app.http('tripsApproval', {
  route: 'api/trips/{id}/approval',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: durableClient,
  handler: endpoint('trips/{id}/approval', sendApproval),
});
app.http('tripsCancel', {
  route: 'api/trips/{id}/cancel',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: durableClient,
  handler: endpoint('trips/{id}/cancel', cancelTrip),
});
