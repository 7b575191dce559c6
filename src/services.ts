/**
 * Process-wide clients the functions share: created on first use, once per worker process, so a
 * cold start pays only for what it touches and every invocation reuses the same connections.
 */
import { appConfig } from './config';
import { createModelProvider, type ModelProvider } from './models';
import { createStores, type Stores } from './stores';
import { createLogger } from './telemetry/logger';
import { createToolClient, type ToolClient } from './tools';
import { TRAVEL_AGENTS } from './travel/agents';
import { BOOKING_AGENT, BOOKING_TOOLS, QUOTE_AGENT, QUOTE_TOOLS } from './travel/trip/tool-calls';
import { TRAVEL_OFFLINE_POLICIES } from './travel/offline/policies';

let stores: Promise<Stores> | undefined;

/** The idempotency and bookings stores; a failed open is forgotten so the next call retries. */
export function sharedStores(): Promise<Stores> {
  stores ??= createStores(appConfig().stores).catch((error: unknown) => {
    stores = undefined;
    throw error;
  });
  return stores;
}

let tools: Promise<ToolClient> | undefined;

/**
 * The process's one tool client: every agent's allow-list (and the orchestrator's own quote and
 * booking callers), the call-level idempotency store, the MCP servers from config.
 */
export function sharedToolClient(): Promise<ToolClient> {
  tools ??= sharedStores()
    .then(({ idempotency }) =>
      createToolClient(appConfig().tools, {
        idempotency,
        allowList: TRAVEL_AGENTS.allowList({ [BOOKING_AGENT]: BOOKING_TOOLS, [QUOTE_AGENT]: QUOTE_TOOLS }),
      }),
    )
    .catch((error: unknown) => {
      tools = undefined;
      throw error;
    });
  return tools;
}

let model: ModelProvider | undefined;
let modelOverride: ModelProvider | undefined;

/** The model behind every agent turn: the configured provider, unless one was set with `useModelProvider`. */
export function modelProvider(): ModelProvider {
  if (modelOverride) return modelOverride;
  model ??= createModelProvider(appConfig().models, {
    offlinePolicies: TRAVEL_OFFLINE_POLICIES,
    logger: createLogger('models'),
  });
  return model;
}

/**
 * Replaces the model for this process (tests run the app on the local host with a scripted
 * model this way; an embedding host can bring its own provider). `undefined` restores config's.
 */
export function useModelProvider(provider: ModelProvider | undefined): void {
  modelOverride = provider;
}
