/**
 * The trips API refuses state changes a page of another site could make, on its own: in Azure
 * there is no local-host front door. Every POST must say its body is JSON (415 otherwise, in the
 * API's JSON error shape), so a cross-site request always needs a CORS preflight; and a POST that
 * carries another site's Origin is refused (403). The real app on a local host whose front door
 * lets http://evil.example through (--allow-origin), so what answers is the function's own check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local-host/host';
import { freePort } from '../support/app-host';
import { repoRoot, startHost, tempDir } from '../support/local-host';
import { join } from 'node:path';

let host: LocalHost;
const trip = JSON.stringify({ request: 'Plan me a trip somewhere nice' });

beforeAll(async () => {
  const dataDir = tempDir('waypoint-browser-');
  const port = await freePort();
  Object.assign(process.env, {
    MCP_BASE_URL: `http://127.0.0.1:${port}/api/mcp`,
    MCP_SERVER_KEY: 'browser-requests-key-0123456789',
    STORE_SQLITE_PATH: join(dataDir, 'waypoint.sqlite'),
    WAYPOINT_TRACE_STORE: join(dataDir, 'traces.sqlite'),
    TRIPS_ALLOWED_ORIGINS: 'http://front-end.example',
  });
  host = await startHost({
    appDir: repoRoot,
    port,
    storePath: join(dataDir, 'durable.sqlite'),
    allowedOrigins: ['http://evil.example', 'http://front-end.example'],
  });
});
afterAll(async () => {
  await host?.stop();
});

async function post(path: string, headers: Record<string, string>, body?: string) {
  const response = await host.fetch(path, {
    method: 'POST',
    headers,
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, body: (await response.json()) as { error?: { code: string } } };
}

describe('trips API: state changes from browsers', () => {
  it('answers 415 to a POST that does not say its body is JSON', async () => {
    for (const headers of <Record<string, string>[]>[
      {},
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/x-www-form-urlencoded' },
    ]) {
      const answer = await post('/api/trips', headers, trip);
      expect(answer.status, JSON.stringify(headers)).toBe(415);
      expect(answer.body).toEqual({
        error: {
          code: 'unsupported_media_type',
          message: 'Send the body as JSON (Content-Type: application/json).',
        },
      });
    }
  });

  it('answers 415 to a cancel, approval or input without a JSON content type, before touching the run', async () => {
    const started = await post('/api/trips', { 'content-type': 'application/json' }, trip);
    expect(started.status).toBe(202);
    const id = (started.body as { id: string }).id;
    for (const action of ['cancel', 'approval', 'input']) {
      expect((await post(`/api/trips/${id}/${action}`, {})).status, action).toBe(415);
      expect((await post(`/api/trips/${id}/${action}`, { 'content-type': 'text/plain' }, '{}')).status).toBe(
        415,
      );
    }
    const run = await (await host.fetch(`/api/trips/${id}`)).json();
    expect(run.status).not.toBe('cancelled');
  });

  it('answers 403 to a POST from another site’s page, and lets allowed ones through', async () => {
    const json = { 'content-type': 'application/json' };
    const evil = await post('/api/trips', { ...json, origin: 'http://evil.example' }, trip);
    expect([evil.status, evil.body.error?.code]).toEqual([403, 'forbidden_origin']);
    expect((await post('/api/trips', { ...json, origin: 'http://front-end.example' }, trip)).status).toBe(
      202,
    );
    expect((await post('/api/trips', { ...json, origin: host.url }, trip)).status).toBe(202);
  });
});
