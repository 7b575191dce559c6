/**
 * The app's settings, read from the environment (local.settings.json Values locally, app settings
 * in Azure) and validated with zod once, at start-up: a missing or bad setting stops the app with
 * a message that names it. Every key is listed in local.settings.sample.json.
 */
import { randomBytes } from 'node:crypto';
import { loadAppRole, type AppRole } from './app-role';
import { WaypointError } from './domain/errors';
import { refuseUnresolvedKeyVaultReferences } from './key-vault-reference';
import { loadMcpSettings, type McpSettings } from './mcp-servers/settings';
import { loadModelSettings, type ModelSettings } from './models/settings';
import { loadStoreSettings, type StoreSettings } from './stores/settings';
import { checkCallWindows, loadToolSettings, type ToolSettings } from './tools/settings';

export interface AppConfig {
  /** Which functions this app registers (WAYPOINT_APP_ROLE: all, agents or mcp). */
  role: AppRole;
  /** Idempotency and bookings stores: embedded SQLite, or Cosmos DB when COSMOS_ENDPOINT is set. */
  stores: StoreSettings;
  /** The MCP tool servers mounted by the app: server key and fault injection. */
  mcp: McpSettings;
  /** The MCP tool client: server URLs, timeouts, key. */
  tools: ToolSettings;
  /** The model behind every agent turn: offline by default. */
  models: ModelSettings;
  /** True when no MCP_SERVER_KEY was configured and this process made one up. */
  generatedMcpServerKey: boolean;
}

/**
 * The tool servers always require a key unless MCP_ALLOW_ANONYMOUS=true. Locally, without
 * MCP_SERVER_KEY, the process makes one up and gives it to its own tool client, so the app works
 * out of the box and nothing outside the process can call the tools without being told the key.
 * In Azure the key must be configured: every instance of a scaled-out app has to share it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // First: a setting that is still a Key Vault reference's text must not pass as its value.
  refuseUnresolvedKeyVaultReferences(env);
  const role = loadAppRole(env);
  const mcp = loadMcpSettings(env);
  const tools = loadToolSettings(env);
  const generate = mcp.serverKey === undefined && env.MCP_ALLOW_ANONYMOUS !== 'true';
  if (generate && env.WEBSITE_INSTANCE_ID) {
    throw new WaypointError(
      'invalid_config',
      'Invalid setting MCP_SERVER_KEY: required in Azure (all instances must share it); or set MCP_ALLOW_ANONYMOUS=true.',
      { details: { setting: 'MCP_SERVER_KEY' } },
    );
  }
  if (generate) {
    const key = randomBytes(18).toString('base64url');
    mcp.serverKey = key;
    tools.serverKey = key;
  }
  const stores = loadStoreSettings(env);
  // A pending idempotency record must outlive every attempt that may still be running.
  checkCallWindows({
    callTimeoutMs: tools.callTimeoutMs,
    pendingStaleAfterMs: tools.pendingStaleAfterMs,
    idempotencyTtlSeconds: stores.idempotencyTtlSeconds,
  });
  const models = loadModelSettings(env);
  return { role, stores, mcp, tools, models, generatedMcpServerKey: generate };
}

let current: AppConfig | undefined;

/** The process's configuration, parsed on first use and then reused. */
export function appConfig(): AppConfig {
  current ??= loadConfig();
  return current;
}
