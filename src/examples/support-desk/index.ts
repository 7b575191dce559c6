/**
 * The support desk: a second application built from the generic agent runtime, with no travel
 * code. Entry point of its Functions app (package.json `main`): registers the runtime (agentTurn,
 * callTool, agentLoop) with the desk's agents, the `supportDesk` orchestration, and its HTTP API:
 *
 *   POST /api/support/tickets        {message, customer?} → 202 {id, statusUrl}
 *   GET  /api/support/tickets/{id}   → {id, runtimeStatus, ...the desk's status or result}
 *
 * The model is the configured one (offline by default, with the desk's own policies).
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { z } from 'zod';
import { ToolCatalog } from '../../agents/activities/tool-catalog';
import { TranscriptJournal } from '../../agents/activities/transcript-journal';
import { registerAgentRuntime } from '../../agents/register';
import { DEFAULT_RETRY_POLICIES } from '../../agents/retry';
import { appConfig } from '../../config';
import { runFailure, type ApiErrorCode } from '../../domain/error-codes';
import { createModelProvider, modelPricer, type ModelProvider } from '../../models';
import { createStores, type Stores } from '../../stores';
import { createLogger } from '../../telemetry/logger';
import { createToolClient, type ToolClient } from '../../tools';
import { SUPPORT_AGENTS } from './agents';
import { SUPPORT_OFFLINE_POLICIES } from './offline-policies';
import { supportDesk } from './orchestration';
import {
  DEFAULT_DESK_POLICY,
  DEFAULT_SUPPORT_LIMITS,
  SUPPORT_ORCHESTRATION,
  ticketSchema,
  type SupportDeskInput,
} from './schemas';

const config = appConfig();
const log = createLogger('support-desk');

/** Opened on first use, once per process; a failed open is forgotten so the next call retries. */
let stores: Promise<Stores> | undefined;
function deskStores(): Promise<Stores> {
  stores ??= createStores(config.stores).catch((error: unknown) => {
    stores = undefined;
    throw error;
  });
  return stores;
}
let tools: Promise<ToolClient> | undefined;
let catalog: ToolCatalog | undefined;
let model: ModelProvider | undefined;

registerAgentRuntime({
  agents: SUPPORT_AGENTS,
  model: () =>
    (model ??= createModelProvider(config.models, {
      offlinePolicies: SUPPORT_OFFLINE_POLICIES,
      logger: log,
    })),
  // The desk's agents call no tools; the client is there for agents that will (allow-list: none).
  tools: () =>
    (tools ??= deskStores().then(({ idempotency }) =>
      createToolClient(config.tools, { idempotency, allowList: SUPPORT_AGENTS.allowList() }),
    )),
  journal: async () => new TranscriptJournal((await deskStores()).idempotency),
  catalog: () => (catalog ??= ToolCatalog.fromSettings(config.tools)),
  price: modelPricer(config.models),
  logger: log,
});

df.app.orchestration(SUPPORT_ORCHESTRATION, supportDesk);

const withClient = { extraInputs: [df.input.durableClient()] };
const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);

function problem(status: number, code: ApiErrorCode, message: string, details?: unknown): HttpResponseInit {
  return { status, jsonBody: { error: { code, message, ...(details === undefined ? {} : { details }) } } };
}

app.http('supportTicketCreate', {
  ...withClient,
  route: 'api/support/tickets',
  methods: ['POST'],
  authLevel: 'function',
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return problem(400, 'invalid_json', 'The body is not valid JSON.');
    }
    const ticket = ticketSchema.safeParse(body);
    if (!ticket.success) {
      return problem(
        400,
        'invalid_request',
        'The ticket is not valid.',
        ticket.error.issues.map((i) => ({ path: i.path.join('.'), issue: i.message })),
      );
    }
    const input: SupportDeskInput = {
      ticket: ticket.data,
      createdAt: new Date().toISOString(),
      limits: DEFAULT_SUPPORT_LIMITS,
      retry: DEFAULT_RETRY_POLICIES,
      policy: DEFAULT_DESK_POLICY,
      maxRevisionRounds: 2,
    };
    const client = df.getClient(context);
    const id = await client.startNew(SUPPORT_ORCHESTRATION, { input });
    log.info('ticket received', { runId: id });
    return {
      status: 202,
      headers: { location: `/api/support/tickets/${id}` },
      jsonBody: { id, statusUrl: `/api/support/tickets/${id}` },
    };
  },
});

app.http('supportTicketStatus', {
  ...withClient,
  route: 'api/support/tickets/{id}',
  methods: ['GET'],
  authLevel: 'function',
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const id = idSchema.safeParse(request.params.id);
    if (!id.success) return problem(400, 'invalid_id', 'Not a ticket id.');
    const client = df.getClient(context);
    const status = await client.getStatus(id.data).catch(() => undefined);
    if (!status?.runtimeStatus) return problem(404, 'not_found', `No ticket ${id.data}.`);
    // The result when it ended, the live status while it runs; a crashed run's output is its error text.
    const state: unknown = status.output ?? status.customStatus ?? {};
    const body =
      typeof state === 'object' && state !== null
        ? (state as Record<string, unknown>)
        : { error: runFailure('run_failed', String(state).split('\n')[0].slice(0, 300)) };
    return { status: 200, jsonBody: { id: id.data, runtimeStatus: status.runtimeStatus, ...body } };
  },
});
