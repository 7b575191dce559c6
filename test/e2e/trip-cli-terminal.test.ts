/**
 * `npm run trip` prints what models and tools wrote without their escape sequences: the compiled
 * CLI as a child process, against a trips API on loopback that answers with a run resource whose
 * text carries title changes, OSC 8 links, cursor moves and C1 controls (as a hostile model's
 * itinerary or a tool's error would).
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostileRun, TITLE } from '../fakes/hostile-text';
import { repoRoot } from '../support/local-host';

const cli = join(repoRoot, 'dist/src/cli/trip.js');
/** Control characters a terminal acts on: every C0 but tab and line feed, DEL, every C1. */
// eslint-disable-next-line no-control-regex -- the characters this test looks for
const ACTIVE = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const hostile = body.includes('refuse');
      response.writeHead(hostile ? 400 : 202, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify(
          hostile
            ? { error: { code: 'validation_failed', message: `bad date${TITLE}\x9b2J` } }
            : hostileRun(),
        ),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function trip(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    // Decoded as UTF-8: a C1 control shows as its code point (U+0080 to U+009F).
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`trip CLI still running:\n${output}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm run trip with hostile model and tool text', () => {
  it('prints the itinerary, steps and error with no escape sequence or control character', async () => {
    const { code, output } = await trip(['Plan a trip to Tokyo', '--url', baseUrl, '--json']);
    expect(code).toBe(0);
    expect(output).not.toMatch(ACTIVE);
    expect(output).not.toContain('evil.example');
    expect(output).toContain('Four days in Patagonia.');
    expect(output).toContain('Arrive ✓ book payment');
  });

  it('prints a refusal whose message carries escape sequences as one clean line', async () => {
    const { code, output } = await trip(['Plan a trip, refuse it', '--url', baseUrl]);
    expect(code).toBe(1);
    expect(output).toContain('bad date');
    expect(output).not.toMatch(ACTIVE);
  });
});
