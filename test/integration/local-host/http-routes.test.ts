/**
 * HTTP triggers served like the Functions host: route templates, constraints and catch-alls,
 * methods, query and body, response headers and cookies, auth levels, and clear errors.
 */
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import { repoRoot, startHost, testKeys, jsonHeaders } from '../../support/local-host';

let host: LocalHost;

beforeAll(async () => {
  host = await startHost();
});
afterAll(async () => {
  await host.stop();
});

describe('HTTP triggers', () => {
  it('passes route params, catch-all, query and body, and returns status, headers and cookies', async () => {
    const response = await host.fetch('/api/echo/42/a/b%20c?x=1&y=two', {
      method: 'POST',
      body: 'plain body',
      headers: { 'content-type': 'text/plain' },
    });
    expect(response.status).toBe(201);
    expect(response.headers.get('x-echo')).toBe('yes');
    expect(response.headers.get('set-cookie')).toBe('session=a%20b; Path=/; HttpOnly');
    expect(await response.json()).toEqual({
      method: 'POST',
      params: { id: '42', rest: 'a/b c' },
      query: { x: '1', y: 'two' },
      body: 'plain body',
      contentType: 'text/plain',
    });
  });

  it('applies route constraints and route prefix', async () => {
    expect((await host.fetch('/api/echo/not-a-number/x')).status).toBe(404);
    expect((await host.fetch('/echo/42/x')).status).toBe(404);
    expect((await host.fetch('/API/ECHO/42/x')).status).toBe(404); // the prefix is case-sensitive, like a path
  });

  it('answers a wrong method with 405 and an Allow header', async () => {
    const response = await host.fetch('/api/echo/1/x', { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST, PUT');
    expect((await response.json()).error.code).toBe('method_not_allowed');
  });

  it('answers an unknown route with a JSON 404', async () => {
    const response = await host.fetch('/api/nothing-here');
    expect(response.status).toBe(404);
    expect((await response.json()).error.code).toBe('not_found');
  });

  it('requires the function key for authLevel function', async () => {
    expect((await host.fetch('/api/secret')).status).toBe(401);
    expect((await host.fetch('/api/secret?code=wrong')).status).toBe(401);
    expect((await host.fetch(`/api/secret?code=${testKeys.functionKey}`)).status).toBe(200);
    expect(
      (await host.fetch('/api/secret', { headers: { 'x-functions-key': testKeys.functionKey } })).status,
    ).toBe(200);
  });

  it('turns a handler exception into a 500 without a stack trace, and keeps serving', async () => {
    const response = await host.fetch('/api/broken');
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(JSON.parse(text).error.code).toBe('internal_error');
    expect(text).not.toContain('secret stack');
    expect(text).not.toContain('at ');
    expect((await host.fetch('/api/echo/1/ok')).status).toBe(201);
  });

  it('starter rejects malformed JSON with 400 (Waypoint sample app)', async () => {
    const waypoint = await startHost({ appDir: repoRoot });
    try {
      const response = await waypoint.fetch('/api/orchestrators/helloSequence', {
        method: 'POST',
        body: '{bad',
        headers: jsonHeaders,
      });
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toBe('invalid_json');
      const unknown = await waypoint.fetch('/api/orchestrators/noSuchThing', { method: 'POST' });
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.message).toContain('noSuchThing');
    } finally {
      await waypoint.stop();
    }
  });
});

/** A raw request, so tests can send Host headers and paths that fetch would normalise or refuse. */
function rawRequest(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const { port } = new URL(host.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('hostile input', () => {
  it('refuses a non-loopback Host header (DNS rebinding) with 403', async () => {
    const response = await rawRequest('/api/echo/1/x', { host: 'attacker.example:7071' });
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).error.code).toBe('forbidden_host');
    expect((await rawRequest('/api/echo/1/x', { host: `localhost:${new URL(host.url).port}` })).status).toBe(
      201,
    );
  });

  it('answers an oversized body with 413 and keeps serving', async () => {
    const response = await host.fetch('/api/echo/1/x', {
      method: 'POST',
      body: Buffer.alloc(33 * 1024 * 1024, 97),
    });
    expect(response.status).toBe(413);
    expect((await response.json()).error.code).toBe('payload_too_large');
    expect((await host.fetch('/api/echo/1/ok')).status).toBe(201);
  });

  it('answers malformed percent-encoding with 4xx, and a malformed Host with 400, and keeps serving', async () => {
    expect((await rawRequest('/api/echo/1/%E0%A4%A')).status).toBe(404);
    const api = await rawRequest(
      `/runtime/webhooks/durabletask/instances/%E0%A4%A?code=${testKeys.systemKey}`,
    );
    expect(api.status).toBe(400);
    expect(JSON.parse(api.body).error.code).toBe('bad_request');
    expect((await rawRequest('/api/echo/1/x', { host: 'bad host[' })).status).toBe(400);
    expect((await host.fetch('/api/echo/1/ok')).status).toBe(201);
  });
});

describe('apps the host cannot run', () => {
  it('refuses to start, naming the function and the trigger', async () => {
    await expect(startHost({ appDir: join(repoRoot, 'test/fixtures/unsupported-app') })).rejects.toThrow(
      /Function "nightlyCleanup" uses trigger "timerTrigger", which the local host cannot run/,
    );
  });

  it('explains a missing build', async () => {
    await expect(startHost({ appDir: join(repoRoot, 'test/fixtures') })).rejects.toThrow(/No package.json/);
  });
});
