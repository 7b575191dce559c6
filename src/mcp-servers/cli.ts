#!/usr/bin/env node
/**
 * Starts one tool server on its own:
 *
 *   node dist/src/mcp-servers/cli.js <flights|hotels|weather|restaurants|bookings> [--stdio] [--port N] [--host H]
 *
 * HTTP (default): Streamable HTTP at http://127.0.0.1:<port>/mcp, with the key and fault settings
 * of settings.ts. --stdio: MCP over stdin/stdout (logs go to stderr). The standalone bookings
 * server keeps bookings in memory for the life of the process; the app's mount persists them.
 */
import { parseArgs } from 'node:util';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createLogger } from '../telemetry/logger';
import { InMemoryBookingsStore } from './bookings/in-memory-bookings-store';
import { startMcpHttpServer } from './http/node-http-server';
import { createMcpServer, isMcpServerName, MCP_SERVER_NAMES, type McpServerName } from './registry';
import { loadMcpSettings } from './settings';

const logger = createLogger('mcp:cli');
/** Hosts that only this machine can reach; anything else needs a server key. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

const USAGE = `usage: cli.js <${MCP_SERVER_NAMES.join('|')}> [--stdio] [--port N] [--host H]\n`;
const DEFAULT_PORT = 7080;

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
  if (!options.stdio && settings.serverKey === undefined && !LOOPBACK_HOSTS.has(options.host)) {
    process.stderr.write(
      `refusing to serve on ${options.host} without MCP_SERVER_KEY: anyone could call the tools\n`,
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

  const running = await startMcpHttpServer({
    server: options.server,
    port: options.port,
    host: options.host,
    key: settings.serverKey,
    faults: settings.faults[options.server],
    bookingsStore,
  });
  // Listen for signals before announcing the URL: whoever waits for it may stop us at once.
  const stop = (signal: string) => {
    logger.info('stopping', { signal });
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  logger.info('serving over Streamable HTTP', {
    server: options.server,
    url: running.url,
    faultSeed: running.faultSeed,
  });
  if (settings.serverKey === undefined)
    logger.warn('MCP_SERVER_KEY is not set: the server accepts any caller');
}

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
});
