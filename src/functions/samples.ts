/**
 * Sample functions kept as living documentation of what the host runs: the classic
 * `helloSequence`, an orchestration that shows fan-out with retries, a durable timer and an
 * external event raced against a timeout, and an anonymous HTTP starter with status and event
 * routes of its own.
 *
 * Registered only when `WAYPOINT_SAMPLES` is on (the local host and the sample local.settings.json
 * turn it on; a deployed app leaves it off). Their answers never carry a key: the Durable
 * management URLs (`createCheckStatusResponse`) carry the system key, which opens every instance
 * of the task hub — trip runs included — so the starter hands out its own routes instead, which
 * show and signal sample instances only. `api/health` is not a sample and is always registered.
 */
import { randomUUID } from 'node:crypto';
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ApiErrorCode } from '../domain/error-codes';
import type {
  ActivityHandler,
  DurableClient,
  OrchestrationContext,
  OrchestrationHandler,
} from 'durable-functions';
import { z } from 'zod';
import { switchSetting } from '../hosting';

const sayHello: ActivityHandler = (city: string): string => `Hello ${city}!`;

const helloSequence: OrchestrationHandler = function* (context: OrchestrationContext) {
  const outputs: string[] = [];
  outputs.push((yield context.df.callActivity('sayHello', 'Tokyo')) as string);
  outputs.push((yield context.df.callActivity('sayHello', 'Seattle')) as string);
  outputs.push((yield context.df.callActivity('sayHello', 'London')) as string);
  return outputs;
};

/**
 * greetingRound's input, bounded: the starter is anonymous, so the work one request can cause
 * (activities fanned out, timers, waiting time) is capped here.
 */
const greetingRoundInput = z
  .object({
    cities: z.array(z.string().trim().min(1).max(80)).max(20).optional(),
    /** How long to wait for the `approval` event before giving up. */
    approvalTimeoutSeconds: z.number().int().min(1).max(86_400).optional(),
    /** A short durable timer between the fan-out and the approval wait. */
    coolDownSeconds: z.number().int().min(0).max(60).optional(),
  })
  .strict();
type GreetingRoundInput = z.infer<typeof greetingRoundInput>;

const measureGreeting: ActivityHandler = (city: string) => ({
  city,
  greeting: `Hello ${city}!`,
  letters: city.length,
});

/** Fan-out/fan-in with retries, a durable timer, then an approval raced against a timeout. */
const greetingRound: OrchestrationHandler = function* (context: OrchestrationContext) {
  // Also checked here: the management API can start it with any input (with a key).
  const input: GreetingRoundInput = greetingRoundInput.parse(context.df.getInput<unknown>() ?? {});
  const cities = input.cities?.length ? input.cities : ['Tokyo', 'Seattle', 'London'];
  const retry = new df.RetryOptions(1000, 3);
  retry.backoffCoefficient = 2;

  context.df.setCustomStatus({ stage: 'greeting', cities: cities.length });
  const greetings = (yield context.df.Task.all(
    cities.map((city) => context.df.callActivityWithRetry('measureGreeting', retry, city)),
  )) as { city: string; greeting: string; letters: number }[];

  const now = context.df.currentUtcDateTime.getTime();
  context.df.setCustomStatus({ stage: 'cooling-down' });
  yield context.df.createTimer(new Date(now + (input.coolDownSeconds ?? 1) * 1000));

  context.df.setCustomStatus({ stage: 'awaiting-approval' });
  const deadline = context.df.currentUtcDateTime.getTime() + (input.approvalTimeoutSeconds ?? 300) * 1000;
  const timeout = context.df.createTimer(new Date(deadline));
  const approval = context.df.waitForExternalEvent('approval');
  const winner = (yield context.df.Task.any([approval, timeout])) as unknown;
  if (winner === approval) timeout.cancel();

  const approved =
    winner === approval && (approval.result as { approved?: boolean } | undefined)?.approved === true;
  context.df.setCustomStatus({ stage: 'done' });
  return {
    greetings,
    totalLetters: greetings.reduce((sum, g) => sum + g.letters, 0),
    approval: winner === approval ? (approved ? 'approved' : 'rejected') : 'timed-out',
  };
};

/**
 * The orchestrations the starter may start, each with its input schema and the events it takes.
 * Only these: a route value goes into the DurableClient's request URL, so it must never be
 * anything but a known name.
 */
const startable: Record<string, { input: z.ZodType; events: Record<string, z.ZodType> }> = {
  helloSequence: { input: z.union([z.undefined(), z.null(), z.object({}).strict()]), events: {} },
  greetingRound: {
    input: greetingRoundInput.optional(),
    events: { approval: z.object({ approved: z.boolean() }).strict() },
  },
};

/** Instance ids the starter makes: 128 random bits as 32 hex digits, so a status URL is a capability. */
const SAMPLE_ID = /^[0-9a-f]{32}$/;
/** Event bodies are tiny; anything larger is a mistake or abuse. */
const MAX_EVENT_BYTES = 4096;

function problem(status: number, code: ApiErrorCode, message: string): HttpResponseInit {
  return { status, jsonBody: { error: { code, message } } };
}

function unknownOrchestrator(name: string): HttpResponseInit {
  return problem(
    404,
    'unknown_orchestrator',
    `No startable orchestration '${name.slice(0, 80)}'; use one of: ${Object.keys(startable).join(', ')}.`,
  );
}

/** The sample's own routes for one instance: no key in them, and they reach sample instances only. */
function sampleUrls(request: HttpRequest, name: string, id: string) {
  const base = `${new URL(request.url).origin}/api/orchestrators/${name}/${id}`;
  return {
    statusQueryGetUri: base,
    ...(Object.keys(startable[name].events).length > 0
      ? { sendEventPostUri: `${base}/raiseEvent/{eventName}` }
      : {}),
  };
}

/** The starter: POST /api/orchestrators/{orchestratorName} with an optional JSON body. */
async function httpStart(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const name = request.params.orchestratorName ?? '';
  const sample = Object.hasOwn(startable, name) ? startable[name] : undefined;
  if (!sample) return unknownOrchestrator(name);
  const text = await request.text();
  let input: unknown;
  if (text.trim()) {
    const refusal = nonJsonBody(request);
    if (refusal) return refusal;
    try {
      input = JSON.parse(text);
    } catch {
      return problem(400, 'invalid_json', 'The request body is not valid JSON.');
    }
  }
  const parsed = sample.input.safeParse(input);
  if (!parsed.success)
    return problem(400, 'invalid_input', `Invalid input for '${name}': ${issues(parsed.error)}`);
  const client = df.getClient(context);
  const instanceId = randomUUID().replaceAll('-', '');
  try {
    await client.startNew(name, { instanceId, ...(parsed.data === undefined ? {} : { input: parsed.data }) });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The host refuses starts past its instance limit; everything else is unexpected here.
    return problem(503, 'start_failed', `Could not start orchestration '${name}': ${message}`);
  }
  context.log(`Started orchestration '${name}' with ID '${instanceId}'.`);
  const urls = sampleUrls(request, name, instanceId);
  return {
    status: 202,
    headers: { Location: urls.statusQueryGetUri, 'Retry-After': '1' },
    jsonBody: { id: instanceId, ...urls },
  };
}

/** GET /api/orchestrators/{orchestratorName}/{instanceId}: 202 while it runs, 200 once it ended. */
async function sampleStatus(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const found = await sampleInstance(request, df.getClient(context));
  if ('status' in found) return found;
  const { snapshot } = found;
  const running = ['Pending', 'Running', 'ContinuedAsNew', 'Suspended'].includes(snapshot.runtimeStatus);
  const body = {
    name: snapshot.name,
    instanceId: snapshot.instanceId,
    runtimeStatus: snapshot.runtimeStatus,
    customStatus: snapshot.customStatus ?? null,
    output: snapshot.output ?? null,
    createdTime: snapshot.createdTime,
    lastUpdatedTime: snapshot.lastUpdatedTime,
  };
  return running
    ? { status: 202, jsonBody: body, headers: { Location: request.url, 'Retry-After': '1' } }
    : { status: 200, jsonBody: body };
}

/** POST /api/orchestrators/{orchestratorName}/{instanceId}/raiseEvent/{eventName} with a JSON body. */
async function sampleEvent(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const client = df.getClient(context);
  const found = await sampleInstance(request, client);
  if ('status' in found) return found;
  const eventName = request.params.eventName ?? '';
  const events = startable[found.snapshot.name].events;
  const schema = Object.hasOwn(events, eventName) ? events[eventName] : undefined;
  if (!schema) {
    return problem(
      404,
      'unknown_event',
      `'${found.snapshot.name}' takes no event '${eventName.slice(0, 80)}'.`,
    );
  }
  const refusal = nonJsonBody(request);
  if (refusal) return refusal;
  const text = await request.text();
  if (Buffer.byteLength(text) > MAX_EVENT_BYTES) {
    return problem(413, 'payload_too_large', `An event body is at most ${MAX_EVENT_BYTES} bytes.`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return problem(400, 'invalid_json', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    return problem(400, 'invalid_input', `Invalid '${eventName}' event: ${issues(parsed.error)}`);
  try {
    await client.raiseEvent(found.snapshot.instanceId, eventName, parsed.data);
  } catch (error) {
    // The instance ended meanwhile (410), or the host is at its event limit (429).
    const message = error instanceof Error ? error.message : String(error);
    return problem(409, 'event_not_delivered', `The event was not delivered: ${message}`);
  }
  return { status: 202 };
}

/** The sample instance the route names, or the 404 that answers a missing one and a non-sample alike. */
async function sampleInstance(
  request: HttpRequest,
  client: DurableClient,
): Promise<{ snapshot: SampleSnapshot } | (HttpResponseInit & { status: number })> {
  const name = request.params.orchestratorName ?? '';
  const id = request.params.instanceId ?? '';
  if (!Object.hasOwn(startable, name)) return { ...unknownOrchestrator(name), status: 404 };
  const notFound = {
    ...problem(404, 'not_found', `No '${name}' instance '${id.slice(0, 40)}'.`),
    status: 404,
  };
  if (!SAMPLE_ID.test(id)) return notFound;
  let snapshot: SampleSnapshot;
  try {
    snapshot = (await client.getStatus(id)) as unknown as SampleSnapshot;
  } catch (error) {
    if (error instanceof Error && /HTTP 404/.test(error.message)) return notFound;
    throw error;
  }
  // Another orchestration's instance (a trip run) is none of this route's business.
  return snapshot.name === name ? { snapshot } : notFound;
}

interface SampleSnapshot {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  customStatus: unknown;
  output: unknown;
  createdTime: unknown;
  lastUpdatedTime: unknown;
}

/** 415 for a body sent as anything but JSON (a form post from another site, say). */
function nonJsonBody(request: HttpRequest): HttpResponseInit | undefined {
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  return type === 'application/json'
    ? undefined
    : problem(415, 'unsupported_media_type', 'Send the body as JSON (Content-Type: application/json).');
}

function issues(error: z.ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

if (switchSetting('WAYPOINT_SAMPLES', process.env.WAYPOINT_SAMPLES)) {
  df.app.activity('sayHello', { handler: sayHello });
  df.app.orchestration('helloSequence', helloSequence);
  df.app.activity('measureGreeting', { handler: measureGreeting });
  df.app.orchestration('greetingRound', greetingRound);
  const durableClient = [df.input.durableClient()];
  app.http('httpStart', {
    route: 'api/orchestrators/{orchestratorName}',
    methods: ['POST'],
    authLevel: 'anonymous',
    extraInputs: durableClient,
    handler: httpStart,
  });
  app.http('sampleStatus', {
    route: 'api/orchestrators/{orchestratorName}/{instanceId}',
    methods: ['GET'],
    authLevel: 'anonymous',
    extraInputs: durableClient,
    handler: sampleStatus,
  });
  app.http('sampleEvent', {
    route: 'api/orchestrators/{orchestratorName}/{instanceId}/raiseEvent/{eventName}',
    methods: ['POST'],
    authLevel: 'anonymous',
    extraInputs: durableClient,
    handler: sampleEvent,
  });
}

app.http('health', {
  route: 'api/health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => ({ status: 200, jsonBody: { status: 'ok' } }),
});
