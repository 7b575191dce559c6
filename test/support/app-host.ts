/**
 * Runs the Waypoint app itself (dist/) on the local host, in-process, for end-to-end tests: a
 * free port chosen first so the app's tool client reaches its own MCP mounts, stores in a temp
 * folder, and access to the loaded app's modules (to swap in a scripted model).
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { LocalHost } from '../../src/local-host/host';
import type { ModelProvider } from '../../src/models/types';
import { repoRoot, startHost, tempDir } from './local-host';

export interface AppHost {
  host: LocalHost;
  dataDir: string;
  storePath: string;
  /** Swaps the model of the app the host loaded (undefined: back to the configured one). */
  useModel(provider: ModelProvider | undefined): void;
  /** Modules of the loaded app, from dist/ (the same instances the host runs). */
  appModule<T>(path: string): T;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts the app; `env` is applied before it loads (the app reads its settings once). */
export async function startAppHost(env: Record<string, string> = {}): Promise<AppHost> {
  const dataDir = tempDir('waypoint-app-');
  const port = await freePort();
  const storePath = join(dataDir, 'waypoint.sqlite');
  Object.assign(process.env, {
    MCP_BASE_URL: `http://127.0.0.1:${port}/api/mcp`,
    MCP_SERVER_KEY: 'app-host-test-key-0123456789abcdef',
    STORE_SQLITE_PATH: storePath,
    WAYPOINT_TRACE_STORE: join(dataDir, 'traces.sqlite'),
    ...env,
  });
  const host = await startHost({ appDir: repoRoot, port, storePath: join(dataDir, 'durable.sqlite') });
  const load = createRequire(join(repoRoot, 'package.json'));
  const appModule = <T>(path: string): T => load(join(repoRoot, 'dist', path)) as T;
  return {
    host,
    dataDir,
    storePath,
    appModule,
    useModel: (provider) =>
      appModule<{ useModelProvider(p: ModelProvider | undefined): void }>('src/services.js').useModelProvider(
        provider,
      ),
  };
}
