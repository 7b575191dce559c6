/**
 * The Durable Functions HTTP management API (`/runtime/webhooks/durabletask/...`), with the
 * request and response shapes the extension documents and the durable-functions client expects.
 * Served twice by the host: under the public webhook path (function key required) and under a
 * private RPC base URL handed to DurableClient (as the extension's local RPC endpoint is).
 */
import {
  DurableEngine,
  InstanceExistsError,
  LimitExceededError,
  UnknownEntityError,
  UnknownOrchestrationError,
} from './engine';
import { EventType, type HistoryEvent } from './history';
import {
  InvalidContinuationTokenError,
  terminalStatuses,
  type InstanceRecord,
  type RuntimeStatus,
} from './store';

export interface ApiRequest {
  method: string;
  /** Path segments after the API base, already URL-decoded. */
  segments: string[];
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: string;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** A value to send as JSON, or JSON text already made (JsonText). */
  body?: unknown;
}

/**
 * A body that is JSON text already. Status bodies are made of the JSON texts the store keeps
 * (input, custom status, output): spliced in as they are, not parsed and serialised again on
 * every status read (clients poll them).
 */
export class JsonText {
  constructor(readonly text: string) {}
}

export interface ManagementUrls {
  id: string;
  statusQueryGetUri: string;
  sendEventPostUri: string;
  terminatePostUri: string;
  rewindPostUri: string;
  purgeHistoryDeleteUri: string;
  restartPostUri: string;
  suspendPostUri: string;
  resumePostUri: string;
}

const runtimeStatuses: RuntimeStatus[] = [
  'Pending',
  'Running',
  'Completed',
  'ContinuedAsNew',
  'Failed',
  'Terminated',
  'Suspended',
  'Canceled',
];

/** Builds the management URLs for one instance (or the INSTANCEID template) under `webhookBase`. */
export function managementUrls(
  webhookBase: string,
  taskHub: string,
  key: string,
  instanceId: string,
): ManagementUrls {
  const id = encodeURIComponent(instanceId);
  const query = `taskHub=${encodeURIComponent(taskHub)}&connection=Storage&code=${encodeURIComponent(key)}`;
  const instance = `${webhookBase}/instances/${id}`;
  return {
    id: instanceId,
    statusQueryGetUri: `${instance}?${query}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${query}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${query}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${query}`,
    purgeHistoryDeleteUri: `${instance}?${query}`,
    restartPostUri: `${instance}/restart?${query}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${query}`,
    resumePostUri: `${instance}/resume?reason={text}&${query}`,
  };
}

export class ManagementApi {
  constructor(
    private readonly engine: DurableEngine,
    private readonly options: {
      taskHub: string;
      key: string;
      /** The public webhook base for URLs in responses (origin + /runtime/webhooks/durabletask). */
      webhookBase: (request: ApiRequest) => string;
    },
  ) {}

  handle(request: ApiRequest): ApiResponse {
    try {
      return this.route(request);
    } catch (error) {
      if (error instanceof ApiError) return problem(error.status, error.code, error.message);
      if (error instanceof LimitExceededError) {
        return { ...problem(429, error.code, error.message), headers: { 'Retry-After': '10' } };
      }
      throw error;
    }
  }

  private route(request: ApiRequest): ApiResponse {
    const [collection, instanceId, operation, eventName, ...rest] = request.segments;
    const method = request.method.toUpperCase();

    if (collection === 'orchestrators' && instanceId && rest.length === 0 && !eventName) {
      // POST orchestrators/{functionName}[/{instanceId}]
      if (method !== 'POST') return methodNotAllowed(['POST']);
      return this.start(request, instanceId, operation);
    }

    if (collection === 'entities' && instanceId && !eventName) {
      // entities/{name} (list) and entities/{name}/{key} (read, signal)
      const [name, key] = [instanceId, operation];
      validateEntityName(name);
      if (key === undefined) {
        if (method !== 'GET') return methodNotAllowed(['GET']);
        return this.listEntities(request, name);
      }
      validateInstanceId(key);
      if (method === 'GET') return this.readEntity(name, key);
      if (method === 'POST') return this.signalEntity(request, name, key);
      return methodNotAllowed(['GET', 'POST']);
    }

    if (collection === 'instances') {
      if (!instanceId) {
        if (method === 'GET') return this.list(request);
        if (method === 'DELETE') return this.purgeMany(request);
        return methodNotAllowed(['GET', 'DELETE']);
      }
      if (!operation) {
        if (method === 'GET') return this.status(request, instanceId);
        if (method === 'DELETE') return this.purge(instanceId);
        return methodNotAllowed(['GET', 'DELETE']);
      }
      if (method !== 'POST') return methodNotAllowed(['POST']);
      switch (operation) {
        case 'raiseEvent':
          if (!eventName || rest.length > 0) break;
          return this.raiseEvent(request, instanceId, eventName);
        case 'terminate':
          return this.outcome(this.engine.terminate(instanceId, reason(request)), instanceId);
        case 'suspend':
          return this.outcome(this.engine.suspend(instanceId, reason(request)), instanceId);
        case 'resume':
          return this.outcome(this.engine.resume(instanceId, reason(request)), instanceId);
        case 'rewind':
          return this.rewind(instanceId, reason(request));
        case 'restart':
          return this.restart(request, instanceId);
      }
    }
    return problem(
      404,
      'not_found',
      `No Durable management API at ${request.method} /${request.segments.join('/')}.`,
    );
  }

  private start(request: ApiRequest, functionName: string, instanceId: string | undefined): ApiResponse {
    const input = parseJsonBody(request.body);
    if (instanceId !== undefined) validateInstanceId(instanceId);
    let record: InstanceRecord;
    try {
      record = this.engine.startInstance(functionName, {
        ...(instanceId ? { instanceId } : {}),
        input,
        traceParent: request.headers['traceparent'] ?? null,
      });
    } catch (error) {
      if (error instanceof InstanceExistsError) return problem(409, 'instance_exists', error.message);
      if (error instanceof UnknownOrchestrationError)
        return problem(400, 'unknown_orchestrator', error.message);
      throw error;
    }
    const urls = managementUrls(
      this.options.webhookBase(request),
      this.options.taskHub,
      this.options.key,
      record.instanceId,
    );
    return {
      status: 202,
      headers: { Location: urls.statusQueryGetUri, 'Retry-After': '10' },
      body: urls,
    };
  }

  /**
   * POST instances/{id}/rewind: 202, or 404 / 410 / 412 / 409 with a text body, which the
   * DurableClient shows as the error's message (it reads the body as text, not as our error shape).
   */
  private rewind(instanceId: string, why: string): ApiResponse {
    const outcome = this.engine.rewind(instanceId, why);
    if (outcome.kind === 'accepted') return { status: 202 };
    if (outcome.kind === 'notFound')
      return { status: 404, body: `No instance with ID '${instanceId}' found.` };
    return { status: outcome.status, body: outcome.message };
  }

  /** POST instances/{id}/restart[?restartWithNewInstanceId=false]: the new instance's status URLs. */
  private restart(request: ApiRequest, instanceId: string): ApiResponse {
    const flag = request.query.get('restartWithNewInstanceId');
    if (flag !== null && !/^(true|false)$/i.test(flag))
      throw new ApiError(400, 'invalid_flag', '"restartWithNewInstanceId" must be true or false.');
    let record: InstanceRecord | undefined;
    try {
      record = this.engine.restart(instanceId, flag === null || flag.toLowerCase() === 'true');
    } catch (error) {
      if (error instanceof InstanceExistsError) return problem(409, 'instance_exists', error.message);
      if (error instanceof UnknownOrchestrationError)
        return problem(400, 'unknown_orchestrator', error.message);
      throw error;
    }
    // As the extension answers a restart of an unknown id.
    if (!record)
      return problem(400, 'not_found', 'InstanceId does not match a valid orchestration instance.');
    const urls = managementUrls(
      this.options.webhookBase(request),
      this.options.taskHub,
      this.options.key,
      record.instanceId,
    );
    return { status: 202, headers: { Location: urls.statusQueryGetUri, 'Retry-After': '10' }, body: urls };
  }

  private status(request: ApiRequest, instanceId: string): ApiResponse {
    const instance = this.engine.getInstance(instanceId);
    if (!instance) return problem(404, 'not_found', `No orchestration instance with ID '${instanceId}'.`);
    const body = this.statusBody(instance, {
      showInput: request.query.get('showInput') !== 'false',
      showHistory: request.query.get('showHistory') === 'true',
      showHistoryOutput: request.query.get('showHistoryOutput') === 'true',
    });
    if (terminalStatuses.has(instance.runtimeStatus)) {
      const failedAsError =
        instance.runtimeStatus === 'Failed' &&
        request.query.get('returnInternalServerErrorOnFailure') === 'true';
      return { status: failedAsError ? 500 : 200, body };
    }
    const urls = managementUrls(
      this.options.webhookBase(request),
      this.options.taskHub,
      this.options.key,
      instanceId,
    );
    return { status: 202, headers: { Location: urls.statusQueryGetUri, 'Retry-After': '1' }, body };
  }

  private list(request: ApiRequest): ApiResponse {
    const statuses = request.query.get('runtimeStatus');
    const runtimeStatus = statuses
      ? statuses.split(',').map((value) => {
          const match = runtimeStatuses.find((s) => s.toLowerCase() === value.trim().toLowerCase());
          if (!match) throw new ApiError(400, 'invalid_status', `Unknown runtimeStatus "${value}".`);
          return match;
        })
      : undefined;
    const top = request.query.get('top');
    if (top !== null && !/^\d+$/.test(top))
      throw new ApiError(400, 'invalid_top', '"top" must be a positive integer.');
    const continuationToken = request.headers['x-ms-continuation-token'];
    const page = pageOrBadToken(() =>
      this.engine.queryInstances({
        ...(runtimeStatus ? { runtimeStatus } : {}),
        ...timeFilter(request.query, 'createdTimeFrom'),
        ...timeFilter(request.query, 'createdTimeTo'),
        ...(request.query.get('instanceIdPrefix')
          ? { instanceIdPrefix: request.query.get('instanceIdPrefix')! }
          : {}),
        ...(top ? { top: Number(top) } : {}),
        ...(continuationToken ? { continuationToken } : {}),
      }),
    );
    const showInput = request.query.get('showInput') === 'true';
    return {
      status: 200,
      headers: page.continuationToken ? { 'x-ms-continuation-token': page.continuationToken } : {},
      body: new JsonText(
        `[${page.instances
          .map(
            (instance) =>
              this.statusBody(instance, { showInput, showHistory: false, showHistoryOutput: false }).text,
          )
          .join(',')}]`,
      ),
    };
  }

  /** POST entities/{name}/{key}?op=: 202 once the operation is queued. */
  private signalEntity(request: ApiRequest, name: string, key: string): ApiResponse {
    const operation = request.query.get('op');
    if (!operation) throw new ApiError(400, 'missing_operation', 'Name the operation with ?op=.');
    const input = parseJsonBody(request.body);
    try {
      this.engine.signalEntity(name, key, operation, input);
    } catch (error) {
      if (error instanceof UnknownEntityError) return problem(404, 'unknown_entity', error.message);
      throw error;
    }
    return { status: 202 };
  }

  /** GET entities/{name}/{key}: 200 with the entity's state as the body, 404 when it does not exist. */
  private readEntity(name: string, key: string): ApiResponse {
    const entity = this.engine.readEntity(name, key);
    if (!entity) return problem(404, 'not_found', `Entity '@${name.toLowerCase()}@${key}' does not exist.`);
    return { status: 200, body: JSON.parse(entity.state) as unknown };
  }

  /** GET entities/{name}: `[{entityId: {name, key}, lastOperationTime, state?}]`, paged. */
  private listEntities(request: ApiRequest, name: string): ApiResponse {
    const top = request.query.get('top');
    if (top !== null && !/^\d+$/.test(top))
      throw new ApiError(400, 'invalid_top', '"top" must be a positive integer.');
    const continuationToken = request.headers['x-ms-continuation-token'];
    const page = pageOrBadToken(() =>
      this.engine.queryEntities({
        name,
        ...timeFilter(request.query, 'lastOperationTimeFrom'),
        ...timeFilter(request.query, 'lastOperationTimeTo'),
        ...(top ? { top: Number(top) } : {}),
        ...(continuationToken ? { continuationToken } : {}),
      }),
    );
    const fetchState = request.query.get('fetchState') === 'true';
    return {
      status: 200,
      headers: page.continuationToken ? { 'x-ms-continuation-token': page.continuationToken } : {},
      body: page.entities.map((entity) => ({
        entityId: { name: entity.name, key: entity.key },
        lastOperationTime: entity.lastOperationTime,
        ...(fetchState ? { state: JSON.parse(entity.state) as unknown } : {}),
      })),
    };
  }

  private raiseEvent(request: ApiRequest, instanceId: string, eventName: string): ApiResponse {
    const input = parseJsonBody(request.body);
    return this.outcome(this.engine.raiseEvent(instanceId, eventName, input), instanceId);
  }

  private purge(instanceId: string): ApiResponse {
    const outcome = this.engine.purge(instanceId);
    if (outcome === 'notFound')
      return problem(404, 'not_found', `No orchestration instance with ID '${instanceId}'.`);
    if (outcome === 'running') {
      // Only finished instances are purged; DurableClient reads 404 as "0 deleted".
      return problem(
        404,
        'instance_running',
        `Instance '${instanceId}' has not finished, so it was not purged; terminate it first.`,
      );
    }
    return { status: 200, body: { instancesDeleted: 1 } };
  }

  private purgeMany(request: ApiRequest): ApiResponse {
    const statuses = request.query.get('runtimeStatus');
    const runtimeStatus = (statuses ? statuses.split(',') : [...terminalStatuses]).map((value) => {
      const match = runtimeStatuses.find((s) => s.toLowerCase() === value.trim().toLowerCase());
      if (!match) throw new ApiError(400, 'invalid_status', `Unknown runtimeStatus "${value}".`);
      return match;
    });
    // Only finished instances are ever purged; a filter naming none of them matches nothing.
    const purgeable = runtimeStatus.filter((s) => terminalStatuses.has(s));
    if (purgeable.length === 0) return problem(404, 'not_found', 'No instances matched the purge filter.');
    const filter = {
      runtimeStatus: purgeable,
      ...timeFilter(request.query, 'createdTimeFrom'),
      ...timeFilter(request.query, 'createdTimeTo'),
    };
    const matched: string[] = [];
    let continuationToken: string | undefined;
    do {
      const page = this.engine.queryInstances({
        ...filter,
        top: 1000,
        ...(continuationToken ? { continuationToken } : {}),
      });
      matched.push(...page.instances.map((instance) => instance.instanceId));
      continuationToken = page.continuationToken;
    } while (continuationToken);
    let deleted = 0;
    for (const instanceId of matched) if (this.engine.purge(instanceId) === 'deleted') deleted++;
    if (deleted === 0) return problem(404, 'not_found', 'No instances matched the purge filter.');
    return { status: 200, body: { instancesDeleted: deleted } };
  }

  private outcome(outcome: 'accepted' | 'notFound' | 'gone', instanceId: string): ApiResponse {
    if (outcome === 'notFound')
      return problem(404, 'not_found', `No orchestration instance with ID '${instanceId}'.`);
    if (outcome === 'gone')
      return problem(410, 'instance_completed', `Instance '${instanceId}' has already finished.`);
    return { status: 202 };
  }

  private statusBody(
    instance: InstanceRecord,
    options: { showInput: boolean; showHistory: boolean; showHistoryOutput: boolean },
  ): JsonText {
    const fields = JSON.stringify({
      name: instance.name,
      instanceId: instance.instanceId,
      runtimeStatus: instance.runtimeStatus,
      createdTime: instance.createdTime,
      lastUpdatedTime: instance.lastUpdatedTime,
    });
    // The stored texts are JSON the engine wrote (JSON.stringify): valid as they are.
    const input = options.showInput ? (instance.input ?? 'null') : 'null';
    let text =
      `${fields.slice(0, -1)},"input":${input},"customStatus":${instance.customStatus ?? 'null'}` +
      `,"output":${instance.output ?? 'null'}`;
    if (options.showHistory) {
      const events = JSON.stringify(
        this.engine.history(instance.instanceId).flatMap((e) => describeEvent(e, options.showHistoryOutput)),
      );
      // The documented field is historyEvents; the JS client's status object reads `history`.
      text += `,"historyEvents":${events},"history":${events}`;
    }
    return new JsonText(`${text}}`);
  }
}

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

function problem(status: number, code: string, message: string): ApiResponse {
  return { status, body: { error: { code, message } } };
}

function methodNotAllowed(allowed: string[]): ApiResponse {
  return {
    status: 405,
    headers: { Allow: allowed.join(', ') },
    body: { error: { code: 'method_not_allowed', message: `Use ${allowed.join(' or ')}.` } },
  };
}

function reason(request: ApiRequest): string {
  return request.query.get('reason') ?? '';
}

/** Returns the body as JSON text (null when empty); malformed JSON is the caller's 400. */
function parseJsonBody(body: string): string | null {
  if (body.trim() === '') return null;
  try {
    const value = JSON.parse(body) as unknown;
    // DurableClient.startNew sends "" when the caller gave no input.
    return value === '' ? null : JSON.stringify(value);
  } catch (error) {
    throw new ApiError(
      400,
      'invalid_json',
      `The request body is not valid JSON: ${(error as Error).message}`,
    );
  }
}

function parseJsonText(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

function validateInstanceId(instanceId: string): void {
  const hasControlCharacter = [...instanceId].some((c) => c.charCodeAt(0) < 32 || c.charCodeAt(0) === 127);
  if (instanceId.length > 256 || /[\\/#?]/.test(instanceId) || hasControlCharacter) {
    throw new ApiError(
      400,
      'invalid_instance_id',
      'Instance IDs must be at most 256 characters without / \\ # ? or control characters.',
    );
  }
}

function validateEntityName(name: string): void {
  if (name.length > 256 || /[@\\/#?]/.test(name) || [...name].some((c) => c.charCodeAt(0) < 32)) {
    throw new ApiError(
      400,
      'invalid_entity_name',
      'Entity names must be at most 256 characters without @ / \\ # ? or control characters.',
    );
  }
}

/** A date query parameter as an ISO 8601 filter value; 400 when it is not a date. */
function timeFilter(
  query: URLSearchParams,
  name: 'lastOperationTimeFrom' | 'lastOperationTimeTo' | 'createdTimeFrom' | 'createdTimeTo',
): Record<string, string> {
  const value = query.get(name);
  if (!value) return {};
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new ApiError(400, 'invalid_date', `"${name}" must be an ISO 8601 date.`);
  return { [name]: new Date(time).toISOString() };
}

const eventTypeNames = Object.fromEntries(
  Object.entries(EventType)
    .filter(([, value]) => typeof value === 'number')
    .map(([name, value]) => [value, name]),
) as Record<number, string>;

/** History as the status API shows it: readable event names, bookkeeping events left out. */
function describeEvent(e: HistoryEvent, showOutput: boolean): Record<string, unknown>[] {
  if (e.EventType === EventType.OrchestratorStarted || e.EventType === EventType.OrchestratorCompleted)
    return [];
  const described: Record<string, unknown> = {
    EventType: eventTypeNames[e.EventType],
    Timestamp: e.Timestamp,
  };
  if (e.EventId >= 0) described.EventId = e.EventId;
  if (typeof e.Name === 'string')
    described[e.EventType === EventType.EventRaised ? 'Name' : 'FunctionName'] = e.Name;
  if (typeof e.TaskScheduledId === 'number') described.TaskScheduledId = e.TaskScheduledId;
  if (typeof e.TimerId === 'number') described.TimerId = e.TimerId;
  if (typeof e.FireAt === 'string') described.FireAt = e.FireAt;
  if (typeof e.InstanceId === 'string') described.InstanceId = e.InstanceId;
  if (typeof e.OrchestrationStatus === 'string') described.OrchestrationStatus = e.OrchestrationStatus;
  if (typeof e.Reason === 'string') described.Reason = e.Reason;
  if (typeof e.Data === 'string') described.Data = e.Data;
  if (showOutput) {
    if (e.Result !== undefined) described.Result = parseJsonText(e.Result as string | null);
    if (e.Input !== undefined && e.EventType !== EventType.TaskScheduled) described.Input = e.Input;
  }
  return [described];
}

/** A page of a listing; a continuation token the store cannot read is the caller's 400. */
function pageOrBadToken<T>(query: () => T): T {
  try {
    return query();
  } catch (error) {
    if (error instanceof InvalidContinuationTokenError) {
      throw new ApiError(400, 'invalid_continuation_token', error.message);
    }
    throw error;
  }
}
