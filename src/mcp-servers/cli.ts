#!/usr/bin/env node
/**
 * Starts one tool server on its own:
 *
 *   node dist/src/mcp-servers/cli.js <flights|hotels|weather|restaurants|bookings> [--stdio] [--port N] [--host H]
 *
 * HTTP (default): Streamable HTTP at http://127.0.0.1:<port>/mcp, with the key and fault settings
 * of settings.ts. --stdio: MCP over stdin/stdout (logs go to stderr). The standalone bookings
 * server keeps bookings in memory for the life of the process; the app's mount persists them.
 *
 * Over HTTP the server records its `tools/call {tool}` spans and MCP server metrics with the same
 * telemetry settings as the app (src/telemetry/settings.ts: Application Insights, OTLP, or the
 * local trace store, by default `.data/traces.sqlite` under the working directory, which the local
 * host shares when started from the same folder). Its `service.name` defaults to
 * `waypoint-mcp-<server>`, so it shows as its own role beside the app. Spans still batched are
 * flushed when it stops. Over stdio no span is recorded (the span lives in the HTTP handler), so
 * telemetry is not started there.
 */
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createLogger } from '../telemetry/logger';
import { loadTelemetrySettings } from '../telemetry/settings';
import { initTelemetry, shutdownTelemetry } from '../telemetry/setup';
import { InMemoryBookingsStore } from './bookings/in-memory-bookings-store';
import { startMcpHttpServer } from './http/node-http-server';
import { createMcpServer, isMcpServerName, MCP_SERVER_NAMES, type McpServerName } from './registry';
import { keySettingName, loadMcpSettings } from './settings';

const logger = createLogger('mcp:cli');
/** Hosts that only this machine can reach; anything else needs a server key. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

const USAGE = `usage: cli.js <${MCP_SERVER_NAMES.join('|')}> [--stdio] [--port N] [--host H]\n`;
const DEFAULT_PORT = 7080;
/** How long stopping waits for telemetry to flush: an unreachable exporter must not hold the exit. */
const TELEMETRY_FLUSH_LIMIT_MS = 5_000;

interface CliOptions {
  server: McpServerName;
  stdio: boolean;
  port: number;
  host: string;
}

function parseCli(argv: string[]): CliOptions | string {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        stdio: { type: 'boolean', default: false },
        port: { type: 'string' },
        host: { type: 'string' },
      },
    });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const [server, ...extra] = parsed.positionals;
  if (server === undefined || !isMcpServerName(server) || extra.length > 0)
    return `unknown or missing server "${server ?? ''}"`;
  const port = parsed.values.port === undefined ? DEFAULT_PORT : Number(parsed.values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    return `--port must be an integer from 0 to 65535`;
  return { server, stdio: parsed.values.stdio, port, host: parsed.values.host ?? '127.0.0.1' };
}

async function main(): Promise<void> {
  const options = parseCli(process.argv.slice(2));
  if (typeof options === 'string') {
    process.stderr.write(`${options}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const settings = loadMcpSettings();
  const key = settings.keys[options.server];
  if (!options.stdio && key === undefined && !LOOPBACK_HOSTS.has(options.host)) {
    process.stderr.write(
      `refusing to serve on ${options.host} without ${keySettingName(options.server)} or MCP_SERVER_KEY: anyone could call the tools\n`,
    );
    process.exitCode = 2;
    return;
  }
  const bookingsStore = options.server === 'bookings' ? new InMemoryBookingsStore() : undefined;
  if (bookingsStore) logger.warn('standalone bookings server: bookings are kept in memory only');

  if (options.stdio) {
    const server = createMcpServer(options.server, { bookingsStore });
    await server.connect(new StdioServerTransport());
    logger.info('serving over stdio', { server: options.server });
    return;
  }

  startTelemetry(options.server);
  const running = await startMcpHttpServer({
    server: options.server,
    port: options.port,
    host: options.host,
    key,
    faults: settings.faults[options.server],
    bookingsStore,
  });
  // Listen for signals before announcing the URL: whoever waits for it may stop us at once.
  const stop = async (signal: string): Promise<void> => {
    logger.info('stopping', { signal });
    let code = 0;
    try {
      await running.close();
    } catch (error) {
      logger.error('stop failed', { error });
      code = 1;
    }
    await stopTelemetry(); // after close: the last calls' spans have ended by then
    process.exit(code);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  logger.info('serving over Streamable HTTP', {
    server: options.server,
    url: running.url,
    faultSeed: running.faultSeed,
  });
  if (key === undefined)
    logger.warn(
      `Neither ${keySettingName(options.server)} nor MCP_SERVER_KEY is set: the server accepts any caller`,
    );
}

/**
 * Starts telemetry from the environment before the server takes calls. A bad telemetry setting
 * throws (naming it) and the CLI exits 1, as for its own settings.
 */
function startTelemetry(server: McpServerName): void {
  const env = {
    ...process.env,
    OTEL_SERVICE_NAME: process.env.OTEL_SERVICE_NAME || `waypoint-mcp-${server}`,
  };
  initTelemetry({ settings: loadTelemetrySettings(env) });
}

/** Flushes and stops telemetry, waiting at most TELEMETRY_FLUSH_LIMIT_MS. Never throws. */
async function stopTelemetry(): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), TELEMETRY_FLUSH_LIMIT_MS);
  });
  try {
    const outcome = await Promise.race([shutdownTelemetry().then(() => 'flushed' as const), limit]);
    if (outcome === 'timeout')
      logger.warn('telemetry did not flush in time; exiting without the last spans', {
        limitMs: TELEMETRY_FLUSH_LIMIT_MS,
      });
  } catch (error) {
    logger.warn('telemetry flush failed', { error });
  } finally {
    clearTimeout(timer);
  }
}

main().catch(async (error: unknown) => {
  logger.error(error instanceof Error ? error.message : String(error));
  await stopTelemetry();
  process.exitCode = 1;
});
