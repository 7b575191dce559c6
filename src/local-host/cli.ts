#!/usr/bin/env node
/**
 * `npm start` / `npm run host -- --app <folder>`: runs a Functions app on the local host.
 * Prints the HTTP routes (and the keys only with --show-keys), and shuts down gracefully on
 * SIGINT/SIGTERM.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { configureLogging, createLogger, type Logger } from '../telemetry/logger';
import type { InstanceLimits } from './durable/limits';
import { LocalHost, type LocalHostOptions } from './host';
import { buildHttpRoutes } from './http-server';
import { startIdleCollector } from './idle-gc';

const usage = `Usage: waypoint-host [--app <folder>] [--port <n>] [--host <addr>] [--store <file|:memory:>]
                     [--key <function key>] [--master-key <key>] [--show-keys] [--allow-origin <origin>]
                     [--max-body <bytes>] [--log-format text|json] [--log-level debug|info|warn|error]
                     [--max-activities <n>] [--max-orchestrations <n>] [--max-pending-actions <n>]
                     [--max-active-instances <n>] [--max-history-events <n>] [--max-queued-events <n>]
                     [--no-auth]

Runs an Azure Functions (Node.js v4 model) app with Durable Functions, without Core Tools.
  --app                 app folder with package.json "main" (default: current folder)
  --port                port to listen on (default: $PORT or 7071; 0 picks a free port)
  --store               durable store: a SQLite file (default <app>/.data/durable.sqlite) or :memory:
  --key                 function key for authLevel function routes, at least 16 characters
                        (default: $LOCAL_HOST_KEY, else generated once and kept in the store)
  --master-key          master key: opens every route, admin ones included, and the management API
                        (default: $LOCAL_HOST_MASTER_KEY, else generated once and kept in the store)
  --show-keys           print the host's keys (and a generated MCP key) once at start
  --allow-origin        a browser origin besides the host's own that may POST to it, such as
                        http://localhost:5173 (repeat, or separate with commas)
  --max-body            request body limit in bytes for functions and the management API (default 1 MiB)
  --max-activities, --max-orchestrations
                        activities / orchestration episodes run at once (default: host.json
                        extensions.durableTask.maxConcurrentActivityFunctions / ...OrchestratorFunctions, else 10)
  --max-pending-actions activities, timers and sub-orchestrations one execution may have outstanding (1000)
  --max-active-instances  unfinished instances the host holds; more starts get 429 (5000)
  --max-history-events  history events one execution may hold (20000)
  --max-queued-events   events waiting in one instance's inbox (1000)
                        The four limits default to host.json's "localHost" section, then the values shown.`;

const flags = {
  app: { type: 'string' },
  port: { type: 'string' },
  host: { type: 'string' },
  store: { type: 'string' },
  key: { type: 'string' },
  'master-key': { type: 'string' },
  'show-keys': { type: 'boolean' },
  'allow-origin': { type: 'string', multiple: true },
  'max-body': { type: 'string' },
  'log-format': { type: 'string' },
  'log-level': { type: 'string' },
  'max-activities': { type: 'string' },
  'max-orchestrations': { type: 'string' },
  'max-pending-actions': { type: 'string' },
  'max-active-instances': { type: 'string' },
  'max-history-events': { type: 'string' },
  'max-queued-events': { type: 'string' },
  'no-auth': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Flags = ReturnType<typeof parseArgs<{ options: typeof flags }>>['values'];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: flags });
  if (values.help) {
    process.stdout.write(usage + '\n');
    return;
  }
  setUpLogging(values);
  const log = createLogger('host');
  // The app reads this too: it prints a key it generated (the MCP key) only when asked.
  if (values['show-keys']) process.env.WAYPOINT_SHOW_KEYS = 'true';
  const host = await LocalHost.start(hostOptions(values, log));
  // Listen for signals before announcing readiness: whoever waits for "Host ready" may stop us at once.
  stopOnSignals(host, log);
  announce(host, values, log);
}

function setUpLogging(values: Flags): void {
  const format = values['log-format'] ?? process.env.LOG_FORMAT ?? 'text';
  if (format !== 'text' && format !== 'json')
    throw new UsageError(`--log-format must be text or json, not "${format}".`);
  const level = values['log-level'] ?? process.env.LOG_LEVEL ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(level))
    throw new UsageError(`--log-level "${level}" is not a level.`);
  configureLogging({ format, level: level as 'debug' | 'info' | 'warn' | 'error' });
}

/** The host's options from the flags; a bad value is a UsageError before anything starts. */
function hostOptions(values: Flags, log: Logger): LocalHostOptions {
  const allowedOrigins = (values['allow-origin'] ?? []).flatMap((o) => o.split(',')).filter(Boolean);
  const port = integer('--port', values.port ?? process.env.PORT ?? '7071');
  // The app reads PORT too (like func start's apps, it calls its own endpoints, e.g. its MCP
  // mounts): tell it the port it is served on. A free port (0) is only known after start.
  if (port > 0) process.env.PORT = String(port);
  return {
    // `npm run host -- --app x` runs in the package folder; INIT_CWD is where the user typed it.
    appDir: values.app ? resolve(process.env.INIT_CWD ?? process.cwd(), values.app) : process.cwd(),
    port,
    ...(values.host ? { hostname: values.host } : {}),
    ...(values.store ? { storePath: values.store } : {}),
    // Without flags the host reads LOCAL_HOST_KEY / LOCAL_HOST_MASTER_KEY after local.settings.json.
    ...(values.key !== undefined ? { functionKey: values.key } : {}),
    ...(values['master-key'] !== undefined ? { masterKey: values['master-key'] } : {}),
    ...(allowedOrigins.length > 0 ? { allowedOrigins } : {}),
    ...(values['max-body'] ? { maxRequestBodyBytes: atLeastOne('--max-body', values['max-body']) } : {}),
    ...(values['max-activities']
      ? { maxConcurrentActivities: atLeastOne('--max-activities', values['max-activities']) }
      : {}),
    ...(values['max-orchestrations']
      ? { maxConcurrentOrchestrations: atLeastOne('--max-orchestrations', values['max-orchestrations']) }
      : {}),
    limits: limitFlags(values),
    enforceAuth: !values['no-auth'],
    logger: log,
  };
}

/** SIGINT/SIGTERM stop the host gracefully (once), then exit. */
function stopOnSignals(host: LocalHost, log: Logger): void {
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info(`${signal} received: stopping gracefully`);
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

/** Lists the functions and routes, the keys when asked, and says the host is ready. */
function announce(host: LocalHost, values: Flags, log: Logger): void {
  const prefix = host.app.hostJson.routePrefix ? `/${host.app.hostJson.routePrefix}` : '';
  const lines = [
    ...[...host.app.functions.values()]
      .filter((fn) => fn.kind !== 'http')
      .map((fn) => `  ${fn.name}: ${fn.kind}`),
    ...buildHttpRoutes(host.app).map(
      ({ fn, route, methods, authLevel }) =>
        `  ${fn.name}: [${[...methods].join(',')}] ${host.url}${prefix}/${route.template.replace(/^\/+/, '')}${authLevel === 'anonymous' ? '' : ' (key)'}`,
    ),
  ];
  log.info(`Functions:\n${lines.join('\n')}`);
  if (values['show-keys']) {
    // Printed once, on request, as func prints local URLs: logs are often shared, keys must not be.
    process.stderr.write(
      `Host keys (keep them out of logs and tickets):\n` +
        `  function key: ${host.keys.functionKey}   (authLevel function)\n` +
        `  master key: ${host.keys.masterKey}   (everything, admin routes and the management API included)\n` +
        `  durable system key: ${host.keys.systemKey}   (only /runtime/webhooks/durabletask)\n`,
    );
  }
  log.info(`Host ready on ${host.url}${values['show-keys'] ? '' : ' (keys: --show-keys)'}`);
}

class UsageError extends Error {}

/** The engine limits given as flags; host.json's localHost section supplies the rest. */
function limitFlags(values: Flags): Partial<InstanceLimits> {
  const limitNames: [keyof Flags, keyof InstanceLimits][] = [
    ['max-pending-actions', 'maxPendingActions'],
    ['max-active-instances', 'maxActiveInstances'],
    ['max-history-events', 'maxHistoryEvents'],
    ['max-queued-events', 'maxQueuedEvents'],
  ];
  const limits: Partial<InstanceLimits> = {};
  for (const [flag, limit] of limitNames) {
    const value = values[flag];
    if (typeof value === 'string') limits[limit] = atLeastOne(`--${flag}`, value);
  }
  return limits;
}

function atLeastOne(flag: string, value: string): number {
  const number = integer(flag, value);
  if (number < 1) throw new UsageError(`${flag} must be at least 1.`);
  return number;
}

function integer(flag: string, value: string): number {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number, not "${value}".`);
  return Number(value);
}

// A burst's garbage is given back once the host idles: this process is the host's, so is its heap.
startIdleCollector({
  onCollect: (before, after) =>
    createLogger('host').debug(`idle: heap collected, ${mib(before)} → ${mib(after)} MiB`),
});

function mib(bytes: number): number {
  return Math.round(bytes / 2 ** 20);
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`waypoint-host: ${message}\n`);
  if (error instanceof UsageError) process.stderr.write(`\n${usage}\n`);
  process.exit(1);
});
