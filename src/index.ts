/**
 * The Function app's entry point (package.json `main`). Azure Functions and the local host both
 * load this file; every module imported here registers its functions with `app.*` / `df.app.*`.
 */
import { appConfig } from './config';
import { registerMcpFunctions } from './functions/mcp';
import './functions/samples';
import './functions/trips';
import { sharedStores } from './services';
import { createLogger } from './telemetry/logger';

// Parse every setting now, so a bad one stops the app at start-up rather than mid-request.
const config = appConfig();
if (config.generatedMcpServerKey) {
  // Local development only (loadConfig refuses to make up a key in Azure), like func start's keys.
  createLogger('app').info(`MCP_SERVER_KEY is not set: /api/mcp/* needs x-mcp-key: ${config.mcp.serverKey}`);
}

registerMcpFunctions({
  settings: config.mcp,
  bookingsStore: async () => (await sharedStores()).bookings,
});
