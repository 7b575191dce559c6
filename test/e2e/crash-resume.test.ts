/**
 * Crash safety of the local host: a child process runs the host CLI on a SQLite file, is killed
 * with SIGKILL in the middle of an orchestration, and restarted. Every activity whose completion
 * was committed before the kill must not run again, pending timers must still fire, and the run
 * must complete. Also: SIGTERM shuts the host down gracefully.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import {
  committedCompletions,
  fixtureApp,
  pollUntilDone,
  repoRoot,
  tempDir,
  jsonHeaders,
} from '../support/local-host';

const cli = join(repoRoot, 'dist/src/local-host/cli.js');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

/** Spawns the host CLI and resolves with its base URL once it is ready. */
function spawnHost(
  storePath: string,
  options: { app?: string; env?: Record<string, string> } = {},
): Promise<{ child: ChildProcess; url: string; exited: Promise<number | null> }> {
  const child = spawn(
    process.execPath,
    [
      cli,
      ...['--app', options.app ?? fixtureApp, '--port', '0', '--store', storePath],
      ...['--master-key', 'crash-master-key-0001'],
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOG_FORMAT: 'text', LOG_LEVEL: 'info', ...options.env },
    },
  );
  children.push(child);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 15_000);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /Host ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (ready) {
        clearTimeout(timer);
        resolve({ child, url: ready[1], exited });
      }
    });
    child.on('exit', (code) => reject(new Error(`host exited with ${code}:\n${output}`)));
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function loggedSteps(logFile: string): number[] {
  return existsSync(logFile)
    ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).map(Number)
    : [];
}

async function start(url: string, name: string, input: unknown): Promise<string> {
  const response = await fetch(`${url}/api/orchestrators/${name}`, {
    method: 'POST',
    headers: jsonHeaders,
    body: JSON.stringify(input),
  });
  expect(response.status).toBe(202);
  return ((await response.json()) as { id: string }).id;
}

describe('crash safety', () => {
  it('resumes after SIGKILL without re-running committed activities, and timers still fire', async () => {
    const dir = tempDir('waypoint-crash-');
    const storePath = join(dir, 'durable.sqlite');
    const logFile = join(dir, 'steps.log');

    const first = await spawnHost(storePath);
    const sequenceId = await start(first.url, 'slowSequence', { logFile, steps: 6, delayMs: 250 });
    const timerStarted = Date.now();
    const timerId = await start(first.url, 'timer', { delayMs: 2500 });

    await waitFor(() => loggedSteps(logFile).length >= 2);
    first.child.kill('SIGKILL');
    await first.exited;

    const completedBeforeKill = committedCompletions(storePath, sequenceId);
    expect(completedBeforeKill).toBeGreaterThanOrEqual(1);
    expect(completedBeforeKill).toBeLessThan(6);

    const second = await spawnHost(storePath);
    const sequence = await pollUntilDone(
      `${second.url}/runtime/webhooks/durabletask/instances/${sequenceId}?code=crash-master-key-0001`,
    );
    expect(sequence.body.runtimeStatus).toBe('Completed');
    expect(sequence.body.output).toEqual([1, 2, 3, 4, 5, 6]);

    const timer = await pollUntilDone(
      `${second.url}/runtime/webhooks/durabletask/instances/${timerId}?code=crash-master-key-0001`,
    );
    expect(timer.body.runtimeStatus).toBe('Completed');
    expect(timer.body.output.elapsedMs).toBeGreaterThanOrEqual(2500);
    expect(Date.now() - timerStarted).toBeGreaterThanOrEqual(2500);

    const steps = loggedSteps(logFile);
    for (let step = 1; step <= 6; step++) {
      const runs = steps.filter((s) => s === step).length;
      // Committed before the kill: exactly once. The one in flight may run again (at-least-once).
      if (step <= completedBeforeKill) expect({ step, runs }).toEqual({ step, runs: 1 });
      else expect(runs).toBeGreaterThanOrEqual(1);
    }
    expect(steps.length).toBeLessThanOrEqual(7);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 60_000);

  it('applies every entity operation exactly once across SIGKILL', async () => {
    const dir = tempDir('waypoint-entity-crash-');
    const storePath = join(dir, 'durable.sqlite');
    const options = {
      app: join(repoRoot, 'test/fixtures/samples-app'),
      env: { 'AzureWebJobs.resizeUpload.Disabled': 'true', 'AzureWebJobs.sendSmsChallenge.Disabled': 'true' },
    };
    const entity = (url: string, query = '') =>
      `${url}/runtime/webhooks/durabletask/entities/SlowCounter/crash?code=crash-master-key-0001${query}`;
    const readState = async (url: string): Promise<number | undefined> => {
      const response = await fetch(entity(url));
      return response.status === 200 ? ((await response.json()) as number) : undefined;
    };

    // Each add takes ~15 ms, so a batch of operations is running when the host is killed.
    const operations = 150;
    const first = await spawnHost(storePath, options);
    for (let i = 0; i < operations; i++) {
      const response = await fetch(entity(first.url, '&op=add'), {
        method: 'POST',
        body: '1',
        headers: jsonHeaders,
      });
      expect(response.status).toBe(202);
    }
    let before: number | undefined;
    const deadline = Date.now() + 20_000;
    while (!((before = await readState(first.url)) ?? 0)) {
      if (Date.now() > deadline) throw new Error('no entity batch committed');
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    expect(before).toBeGreaterThan(0);
    expect(before).toBeLessThan(operations);

    const second = await spawnHost(storePath, options);
    const end = Date.now() + 30_000;
    let after: number | undefined;
    while ((after = await readState(second.url)) !== operations) {
      expect(after ?? 0).toBeLessThanOrEqual(operations);
      if (Date.now() > end) throw new Error(`entity state is ${after}, expected ${operations}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    // Nothing is left to apply a second time.
    await new Promise((r) => setTimeout(r, 300));
    expect(await readState(second.url)).toBe(operations);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
    const db = new Database(storePath, { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM entity_ops').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  }, 90_000);

  it('shuts down gracefully on SIGTERM, finishing the running activity', async () => {
    const dir = tempDir('waypoint-sigterm-');
    const storePath = join(dir, 'durable.sqlite');
    const logFile = join(dir, 'steps.log');
    const host = await spawnHost(storePath);
    const id = await start(host.url, 'slowSequence', { logFile, steps: 2, delayMs: 400 });
    // Once the first activity runs (it takes 400 ms), ask the host to stop.
    await waitFor(() => loggedSteps(`${logFile}.started`).includes(1));
    expect(committedCompletions(storePath, id)).toBe(0);
    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
    // The activity running at SIGTERM finished and was committed before exit.
    expect(committedCompletions(storePath, id)).toBeGreaterThanOrEqual(1);
  }, 30_000);
});
