/**
 * The local host CLI (`node dist/src/local-host/cli.js`) as a child process, for tests that must
 * kill it for real (SIGKILL) and start it again on the same files. Resolves once the host logs
 * `Host ready on <url>`; keeps the child's output for failure messages.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { repoRoot } from './local-host';

export interface HostProcessOptions {
  /** The app folder (default: the Waypoint app itself, from dist/). */
  appDir?: string;
  /** The durable store file. */
  storePath: string;
  masterKey: string;
  /** The child's whole environment (nothing is inherited beyond it). */
  env: NodeJS.ProcessEnv;
  /** How long start-up may take (default 90 s: a busy 2-core machine loads the app slowly). */
  readyTimeoutMs?: number;
  /** A fixed port (e.g. one the app's MCP_BASE_URL names, or one a restarted host keeps); a free one by default. */
  port?: number;
}

export interface HostProcess {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Everything the host wrote to stdout and stderr so far. */
  output(): string;
}

const cli = join(repoRoot, 'dist/src/local-host/cli.js');

/** Spawns the host CLI on a free port and waits until it is ready. */
export function spawnHostProcess(options: HostProcessOptions): Promise<HostProcess> {
  const child = spawn(
    process.execPath,
    [
      cli,
      '--app',
      options.appDir ?? repoRoot,
      '--port',
      String(options.port ?? 0),
      '--store',
      options.storePath,
      '--master-key',
      options.masterKey,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: options.env },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host did not start in ${options.readyTimeoutMs ?? 90_000} ms:\n${output}`));
    }, options.readyTimeoutMs ?? 90_000);
    const onData = () => {
      const ready = /Host ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!ready) return;
      clearTimeout(timer);
      child.stderr?.off('data', onData);
      child.stdout?.off('data', onData);
      resolve({ child, url: ready[1], exited, output: () => output });
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code} before it was ready:\n${output}`));
    });
  });
}

/** Kills the host with SIGKILL (no shutdown of any kind) and waits until the process is gone. */
export async function killHard(host: HostProcess): Promise<void> {
  if (host.child.exitCode === null && host.child.signalCode === null) host.child.kill('SIGKILL');
  await host.exited;
}

/** Throws (with the host's last output) when the host has exited: a wait on it would only time out. */
export function assertAlive(host: HostProcess): void {
  if (host.child.exitCode !== null || host.child.signalCode !== null) {
    throw new Error(
      `host exited (${host.child.exitCode ?? host.child.signalCode}):\n${host.output().slice(-4000)}`,
    );
  }
}
