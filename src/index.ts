/**
 * The Function app's entry point (package.json `main`). Azure Functions and the local host both
 * load this file; the modules it loads register their functions with `app.*` / `df.app.*`.
 *
 * WAYPOINT_APP_ROLE (src/app-role.ts) decides which: the agents app registers the trips API, the
 * web UI and the Durable functions and calls the tools over HTTP; the MCP app registers only the
 * tool servers; the local host (role `all`) registers both, the tools mounted in-process.
 */
// Telemetry first: it must be set up before any other module loads (see telemetry/init.ts).
import './telemetry/init';
import { runsAgents, runsToolServers } from './app-role';
import { appConfig } from './config';
import { registerMcpFunctions } from './functions/mcp';
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

if (runsAgents(config.role)) {
  // These modules register as they load, so only a role that runs them loads them.
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('./functions/agents');
  require('./functions/samples');
  require('./functions/trips');
  require('./functions/ui');
  /* eslint-enable @typescript-eslint/no-require-imports */
}

if (runsToolServers(config.role)) {
  registerMcpFunctions({
    settings: config.mcp,
    bookingsStore: async () => (await sharedStores()).bookings,
  });
}
