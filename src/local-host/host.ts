/**
 * The local Functions + Durable host: loads a compiled v4 Functions app, serves its HTTP triggers
 * and the Durable management API, and runs its orchestrations through the durable-functions SDK
 * against an embedded SQLite store. Programmatic API for tests and tools; the CLI wraps it.
 *
 *   const host = await LocalHost.start({ appDir: '.', port: 0, storePath: ':memory:' });
 *   const res = await host.fetch('/api/orchestrators/helloSequence', { method: 'POST' });
 *   await host.stop();
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { createLogger, type Logger } from '../telemetry/logger';
import { loadFunctionApp, type LoadedApp } from './app-loader';
import type { DurableEngine, InstanceLimits } from './durable/engine';
import { createAppEngine } from './app-engine';
import { ManagementApi, managementUrls } from './durable/management-api';
import { DurableStore, type InstanceRecord, type RuntimeStatus } from './durable/store';
import { createFrontDoor, defaultMaxRequestBodyBytes, webhookPath, type HostKeys } from './front-door';
import { createHttpListener, defaultServerLimits, type HttpListener, type ServerLimits } from './http-server';
import {
  inProcessHost,
  installInProcessFetch,
  runAsInvocationOf,
  type InProcessHost,
} from './in-process-fetch';
import { isLoopbackInterface, loopbackHosts, normaliseOrigins } from './request-guards';
import { createInvoker, type FunctionInvoker } from './invoker';

export interface LocalHostOptions {
  /** The Functions app folder (its package.json `main` names the entry files). */
  appDir: string;
  /** 0 picks a free port. Default 7071, like `func start`. */
  port?: number;
  /** Interface to listen on. Default 127.0.0.1. */
  hostname?: string;
  /** SQLite file, or ':memory:'. Default `<appDir>/.data/durable.sqlite`. */
  storePath?: string;
  /**
   * Key for `authLevel: function` routes. Default: $LOCAL_HOST_KEY (read after local.settings.json
   * is applied), else generated once and kept in the store. Keys are at least 16 characters.
   */
  functionKey?: string;
  /** The Durable extension's system key: opens only the management API, and is the one its URLs carry. */
  systemKey?: string;
  /** Opens everything, `authLevel: admin` routes included. Default: $LOCAL_HOST_MASTER_KEY, else kept in the store. */
  masterKey?: string;
  /** Browser origins besides the host's own that may send state-changing requests (CSRF allow-list). */
  allowedOrigins?: string[];
  /** Body limit for function routes and the management API (default 1 MiB). */
  maxRequestBodyBytes?: number;
  /** Open connections at most (default 256), and per client address (default 128); see ConnectionGuard. */
  maxConnections?: number;
  maxConnectionsPerClient?: number;
  /** Time to receive a request's headers (default 10 s) and the whole request (default 30 s). */
  headersTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** Per-instance and per-host limits of the durable engine, over host.json's `localHost` section (see docs/local-host.md). */
  limits?: Partial<InstanceLimits>;
  maxConcurrentActivities?: number;
  maxConcurrentOrchestrations?: number;
  /** Honour authLevel (default true). */
  enforceAuth?: boolean;
  logger?: Logger;
  /** Load `<appDir>/local.settings.json` Values into process.env (default true), as `func start` does. */
  loadLocalSettings?: boolean;
}

/**
 * The trips API's shared anonymous user (`TRIPS_LOCAL_USER`) and the Durable samples
 * (`WAYPOINT_SAMPLES`): off unless switched on, so a deployed app never has them by accident.
 */
const LOCAL_DEVELOPMENT_SWITCHES = { TRIPS_LOCAL_USER: 'on', WAYPOINT_SAMPLES: 'on' } as const;

export class LocalHost {
  private stopped = false;

  private constructor(
    readonly app: LoadedApp,
    readonly engine: DurableEngine,
    private readonly store: DurableStore,
    private readonly listener: HttpListener,
    /** Turns off the in-process path for the app's calls to this host. */
    private readonly closeInProcess: () => void,
    private readonly invoker: FunctionInvoker,
    private readonly log: Logger,
    /** Base URL, e.g. http://127.0.0.1:7071 */
    readonly url: string,
    readonly keys: HostKeys,
  ) {}

  /** The key for `authLevel: function` routes. */
  get functionKey(): string {
    return this.keys.functionKey;
  }

  /**
   * Starts the host, in order: the app's environment and code, the store and keys, the engine,
   * the front door on its socket, the app's start hooks, then the engine's work.
   */
  static async start(options: LocalHostOptions): Promise<LocalHost> {
    const log = options.logger ?? createLogger('host');
    const appDir = resolve(options.appDir);
    const hostname = options.hostname ?? '127.0.0.1';
    prepareEnvironment(appDir, options, log);
    const app = loadApp(appDir, log);
    const store = new DurableStore(options.storePath ?? join(appDir, '.data', 'durable.sqlite'));
    const keys = hostKeys(store, options);
    const allowedOrigins = normaliseOrigins(options.allowedOrigins ?? []);
    const maxRequestBodyBytes = atLeastOne(
      'maxRequestBodyBytes',
      options.maxRequestBodyBytes ?? defaultMaxRequestBodyBytes,
    );

    // The app's own calls to this host (DurableClient, its MCP mounts) are served in-process.
    installInProcessFetch();
    // Set once the front door exists (it needs the invoker first).
    const inProcess: { host?: InProcessHost; open: boolean } = { open: true };
    const invoker = createInvoker(app, createLogger('function'), (body) =>
      inProcess.host ? runAsInvocationOf(inProcess.host, body) : body(),
    );
    const engine = createAppEngine(app, invoker, store, options, log);

    // Known once listening; the front door and the management API read them per request.
    const address: HostAddress = { baseUrl: '', port: 0, origins: new Set() };
    // The private RPC endpoint DurableClient talks to, as the extension's local RPC port is.
    const rpcPath = `/_host/durable-rpc/${randomBytes(16).toString('hex')}`;
    const frontDoor = createFrontDoor({
      app,
      invoker,
      management: new ManagementApi(engine, {
        taskHub: app.hostJson.hubName,
        key: keys.systemKey,
        webhookBase: (request) => `${originOf(request.headers, address.baseUrl)}${webhookPath}`,
      }),
      logger: log.child('http'),
      keys,
      rpcPath,
      enforceAuth: options.enforceAuth ?? true,
      ...(isLoopbackInterface(hostname) ? { allowedHosts: () => loopbackHosts(address.port, hostname) } : {}),
      allowedOrigins,
      maxRequestBodyBytes,
      extraInputsByType: () => {
        const client = durableClientInput(address.baseUrl, rpcPath, app.hostJson.hubName, keys.systemKey);
        return { durableClient: client, orchestrationClient: client };
      },
    });
    const listener = createHttpListener(frontDoor, serverLimitsOf(options));
    inProcess.host = inProcessHost(
      frontDoor,
      () => address.origins,
      () => inProcess.open,
    );
    await startListening(listener.server, address, options.port ?? 7071, hostname);

    await runAppStartHooks(app, invoker, appDir);
    engine.start();
    return new LocalHost(
      app,
      engine,
      store,
      listener,
      () => (inProcess.open = false),
      invoker,
      log,
      address.baseUrl,
      keys,
    );
  }

  /** HTTP requests being served right now (received, answer not yet finished). */
  get activeRequests(): number {
    return this.listener.connections.activeRequests;
  }

  /** Requests received on the host's socket since start; the app's calls to itself are not counted. */
  get requestsReceived(): number {
    return this.listener.requestsReceived;
  }

  /** Sends a request to the host: `path` is relative to its base URL. */
  fetch(path: string, init?: RequestInit): Promise<Response> {
    return fetch(new URL(path, this.url), init);
  }

  /** Waits for an orchestration instance to reach a terminal status (or one of `statuses`). */
  waitForInstance(
    instanceId: string,
    options: { timeoutMs?: number; statuses?: RuntimeStatus[] } = {},
  ): Promise<InstanceRecord> {
    return this.engine.waitForStatus(instanceId, options);
  }

  /**
   * Stops gracefully, within `timeoutMs`: new requests get 503 + Retry-After while the ones in
   * flight finish; then running episodes and activities finish (their calls to the host itself are
   * still served in-process); then connections and the store close.
   */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const deadline = Date.now() + timeoutMs;
    const { server, connections } = this.listener;
    this.listener.drain();
    await untilDeadline(connections.whenIdle(), deadline);
    await this.engine.stop(Math.max(0, deadline - Date.now()));
    this.closeInProcess();
    const closed = new Promise<void>((done) => server.close(() => done()));
    server.closeAllConnections();
    await closed;
    for (const hook of this.app.hooks.get('appTerminate') ?? []) {
      try {
        await hook({ hookData: this.invoker.appHookData, appHookData: this.invoker.appHookData });
      } catch (error) {
        this.log.warn('appTerminate hook failed', { error });
      }
    }
    this.store.close();
  }

  /**
   * Stops at once, as a crash would: connections dropped, running work abandoned, store closed.
   * What was committed survives; a new host on the same store resumes from there.
   */
  kill(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.closeInProcess();
    void this.engine.stop(0);
    this.listener.server.closeAllConnections();
    this.listener.server.close();
    this.store.close();
  }
}

/** Where the host listens, known once it does: its base URL, port and its own origins. */
interface HostAddress {
  baseUrl: string;
  port: number;
  origins: ReadonlySet<string>;
}

/** The environment the app expects before its code loads, as `func start` prepares it. */
function prepareEnvironment(appDir: string, options: LocalHostOptions, log: Logger): void {
  if (options.loadLocalSettings !== false) applyLocalSettings(appDir, log);
  // Switches of the Waypoint app that only local development turns on (other apps ignore them),
  // set where the environment and local.settings.json leave them unset: `…=off` still wins.
  for (const [name, value] of Object.entries(LOCAL_DEVELOPMENT_SWITCHES)) process.env[name] ??= value;
}

function loadApp(appDir: string, log: Logger): LoadedApp {
  const app = loadFunctionApp(appDir);
  if (app.hostJson.hubNameNote) log.info(app.hostJson.hubNameNote);
  for (const name of app.disabled) {
    log.info('function disabled by its setting', {
      function: name,
      setting: `AzureWebJobs.${name}.Disabled`,
    });
  }
  return app;
}

/** The three keys: given, else from the environment, else generated once and kept in the store. */
function hostKeys(store: DurableStore, options: LocalHostOptions): HostKeys {
  const keys: HostKeys = {
    functionKey: resolveKey(store, 'functionKey', options.functionKey ?? envKey('LOCAL_HOST_KEY')),
    systemKey: resolveKey(store, 'systemKey', options.systemKey),
    masterKey: resolveKey(store, 'masterKey', options.masterKey ?? envKey('LOCAL_HOST_MASTER_KEY')),
  };
  if (new Set(Object.values(keys)).size !== 3) {
    throw new RangeError('The function, system and master keys must differ from one another.');
  }
  return keys;
}

/** Listens, then records the address the front door and the app's clients need. */
async function startListening(
  server: Server,
  address: HostAddress,
  port: number,
  hostname: string,
): Promise<void> {
  await listen(server, port, hostname.replace(/^\[(.*)\]$/, '$1'));
  address.port = (server.address() as AddressInfo).port;
  address.baseUrl = `http://${urlHostname(hostname)}:${address.port}`;
  address.origins = new Set(
    [...loopbackHosts(address.port), new URL(address.baseUrl).host].map((host) => `http://${host}`),
  );
  // DurableClient rewrites URL origins to localhost:7071 unless WEBSITE_HOSTNAME is set. It is
  // process-wide, so with several hosts in one process the first one's port is used; that only
  // affects createHttpManagementPayload, as createCheckStatusResponse uses the request's origin.
  process.env.WEBSITE_HOSTNAME ??= `localhost:${address.port}`;
}

/** The app's `app.hook.appStart` hooks, in registration order, before any work runs. */
async function runAppStartHooks(app: LoadedApp, invoker: FunctionInvoker, appDir: string): Promise<void> {
  for (const hook of app.hooks.get('appStart') ?? []) {
    await hook({
      hookData: invoker.appHookData,
      appHookData: invoker.appHookData,
      functionAppDirectory: appDir,
    });
  }
}

/** Keys are bearer secrets in URLs: long enough not to be guessed, and URL-safe. */
const minimumKeyLength = 16;

/** A configured key, or the one kept in the store, or a new one; kept in the store either way. */
function resolveKey(store: DurableStore, name: string, configured: string | undefined): string {
  if (configured !== undefined && !/^[\w.~-]{16,}$/.test(configured)) {
    throw new RangeError(
      `The ${name} must be at least ${minimumKeyLength} characters of letters, digits, '-', '_', '.' or '~'.`,
    );
  }
  const key = configured ?? store.getMeta(name) ?? randomBytes(24).toString('base64url');
  store.setMeta(name, key);
  return key;
}

function envKey(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

function serverLimitsOf(options: LocalHostOptions): ServerLimits {
  const d = defaultServerLimits;
  return {
    maxConnections: atLeastOne('maxConnections', options.maxConnections ?? d.maxConnections),
    maxConnectionsPerClient: atLeastOne(
      'maxConnectionsPerClient',
      options.maxConnectionsPerClient ?? d.maxConnectionsPerClient,
    ),
    headersTimeoutMs: atLeastOne('headersTimeoutMs', options.headersTimeoutMs ?? d.headersTimeoutMs),
    requestTimeoutMs: atLeastOne('requestTimeoutMs', options.requestTimeoutMs ?? d.requestTimeoutMs),
  };
}

/** Resolves when `promise` does or at `deadline` (ms since the epoch), whichever comes first. */
async function untilDeadline(promise: Promise<void>, deadline: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    promise,
    new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now())))),
  ]);
  clearTimeout(timer);
}

function atLeastOne(setting: string, value: number): number {
  if (!Number.isInteger(value) || value < 1)
    throw new RangeError(`${setting} must be a whole number of at least 1, not ${value}.`);
  return value;
}

function listen(server: Server, port: number, hostname: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(`Port ${port} is already in use. Stop the other process or pass --port.`)
          : error,
      );
    };
    server.once('error', onError);
    server.listen(port, hostname, () => {
      server.off('error', onError);
      resolvePromise();
    });
  });
}

/** The host part of the base URL: wildcard binds are reached on 127.0.0.1, IPv6 literals in brackets. */
function urlHostname(hostname: string): string {
  if (hostname === '0.0.0.0' || hostname === '::' || hostname === '[::]') return '127.0.0.1';
  return hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
}

function originOf(headers: Record<string, string | undefined>, fallback: string): string {
  const host = headers['host'];
  return host ? `http://${host}` : fallback;
}

/** The durable client binding value, shaped as the Durable extension's BindingHelper builds it. */
function durableClientInput(baseUrl: string, rpcPath: string, taskHub: string, key: string) {
  const webhookBase = `${baseUrl}${webhookPath}`;
  const query = `taskHub=${encodeURIComponent(taskHub)}&connection=Storage&code=${encodeURIComponent(key)}`;
  return {
    taskHubName: taskHub,
    creationUrls: {
      createNewInstancePostUri: `${webhookBase}/orchestrators/{functionName}[/{instanceId}]?${query}`,
      createAndWaitOnNewInstancePostUri: `${webhookBase}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&${query}`,
    },
    managementUrls: managementUrls(webhookBase, taskHub, key, 'INSTANCEID'),
    baseUrl: webhookBase,
    requiredQueryStringParameters: `code=${encodeURIComponent(key)}`,
    rpcBaseUrl: `${baseUrl}${rpcPath}/`,
    httpBaseUrl: webhookBase,
  };
}

/** `func start` exposes local.settings.json Values as environment variables; so do we. */
function applyLocalSettings(appDir: string, log: Logger): void {
  const path = join(appDir, 'local.settings.json');
  if (!existsSync(path)) return;
  let values: Record<string, unknown>;
  try {
    values = (JSON.parse(readFileSync(path, 'utf8')) as { Values?: Record<string, unknown> }).Values ?? {};
  } catch (error) {
    throw new Error(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  for (const [name, value] of Object.entries(values)) {
    if (process.env[name] !== undefined || value === undefined || value === null) continue;
    process.env[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  log.debug('applied local.settings.json', { keys: Object.keys(values).length });
}
