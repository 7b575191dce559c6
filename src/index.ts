/**
 * The Function app's entry point (package.json `main`). Azure Functions and the local host both
 * load this file; every module imported here registers its functions with `app.*` / `df.app.*`.
 */
// Telemetry first: it must be set up before any other module loads (see telemetry/init.ts).
import './telemetry/init';
import { appConfig } from './config';
import { registerMcpFunctions } from './functions/mcp';
import './functions/agents';
import './functions/samples';
import './functions/trips';
import './functions/ui';
import { sharedStores } from './services';
import { createLogger } from './telemetry/logger';

// Parse every setting now, so a bad one stops the app at start-up rather than mid-request.
const config = appConfig();
if (config.generatedMcpKeys.length > 0) {
  // Local development only (loadConfig refuses to make up keys in Azure). The keys are printed only
  // on request (the host's --show-keys): logs get shared, keys must not be.
  const servers = config.generatedMcpKeys;
  createLogger('app').info(
    process.env.WAYPOINT_SHOW_KEYS === 'true'
      ? `No MCP key is set for ${servers.join(', ')}: /api/mcp/<server> needs x-mcp-key: ${servers
          .map((server) => `${server} ${config.mcp.keys[server]}`)
          .join(', ')}`
      : `No MCP key is set for ${servers.join(', ')}: /api/mcp/<server> needs a key generated for this process (--show-keys prints them)`,
  );
}

registerMcpFunctions({
  settings: config.mcp,
  bookingsStore: async () => (await sharedStores()).bookings,
});
