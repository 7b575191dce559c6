/**
 * The app's settings, read from the environment (local.settings.json Values locally, app settings
 * in Azure) and validated with zod once, at start-up: a missing or bad setting stops the app with
 * a message that names it. Every key is listed in local.settings.sample.json.
 */
import { randomBytes } from 'node:crypto';
import { loadAppRole, type AppRole } from './app-role';
import { WaypointError } from './domain/errors';
import { azurePlatformSignals } from './hosting';
import { refuseUnresolvedKeyVaultReferences } from './key-vault-reference';
import { MCP_SERVER_NAMES, type McpServerName } from './mcp-servers/registry';
import { keySettingName, loadMcpSettings, type McpSettings } from './mcp-servers/settings';
import { loadModelSettings, type ModelSettings } from './models/settings';
import { loadStoreSettings, type StoreSettings } from './stores/settings';
import { checkCallWindows, loadToolSettings, type ToolSettings } from './tools/settings';

export interface AppConfig {
  /** Which functions this app registers (WAYPOINT_APP_ROLE: all, agents or mcp). */
  role: AppRole;
  /** Idempotency and bookings stores: embedded SQLite, or Cosmos DB when COSMOS_ENDPOINT is set. */
  stores: StoreSettings;
  /** The MCP tool servers mounted by the app: their keys and fault injection. */
  mcp: McpSettings;
  /** The MCP tool client: server URLs, timeouts, the key of each server. */
  tools: ToolSettings;
  /** The model behind every agent turn: offline by default. */
  models: ModelSettings;
  /** The mounted servers whose key this process made up (none was configured). */
  generatedMcpKeys: McpServerName[];
}

/**
 * The tool servers always require a key unless MCP_ALLOW_ANONYMOUS=true. Locally, a server with no
 * key configured (neither MCP_<SERVER>_KEY nor MCP_SERVER_KEY) gets one made up for this process,
 * a different one per server, which the process's own tool client sends to that mount only: the
 * app works out of the box, the bookings key never goes to another server, and nothing outside
 * the process can call the tools without being told the keys. In Azure every key must be
 * configured: every instance of a scaled-out app has to share it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  // First: a setting that is still a Key Vault reference's text must not pass as its value.
  refuseUnresolvedKeyVaultReferences(env);
  const role = loadAppRole(env);
  const mcp = loadMcpSettings(env);
  const tools = loadToolSettings(env);
  const generate =
    env.MCP_ALLOW_ANONYMOUS === 'true' ? [] : MCP_SERVER_NAMES.filter((server) => !mcp.keys[server]);
  if (generate.length > 0 && azurePlatformSignals(env).length > 0) {
    const settings = generate.map(keySettingName).join(', ');
    throw new WaypointError(
      'invalid_config',
      `Invalid setting MCP_SERVER_KEY: required in Azure (all instances must share it), or ${settings}; or set MCP_ALLOW_ANONYMOUS=true.`,
      { details: { setting: 'MCP_SERVER_KEY' } },
    );
  }
  for (const server of generate) {
    const key = randomBytes(18).toString('base64url');
    mcp.keys[server] = key;
    // Only to this process's own mount of the server: a server at a URL of its own is not ours.
    if (tools.mounted.has(server) && tools.serverKeys[server] === undefined) tools.serverKeys[server] = key;
  }
  const stores = loadStoreSettings(env);
  // A pending idempotency record must outlive every attempt that may still be running.
  checkCallWindows({
    callTimeoutMs: tools.callTimeoutMs,
    pendingStaleAfterMs: tools.pendingStaleAfterMs,
    idempotencyTtlSeconds: stores.idempotencyTtlSeconds,
  });
  const models = loadModelSettings(env);
  return { role, stores, mcp, tools, models, generatedMcpKeys: generate };
}

let current: AppConfig | undefined;

/** The process's configuration, parsed on first use and then reused. */
export function appConfig(): AppConfig {
  current ??= loadConfig();
  return current;
}
