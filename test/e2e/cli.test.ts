/**
 * The host CLI as `npm start` runs it: the Waypoint app from the repository root, a curl-style
 * POST to the sample starter, and the returned statusQueryGetUri reaching Completed. Also JSON logs
 * and clear start-up errors.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fixtureApp, pollUntilDone, repoRoot, tempDir } from '../support/local-host';

const cli = join(repoRoot, 'dist/src/local-host/cli.js');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function runCli(args: string[]): {
  child: ChildProcess;
  output: () => string;
  ready: Promise<string>;
  exited: Promise<number | null>;
} {
  const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  const ready = new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Host ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) resolve(match[1]);
    });
    void exited.then((code) => reject(new Error(`exited with ${code}: ${output}`)));
  });
  return { child, output: () => output, ready, exited };
}

describe('host CLI', () => {
  it('serves the Waypoint sample starter; the status URL reaches Completed', async () => {
    const store = join(tempDir(), 'durable.sqlite');
    const host = runCli(['--port', '0', '--store', store]);
    const url = await host.ready;
    expect(host.output()).toMatch(
      /httpStart: \[POST\] http:\/\/127\.0\.0\.1:\d+\/api\/orchestrators\/\{orchestratorName\}/,
    );

    const started = await fetch(`${url}/api/orchestrators/helloSequence`, { method: 'POST' });
    expect(started.status).toBe(202);
    const { statusQueryGetUri } = await started.json();
    const { status, body } = await pollUntilDone(statusQueryGetUri);
    expect(status).toBe(200);
    expect(body.runtimeStatus).toBe('Completed');
    expect(body.output).toEqual(['Hello Tokyo!', 'Hello Seattle!', 'Hello London!']);

    host.child.kill('SIGINT');
    expect(await host.exited).toBe(0);
  });

  it('logs one JSON object per line with --log-format json', async () => {
    const host = runCli(['--port', '0', '--store', ':memory:', '--log-format', 'json']);
    await host.ready;
    const lines = host.output().trim().split('\n');
    for (const line of lines) {
      const entry = JSON.parse(line);
      expect(entry).toMatchObject({
        level: expect.any(String),
        msg: expect.any(String),
        time: expect.any(String),
      });
    }
    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
  });

  it('fails fast with a clear message for bad arguments and unsupported apps', async () => {
    const badPort = runCli(['--port', 'seventy']);
    await expect(badPort.ready).rejects.toThrow(/--port must be a whole number/);
    expect(await badPort.exited).toBe(1);

    const unsupported = runCli([
      '--app',
      'test/fixtures/unsupported-app',
      '--port',
      '0',
      '--store',
      ':memory:',
    ]);
    await expect(unsupported.ready).rejects.toThrow(/nightlyCleanup.*timerTrigger/);
  });

  it('prints no key unless asked; --show-keys prints the host keys once', async () => {
    const host = runCli(['--port', '0', '--store', ':memory:', '--key', 'cli-function-key-0001']);
    const url = await host.ready;
    const started = await fetch(`${url}/api/orchestrators/helloSequence`, { method: 'POST' });
    await pollUntilDone((await started.json()).statusQueryGetUri);
    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
    expect(host.output()).not.toContain('cli-function-key-0001');
    expect(host.output()).not.toMatch(/code=|x-mcp-key: \S|durable-rpc\/[0-9a-f]/);

    const shown = runCli([
      '--port',
      '0',
      '--store',
      ':memory:',
      '--key',
      'cli-function-key-0001',
      '--show-keys',
    ]);
    await shown.ready;
    expect(shown.output().split('cli-function-key-0001').length - 1).toBe(1);
    expect(shown.output()).toMatch(/master key: \S{16,}/);
    shown.child.kill('SIGTERM');
    expect(await shown.exited).toBe(0);
  });

  it('refuses a short --key', async () => {
    const short = runCli(['--port', '0', '--store', ':memory:', '--key', 'short']);
    await expect(short.ready).rejects.toThrow(/at least 16 characters/);
    expect(await short.exited).toBe(1);
  });

  it('takes LOCAL_HOST_KEY from the app’s local.settings.json', async () => {
    const app = join(tempDir(), 'app');
    mkdirSync(app);
    cpSync(join(fixtureApp, 'functions'), join(app, 'functions'), { recursive: true });
    cpSync(join(fixtureApp, 'package.json'), join(app, 'package.json'));
    symlinkSync(join(repoRoot, 'node_modules'), join(app, 'node_modules'));
    writeFileSync(
      join(app, 'local.settings.json'),
      JSON.stringify({ Values: { LOCAL_HOST_KEY: 'settings-file-key-0001' } }),
    );
    const host = runCli(['--app', app, '--port', '0', '--store', ':memory:']);
    const url = await host.ready;
    expect((await fetch(`${url}/api/secret?code=settings-file-key-0001`)).status).toBe(200);
    host.child.kill('SIGTERM');
    expect(await host.exited).toBe(0);
  });
});
