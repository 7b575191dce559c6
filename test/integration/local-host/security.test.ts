/**
 * The local host's front door under attack: request targets and Host headers
 * (DNS rebinding), cross-origin browser requests (CSRF), which key opens what, route parameters
 * that try to reach the private RPC path, bodies before auth, connection limits, and what leaks
 * into status outputs and logs.
 */
import { connect, type Socket } from 'node:net';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import { configureLogging } from '../../../src/telemetry/logger';
import {
  pollUntilDone,
  repoRoot,
  startHost,
  startOrchestration,
  tempDir,
  testKeys,
} from '../../support/local-host';
import { waitUntil } from '../../support/wait-until';

let host: LocalHost;
let port: number;

beforeAll(async () => {
  host = await startHost();
  port = Number(new URL(host.url).port);
});
afterAll(async () => {
  await host.stop();
});

interface RawResponse {
  status: number;
  headers: string;
  body: string;
}

/**
 * Writes `head` (and optional body bytes) on a raw socket and reads one response, so tests can
 * send request targets and Host headers that fetch would normalise or refuse. With `bodyBytes`
 * and `sendBody: false`, the body is announced but never sent (a stalled upload).
 */
function rawHttp(
  target: number,
  head: string,
  options: { body?: Buffer | string; timeoutMs?: number; address?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(target, options.address ?? '127.0.0.1');
    let data = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no response within ${options.timeoutMs ?? 5000} ms`));
    }, options.timeoutMs ?? 5000);
    const finish = (): void => {
      const text = data.toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      if (split < 0) return;
      const headers = text.slice(0, split);
      const length = /\r\ncontent-length: *(\d+)/i.exec(headers);
      const body = text.slice(split + 4);
      if (length && Buffer.byteLength(body) < Number(length[1])) return;
      if (!length && !socket.readableEnded) return;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), headers, body });
    };
    socket.on('data', (chunk: Buffer) => {
      data = Buffer.concat([data, chunk]);
      finish();
    });
    socket.on('end', finish);
    socket.on('error', (error) => {
      // The server may answer and reset while we are still writing a body it refused.
      if (data.length > 0) finish();
      else {
        clearTimeout(timer);
        reject(error);
      }
    });
    socket.write(head.replace(/\n/g, '\r\n') + '\r\n');
    if (options.body !== undefined) socket.write(options.body);
  });
}

const get = (target: string, hostHeader: string): string =>
  `GET ${target} HTTP/1.1\nHost: ${hostHeader}\nConnection: close\n`;

describe('request target and Host header (DNS rebinding)', () => {
  it('refuses a request target that would override the Host header', async () => {
    const attacker = `attacker.test:${port}`;
    expect((await rawHttp(port, get('/api/echo/1/x', attacker))).status).toBe(403);
    const doubleSlash = await rawHttp(port, get('//127.0.0.1/api/echo/1/x', attacker));
    expect(doubleSlash.status).toBe(400);
    expect(JSON.parse(doubleSlash.body).error.code).toBe('bad_request');
    expect((await rawHttp(port, get(`http://127.0.0.1:${port}/api/echo/1/x`, attacker))).status).toBe(400);
    expect((await rawHttp(port, get('*', `127.0.0.1:${port}`))).status).toBe(400);
    const chained = await rawHttp(
      port,
      `POST //localhost/api/orchestrators/sequence HTTP/1.1\nHost: ${attacker}\nContent-Length: 0\nConnection: close\n`,
    );
    expect(chained.status).toBe(400);
    expect(chained.body).not.toContain('code=');
  });

  it('checks the Host port too, and answers a Host with credentials or garbage with 400', async () => {
    expect((await rawHttp(port, get('/api/echo/1/x', `127.0.0.1:${port}`))).status).toBe(201);
    expect((await rawHttp(port, get('/api/echo/1/x', `localhost:${port}`))).status).toBe(201);
    expect((await rawHttp(port, get('/api/echo/1/x', `[::1]:${port}`))).status).toBe(201);
    expect((await rawHttp(port, get('/api/echo/1/x', `127.0.0.1:${port === 1 ? 2 : 1}`))).status).toBe(403);
    expect((await rawHttp(port, get('/api/echo/1/x', `user@127.0.0.1:${port}`))).status).toBe(400);
    expect((await rawHttp(port, get('/api/echo/1/x', `127.0.0.1:${port}/x`))).status).toBe(400);
    expect((await rawHttp(port, get('/api/echo/1/x', `127.0.0.1:99999`))).status).toBe(400);
  });

  it('keeps the Host check on any loopback address, such as --host 127.0.0.2', async () => {
    const bound = await startHost({ hostname: '127.0.0.2' });
    try {
      const boundPort = Number(new URL(bound.url).port);
      const options = { address: '127.0.0.2' };
      expect(
        (await rawHttp(boundPort, get('/api/echo/1/x', `attacker.test:${boundPort}`), options)).status,
      ).toBe(403);
      expect((await rawHttp(boundPort, get('/api/echo/1/x', `127.0.0.2:${boundPort}`), options)).status).toBe(
        201,
      );
    } finally {
      await bound.stop();
    }
  });

  it('refuses dot-segments, raw or percent-encoded, instead of resolving them', async () => {
    const hostHeader = `127.0.0.1:${port}`;
    expect((await rawHttp(port, get('/api/x/../echo/1/x', hostHeader))).status).toBe(400);
    expect((await rawHttp(port, get('/api/x/%2e%2E/echo/1/x', hostHeader))).status).toBe(400);
    expect((await rawHttp(port, get('/api/./echo/1/x', hostHeader))).status).toBe(400);
    expect((await rawHttp(port, get('/api/echo/1/x', hostHeader))).status).toBe(201);
  });
});

describe('cross-origin browser requests (CSRF)', () => {
  const post = (headers: Record<string, string>) =>
    host.fetch('/api/echo/1/x', {
      method: 'POST',
      body: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    });

  it('refuses a state-changing request from another origin with a JSON 403', async () => {
    const response = await post({ origin: 'http://evil.example' });
    expect(response.status).toBe(403);
    expect((await response.json()).error.code).toBe('forbidden_origin');
    expect((await post({ origin: 'null' })).status).toBe(403);
    expect((await post({ origin: `http://localhost:${port === 1 ? 2 : 1}` })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post({ 'sec-fetch-site': 'same-site' })).status).toBe(403);
  });

  it('refuses a text/plain start of an orchestration from a web page', async () => {
    const response = await host.fetch('/api/orchestrators/sequence', {
      method: 'POST',
      body: '',
      headers: { 'content-type': 'text/plain', origin: 'https://attacker.test' },
    });
    expect(response.status).toBe(403);
    expect(await response.text()).not.toContain('code=');
  });

  it('serves the host’s own origin and clients that send no Origin (curl, DurableClient)', async () => {
    expect((await post({ origin: host.url })).status).toBe(201);
    expect((await post({ origin: host.url, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await post({})).status).toBe(201);
    // Safe methods stay open: a link from another site to a page of the host still works.
    expect((await host.fetch('/api/echo/1/x', { headers: { origin: 'http://evil.example' } })).status).toBe(
      201,
    );
  });

  it('serves origins on the configured allow-list', async () => {
    const allowing = await startHost({ allowedOrigins: ['http://localhost:5173'] });
    try {
      const response = await allowing.fetch('/api/echo/1/x', {
        method: 'POST',
        body: 'x',
        headers: { origin: 'http://localhost:5173' },
      });
      expect(response.status).toBe(201);
      expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      const refused = await allowing.fetch('/api/echo/1/x', {
        method: 'POST',
        body: 'x',
        headers: { origin: 'http://localhost:5174' },
      });
      expect(refused.status).toBe(403);
    } finally {
      await allowing.stop();
    }
  });

  it('answers a CORS preflight from an allowed origin, and only from one', async () => {
    const allowing = await startHost({ allowedOrigins: ['http://localhost:5173'] });
    const preflight = (origin: string) =>
      allowing.fetch('/api/echo/1/x', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    try {
      const answered = await preflight('http://localhost:5173');
      expect(answered.status).toBe(204);
      expect(Object.fromEntries(answered.headers)).toMatchObject({
        'access-control-allow-origin': 'http://localhost:5173',
        'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
        'access-control-allow-headers': 'content-type',
        'access-control-max-age': '600',
        vary: 'Origin',
      });
      // Another origin gets no CORS grant, so its browser sends nothing after the preflight.
      const unlisted = await preflight('http://localhost:5174');
      expect(unlisted.status).toBe(405);
      expect(unlisted.headers.get('access-control-allow-origin')).toBeNull();
    } finally {
      await allowing.stop();
    }
  });
});

describe('keys: each opens only what it opens in Azure', () => {
  it('hands out the Durable system key in management URLs; it opens only the webhook API', async () => {
    const started = await startOrchestration(host, 'sequence');
    const code = new URL(started.statusQueryGetUri).searchParams.get('code');
    expect(code).toBe(testKeys.systemKey);
    expect((await fetch(started.statusQueryGetUri)).status).toBeLessThan(300);
    expect((await host.fetch(`/api/secret?code=${code}`)).status).toBe(401);
    expect((await host.fetch(`/api/admin-only?code=${code}`)).status).toBe(401);
  });

  it('a function key opens function routes only; the master key opens everything', async () => {
    const { functionKey, masterKey } = testKeys;
    expect((await host.fetch(`/api/secret?code=${functionKey}`)).status).toBe(200);
    expect((await host.fetch(`/api/admin-only?code=${functionKey}`)).status).toBe(401);
    expect((await host.fetch(`/runtime/webhooks/durabletask/instances?code=${functionKey}`)).status).toBe(
      401,
    );
    expect((await host.fetch(`/api/secret?code=${masterKey}`)).status).toBe(200);
    expect((await host.fetch('/api/admin-only', { headers: { 'x-functions-key': masterKey } })).status).toBe(
      200,
    );
    expect((await host.fetch(`/runtime/webhooks/durabletask/instances?code=${masterKey}`)).status).toBe(200);
  });

  it('refuses keys shorter than 16 characters', async () => {
    await expect(startHost({ functionKey: 'short' })).rejects.toThrow(/at least 16/);
    await expect(startHost({ systemKey: 'short' })).rejects.toThrow(/at least 16/);
  });
});

describe('route parameters cannot reach the private RPC path', () => {
  it('keeps %2F encoded in route values, as the Functions host does', async () => {
    const response = await host.fetch('/api/echo/1/a%2Fb');
    expect((await response.json()).params.rest).toBe('a%2Fb');
  });

  it('an anonymous traversal through the sample starter neither approves nor terminates a run', async () => {
    const waypoint = await startHost({ appDir: repoRoot });
    try {
      const started = await startOrchestration(waypoint, 'greetingRound', {
        cities: ['Oslo'],
        coolDownSeconds: 0,
      });
      const deadline = Date.now() + 10_000;
      let status: { customStatus?: { stage?: string } };
      do {
        status = (await (await fetch(started.statusQueryGetUri)).json()) as typeof status;
        await new Promise((r) => setTimeout(r, 50));
      } while (status.customStatus?.stage !== 'awaiting-approval' && Date.now() < deadline);

      const approve = await waypoint.fetch(
        `/api/orchestrators/..%2Finstances%2F${started.id}%2FraiseEvent%2Fapproval`,
        { method: 'POST', body: JSON.stringify({ approved: true }) },
      );
      expect(approve.status).toBeGreaterThanOrEqual(400);
      expect(approve.status).toBeLessThan(500);
      const terminate = await waypoint.fetch(
        `/api/orchestrators/..%2Finstances%2F${started.id}%2Fterminate%3Freason%3Dx%23`,
        { method: 'POST' },
      );
      expect(terminate.status).toBeGreaterThanOrEqual(400);
      expect(terminate.status).toBeLessThan(500);

      await new Promise((r) => setTimeout(r, 300));
      const after = (await (await fetch(started.statusQueryGetUri)).json()) as {
        runtimeStatus: string;
        customStatus: unknown;
      };
      expect(after.runtimeStatus).toBe('Running');
      expect(after.customStatus).toEqual({ stage: 'awaiting-approval' });
      waypoint.engine.terminate(started.id, 'test-over');
    } finally {
      await waypoint.stop();
    }
  });

  it('logs neither the RPC secret nor any key', async () => {
    const lines: string[] = [];
    configureLogging({ level: 'debug', sink: (line) => lines.push(line) });
    try {
      const started = await startOrchestration(host, 'sequence');
      await pollUntilDone(started.statusQueryGetUri);
      await host.fetch(`/api/client/instances/${started.id}`);
    } finally {
      configureLogging({ level: 'warn', sink: (line) => process.stderr.write(line + '\n') });
    }
    const text = lines.join('\n');
    expect(text).toMatch(/durable-rpc/);
    expect(text).not.toMatch(/durable-rpc\/[0-9a-f]{16,}/);
    for (const key of Object.values(testKeys)) expect(text).not.toContain(key);
  });
});

describe('bodies are read after routing and auth, within limits', () => {
  it('answers 401 before an unauthenticated body has been sent', async () => {
    const response = await rawHttp(
      port,
      `GET /api/secret HTTP/1.1\nHost: 127.0.0.1:${port}\nContent-Length: ${31 * 1024 * 1024}\n`,
      { body: 'x'.repeat(1024), timeoutMs: 3000 },
    );
    expect(response.status).toBe(401);
    expect(/\r\nconnection: close/i.test(response.headers)).toBe(true);
  });

  it('answers 413 from Content-Length alone, and limits function routes to 1 MiB by default', async () => {
    const announced = await rawHttp(
      port,
      `POST /api/echo/1/x HTTP/1.1\nHost: 127.0.0.1:${port}\nContent-Length: ${31 * 1024 * 1024}\n`,
      { body: 'x'.repeat(1024), timeoutMs: 3000 },
    );
    expect(announced.status).toBe(413);
    const big = await host.fetch('/api/echo/1/x', {
      method: 'POST',
      body: Buffer.alloc(1024 * 1024 + 1, 97),
    });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('payload_too_large');
    const fits = await host.fetch('/api/echo/1/x', { method: 'POST', body: Buffer.alloc(1024 * 1024, 97) });
    expect(fits.status).toBe(201);
  });

  it('takes a per-host body limit, also for chunked bodies', async () => {
    const small = await startHost({ maxRequestBodyBytes: 4096 });
    try {
      const smallPort = Number(new URL(small.url).port);
      expect((await small.fetch('/api/echo/1/x', { method: 'POST', body: 'x'.repeat(4096) })).status).toBe(
        201,
      );
      const chunk = 'x'.repeat(5000);
      const chunked = await rawHttp(
        smallPort,
        `POST /api/echo/1/x HTTP/1.1\nHost: 127.0.0.1:${smallPort}\nTransfer-Encoding: chunked\n`,
        { body: `${chunk.length.toString(16)}\r\n${chunk}\r\n0\r\n\r\n` },
      );
      expect(chunked.status).toBe(413);
    } finally {
      await small.stop();
    }
  });

  it('drops a client that never finishes its headers', async () => {
    const capped = await startHost({ headersTimeoutMs: 1000 });
    const cappedPort = Number(new URL(capped.url).port);
    const socket = connect(cappedPort, '127.0.0.1');
    try {
      await new Promise((r) => socket.once('connect', r));
      socket.write(`GET /api/echo/1/x HTTP/1.1\r\nHost: 127.0.0.1:${cappedPort}\r\n`);
      const started = Date.now();
      const answer = new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
        socket.on('close', () => resolve(text));
      });
      expect(await answer).toMatch(/^HTTP\/1\.1 408/);
      // headersTimeout is enforced on Node's connection-check interval; generous margin on 2 busy cores.
      expect(Date.now() - started).toBeLessThan(8000);
    } finally {
      socket.destroy();
      await capped.stop();
    }
  });
});

describe('connections: one client cannot shut everyone out', () => {
  /** Opens `count` connections from `localAddress` that send half a request head and stall. */
  async function halfOpen(target: number, count: number, localAddress = '127.0.0.1'): Promise<Socket[]> {
    const sockets: Socket[] = [];
    for (let i = 0; i < count; i++) {
      const socket = connect({ port: target, host: '127.0.0.1', localAddress });
      socket.on('error', () => undefined);
      sockets.push(socket);
      await new Promise<void>((resolve) => {
        socket.once('connect', () => {
          socket.write(`GET /api/echo/1/x HTTP/1.1\r\nHost: 127.0.0.1:${target}\r\n`);
          resolve();
        });
        socket.once('close', () => resolve());
      });
    }
    return sockets;
  }

  it('still serves others while one client holds 128 half-open connections', async () => {
    const sockets = await halfOpen(port, 128);
    try {
      const started = Date.now();
      const response = await host.fetch('/api/echo/1/x', { signal: AbortSignal.timeout(8_000) });
      expect(response.status).toBe(201);
      // Well before the 10 s header timeout would have freed a slot.
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      for (const socket of sockets) socket.destroy();
    }
  });

  it('caps the connections one client address may hold', async () => {
    const capped = await startHost({ maxConnectionsPerClient: 8 });
    const cappedPort = Number(new URL(capped.url).port);
    const sockets = await halfOpen(cappedPort, 20, '127.0.0.2');
    try {
      await waitUntil('the client’s connections over the cap to be closed', () =>
        sockets.filter((s) => !s.closed).length <= 8 ? true : undefined,
      );
      // Another client is served at once.
      const response = await capped.fetch('/api/echo/1/x');
      expect(response.status).toBe(201);
    } finally {
      for (const socket of sockets) socket.destroy();
      await capped.stop();
    }
  });

  it('answers 503 with Retry-After when every connection is busy, instead of dropping the newcomer', async () => {
    const capped = await startHost({ maxConnections: 2 });
    const cappedPort = Number(new URL(capped.url).port);
    // Two requests in flight: their heads arrived, their bodies are still coming.
    const uploads = [0, 1].map(() => connect(cappedPort, '127.0.0.1').on('error', () => undefined));
    try {
      for (const upload of uploads) {
        await new Promise((r) => upload.once('connect', r));
        upload.write(
          `POST /api/echo/1/x HTTP/1.1\r\nHost: 127.0.0.1:${cappedPort}\r\nContent-Length: 4\r\n\r\nab`,
        );
      }
      await waitUntil('both uploads to be in flight', () => capped.activeRequests === 2);
      const third = await capped.fetch('/api/echo/1/x');
      expect(third.status).toBe(503);
      expect(third.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(third.headers.get('connection')).toBe('close');
      expect((await third.json()).error.code).toBe('too_many_connections');
      // The busy requests finish normally.
      const answer = new Promise<string>((resolve) =>
        uploads[0].once('data', (d: Buffer) => resolve(d.toString())),
      );
      uploads[0].write('cd');
      expect(await answer).toMatch(/^HTTP\/1\.1 201/);
    } finally {
      for (const upload of uploads) upload.destroy();
      await capped.stop();
    }
  });
});

describe('the management API takes JSON only', () => {
  it('answers 415 to a POST without application/json, and serves one with it', async () => {
    const started = await startOrchestration(host, 'eventOrTimeout', { timeoutMs: 60_000 });
    const raise = started.sendEventPostUri.replace('{eventName}', 'go');
    // A byte body gets no Content-Type from fetch; a string one would get text/plain.
    const noType = await fetch(raise, { method: 'POST', body: Buffer.from('true') });
    expect(noType.status).toBe(415);
    for (const headers of [
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
    ]) {
      const refused = await fetch(raise, { method: 'POST', body: 'true', headers });
      expect(refused.status).toBe(415);
      expect((await refused.json()).error.code).toBe('unsupported_media_type');
    }
    const terminate = started.terminatePostUri.replace('{text}', 'x');
    expect((await fetch(terminate, { method: 'POST' })).status).toBe(415);
    const accepted = await fetch(raise, {
      method: 'POST',
      body: 'true',
      headers: { 'content-type': 'application/json' },
    });
    expect(accepted.status).toBe(202);
    expect((await pollUntilDone(started.statusQueryGetUri)).body.runtimeStatus).toBe('Completed');
  });
});

describe('what leaves the host', () => {
  it('keeps stack traces out of a failed orchestration’s status', async () => {
    const started = await startOrchestration(host, 'uncaughtFailure');
    const { body } = await pollUntilDone(started.statusQueryGetUri);
    expect(body.runtimeStatus).toBe('Failed');
    expect(body.output).toContain('boom from activity');
    expect(body.output).not.toMatch(/\n\s+at /);
    expect(body.output).not.toContain('orchestrations.js');
  });

  it('creates the store 0600 in a 0700 folder', async () => {
    const dir = join(tempDir(), 'data');
    const storePath = join(dir, 'durable.sqlite');
    const fileHost = await startHost({ storePath });
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(storePath).mode & 0o777).toBe(0o600);
    } finally {
      await fileHost.stop();
    }
  });
});
