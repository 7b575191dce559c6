/**
 * `npm run trip` end to end: the compiled CLI as a child process, against the app on a local host
 * (the offline model and the real MCP servers over loopback), non-interactive (--answers, --yes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local-host/host';
import { runResourceSchema } from '../../src/travel/api/run-resource';
import { killHard, spawnHostProcess } from '../support/host-process';
import { repoRoot, startHost, tempDir } from '../support/local-host';
import { waitUntil } from '../support/wait-until';
import { HIKING_TRIP_FIELDS } from '../support/trip-requests';

const cli = join(repoRoot, 'dist/src/cli/trip.js');
const dataDir = tempDir('waypoint-trip-cli-');
const env = {
  ...process.env,
  STORE_SQLITE_PATH: join(dataDir, 'waypoint.sqlite'),
  WAYPOINT_TRACE_STORE: join(dataDir, 'traces.sqlite'),
  MCP_SERVER_KEY: 'trip-cli-e2e-key-0123456789',
};
let host: LocalHost;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

beforeAll(async () => {
  // The app's tool client calls the host's own MCP mounts: it must know the port when it loads.
  const port = await freePort();
  Object.assign(process.env, env, { MCP_BASE_URL: `http://127.0.0.1:${port}/api/mcp` });
  host = await startHost({ appDir: repoRoot, port });
});
afterAll(async () => {
  await host.stop();
});

interface TripProcess {
  child: ChildProcess;
  /** stdout so far. */
  output: () => string;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
}

/** The CLI as a child process; `done` rejects (and the child is killed) after `timeoutMs`. */
function spawnTrip(args: string[], timeoutMs = 180_000): TripProcess {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`trip CLI still running after ${timeoutMs} ms:\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  return { child, output: () => stdout, done };
}

function trip(args: string[], timeoutMs = 120_000) {
  return spawnTrip(args, timeoutMs).done;
}

const runIdOf = (output: string) => /Run (trip-[0-9a-f]{32}): \w+/.exec(output)?.[1];

const fullTrip = [
  'Plan a 4-day hiking trip from Seattle to El Calafate, 10-14 March 2027, for two, budget $5,000, and book it',
  '--names',
  'Ada Lovelace, Grace Hopper',
  '--email',
  'ada@example.org',
];

describe('npm run trip', () => {
  it('exits 2 with the usage for bad arguments', async () => {
    for (const args of [
      [],
      ['Patagonia', '--travellers', 'lots'],
      ['Patagonia', '--answers', '{nope'],
      ['x', '--colour'],
    ]) {
      const { code, stderr } = await trip(args);
      expect(code).toBe(2);
      expect(stderr).toMatch(/Usage: npm run trip/);
    }
  });

  it('says it is reconnecting while its host is stopped, and finishes the run on the restarted host', async () => {
    // The app on the local host CLI in its own process, so it can be stopped and started again on
    // the same port and the same store while the trip CLI polls it.
    const port = await freePort();
    const hostEnv: NodeJS.ProcessEnv = {
      ...env,
      STORE_SQLITE_PATH: join(dataDir, 'restart.sqlite'),
      WAYPOINT_TRACE_STORE: join(dataDir, 'restart-traces.sqlite'),
      MCP_BASE_URL: `http://127.0.0.1:${port}/api/mcp`,
      LOG_FORMAT: 'text',
      // info: the host announces "Host ready" at that level.
      LOG_LEVEL: 'info',
    };
    const start = () =>
      spawnHostProcess({
        storePath: join(dataDir, 'restart-durable.sqlite'),
        masterKey: 'trip-cli-master-key-0001',
        env: hostEnv,
        port,
      });
    let app = await start();
    const cli = spawnTrip([...fullTrip, '--url', app.url, '--yes']);
    try {
      await waitUntil('the run id', () => /Run trip-[0-9a-f]{32}/.test(cli.output()), {
        timeoutMs: 60_000,
        describe: cli.output,
      });
      // A graceful stop: new requests get 503 + Retry-After, then the port refuses connections.
      app.child.kill('SIGTERM');
      await app.exited;
      await waitUntil('the CLI to say it is reconnecting', () => /reconnecting…/.test(cli.output()), {
        timeoutMs: 60_000,
        describe: cli.output,
      });
      app = await start();
      const { code, stdout } = await cli.done;
      expect(code, stdout).toBe(0);
      expect(stdout).toMatch(/(connection refused|HTTP 503, unavailable); reconnecting…/);
      expect(stdout).toMatch(/Reconnected to http:\/\/127\.0\.0\.1:\d+ after \d+\.\d s/);
      expect(stdout).toMatch(/booked flight: confirmed/);
      const id = /Run (trip-[0-9a-f]{32})/.exec(stdout)![1];
      const run = runResourceSchema.parse(await (await fetch(`${app.url}/api/trips/${id}`)).json());
      expect(run.status).toBe('completed');
      expect(run.result?.bookings?.length).toBeGreaterThan(0);
      expect(run.result?.bookings?.every((b) => b.status === 'confirmed')).toBe(true);
    } finally {
      cli.child.kill('SIGKILL');
      await killHard(app);
    }
  });

  it('plans, approves with --yes and books: exit 0, the itinerary and the run id', async () => {
    const { code, stdout } = await trip([...fullTrip, '--url', host.url, '--yes']);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/Itinerary/);
    expect(stdout).toMatch(/2027-03-10/);
    expect(stdout).toMatch(/booked flight: confirmed/);
    const id = runIdOf(stdout)!;
    const run = runResourceSchema.parse(await (await host.fetch(`/api/trips/${id}`)).json());
    expect(run.status).toBe('completed');
    expect(run.result?.bookings?.every((b) => b.status === 'confirmed')).toBe(true);
  });

  it('without --yes and no terminal, rejects the quote: completes, books nothing', async () => {
    const { code, stdout } = await trip([...fullTrip, '--url', host.url, '--json']);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/Rejected: pass --yes/);
    const json = stdout.slice(stdout.indexOf('\n{') + 1);
    const run = runResourceSchema.parse(JSON.parse(json));
    expect(run.result?.bookings ?? []).toEqual([]);
  });

  it('answers the run’s question from --answers', async () => {
    const { code, stdout } = await trip([
      'Plan me a hiking trip',
      '--url',
      host.url,
      '--answers',
      JSON.stringify(HIKING_TRIP_FIELDS),
    ]);
    expect(stdout).toMatch(/needs more information/);
    expect(code, stdout).toBe(0);
    expect(stdout).toMatch(/completed/);
  });

  it('exits 1 when the run needs answers it cannot get, and cancels the run', async () => {
    const { code, stdout } = await trip(['Plan me a trip somewhere nice', '--url', host.url]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/pass --answers/);
    const id = /Run (trip-[0-9a-f]{32})/.exec(stdout)![1];
    const deadline = Date.now() + 20_000;
    let status = '';
    while (Date.now() < deadline && status !== 'cancelled') {
      status = ((await (await host.fetch(`/api/trips/${id}`)).json()) as { status: string }).status;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toBe('cancelled');
  });

  it('starts a local host in its own process with --local', async () => {
    const store = join(dataDir, 'cli-durable.sqlite');
    const { code, stdout } = await trip([
      'What is the weather in Punta Arenas from 2027-01-10 to 2027-01-13?',
      '--local',
      '--store',
      store,
    ]);
    expect(stdout).toMatch(/Started a local host on http:\/\/127\.0\.0\.1:\d+/);
    expect(code, stdout).toBe(0);
    expect(runIdOf(stdout)).toBeDefined();
  });
});
