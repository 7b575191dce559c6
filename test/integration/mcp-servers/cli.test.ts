import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { connectClient } from './mcp-test-client';

/** The standalone CLI as an operator runs it (`npm run mcp -- <server>`), from the built output. */
const ROOT = resolve(__dirname, '../../..');
const SERVER_CLI = join(ROOT, 'dist/src/mcp-servers/cli.js');
const KEY = 'cli-test-key-0123456789';

interface Exit {
  code: number | null;
  stderr: string;
}

function startCli(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [SERVER_CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, MCP_SERVER_KEY: '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<Exit>((resolveExit) =>
    child.on('exit', (code) => resolveExit({ code, stderr })),
  );
  const url = new Promise<string>((resolveUrl, reject) => {
    child.stderr.on('data', () => {
      const match = /serving over Streamable HTTP .*url=(\S+)/.exec(stderr);
      if (match?.[1]) resolveUrl(match[1]);
    });
    void exited.then(({ code }) => reject(new Error(`cli exited (${code}) before serving:\n${stderr}`)));
  });
  url.catch(() => undefined); // Only tests that await the URL care; keep the others free of unhandled rejections.
  return { child, url, exited };
}

describe('MCP server CLI', () => {
  beforeAll(() => {
    if (!existsSync(SERVER_CLI))
      throw new Error(`${SERVER_CLI} is missing: run "npm run build" first (npm test does).`);
  });

  it('serves one server over HTTP with the key from the environment, and stops on SIGTERM', async () => {
    const cli = startCli(['hotels', '--port', '0'], { MCP_SERVER_KEY: KEY });
    const client = await connectClient(await cli.url, { headers: { 'x-mcp-key': KEY } });
    expect((await client.listTools()).tools.map((tool) => tool.name)).toContain('search_hotels');
    await client.close();
    cli.child.kill('SIGTERM');
    expect((await cli.exited).code).toBe(0);
  });

  it('fails fast, naming the bad setting', async () => {
    const { exited } = startCli(['bookings', '--port', '0'], {
      MCP_FAULTS_BOOKINGS: '{"dropAfterCommitRate":3}',
    });
    const { code, stderr } = await exited;
    expect(code).toBe(1);
    expect(stderr).toMatch(/Invalid setting MCP_FAULTS_BOOKINGS: dropAfterCommitRate/);
  });

  it('prints usage for an unknown server', async () => {
    const { exited } = startCli(['trains']);
    const { code, stderr } = await exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(/usage: cli\.js <flights\|hotels\|weather\|restaurants\|bookings>/);
  });

  it('refuses to serve beyond loopback without a key', async () => {
    const { exited } = startCli(['flights', '--port', '0', '--host', '0.0.0.0'], { MCP_SERVER_KEY: '' });
    const { code, stderr } = await exited;
    expect(code).toBe(2);
    expect(stderr).toMatch(/refusing to serve on 0\.0\.0\.0 without MCP_FLIGHTS_KEY or MCP_SERVER_KEY/);
  });
});
