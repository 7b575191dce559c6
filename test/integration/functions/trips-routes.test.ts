/**
 * The trips API's route table drives both sides: the compiled app (dist/), loaded with the local
 * host's own loader in a fresh process (an app registers once per process), registers exactly one
 * HTTP function per route of the table, as the table spells it; and every route's endpoint hands
 * its request to its own handler. The endpoints run here with the real DurableClient against a
 * loopback server standing in for the Durable extension's RPC endpoint, which records what each
 * handler asked of it; a 429/503 from that endpoint reaches the caller as 429/503 + Retry-After.
 */
import { spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { HttpRequest, type HttpResponseInit } from '@azure/functions';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { durableInvocation } from '../../support/durable-client';
import { repoRoot } from '../../support/local-host';
import { endpoint } from '../../../src/functions/trips/endpoint';
import { TRIP_ROUTES as routes } from '../../../src/functions/trips/routes';

interface Registered {
  name: string;
  route: string;
  methods: string[];
  authLevel: string;
  bindings: string[];
}

describe('registration', () => {
  it('registers one HTTP function per route of the table, as the table spells it', () => {
    const script = `
      const { loadFunctionApp } = require(${JSON.stringify(join(repoRoot, 'dist/src/local-host/app-loader.js'))});
      const { TRIP_ROUTES } = require(${JSON.stringify(join(repoRoot, 'dist/src/functions/trips/routes.js'))});
      const app = loadFunctionApp(${JSON.stringify(repoRoot)});
      const registered = [...app.functions.values()]
        .map((fn) => ({ name: fn.name, bindings: Object.values(fn.metadata.bindings) }))
        .map(({ name, bindings }) => ({ name, bindings, trigger: bindings.find((b) => b.type === 'httpTrigger') }))
        .filter(({ trigger }) => trigger && /^api\\/trips(\\/|$)/.test(trigger.route))
        .map(({ name, bindings, trigger }) => ({
          name, route: trigger.route, methods: trigger.methods, authLevel: trigger.authLevel,
          bindings: bindings.map((b) => b.type).sort(),
        }));
      const table = TRIP_ROUTES.map((r) => ({ name: r.name, method: r.method, path: r.path }));
      process.stdout.write(JSON.stringify({ registered, table }));`;
    const result = spawnSync(process.execPath, ['-e', script], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        OTEL_SDK_DISABLED: 'true',
        LOG_LEVEL: 'error',
        STORE_SQLITE_PATH: ':memory:',
        MCP_SERVER_KEY: 'routes-test-key-0123456789abcdef',
      },
    });
    expect(result.status, result.stderr).toBe(0);
    const { registered, table } = JSON.parse(result.stdout) as {
      registered: Registered[];
      table: { name: string; method: string; path: string }[];
    };
    expect(table).toHaveLength(7);
    expect(new Set(table.map((r) => `${r.method} ${r.path}`)).size).toBe(table.length);
    expect(registered).toEqual(
      table.map((r) => ({
        name: r.name,
        route: `api/${r.path}`,
        methods: [r.method],
        authLevel: 'anonymous',
        bindings: ['durableClient', 'http', 'httpTrigger'],
      })),
    );
  });
});

/** What the stand-in for the Durable extension was asked, and how it answers. */
const asked: string[] = [];
const runs = new Map<string, unknown>();
let refuseWith: { status: number; body?: unknown } | undefined;
let server: Server;
let base: string;

function statusOf(instanceId: string, input: unknown) {
  const now = new Date().toISOString();
  return {
    name: 'tripPlanner',
    instanceId,
    createdTime: now,
    lastUpdatedTime: now,
    input,
    output: null,
    runtimeStatus: 'Running',
    customStatus: null,
  };
}

/** The Durable extension's RPC endpoint, as far as the trips API uses it. */
function durableExtension(method: string, path: string, body: string): { status: number; body?: unknown } {
  if (refuseWith) return refuseWith;
  const start = /^\/rpc\/orchestrators\/tripPlanner\/([^/?]+)/.exec(path);
  if (method === 'POST' && start) {
    runs.set(decodeURIComponent(start[1]), JSON.parse(body) as unknown);
    return { status: 202, body: { id: start[1] } };
  }
  const one = /^\/rpc\/instances\/([^/?]+)(\/.*)?$/.exec(path.split('?')[0]);
  if (method === 'GET' && one) {
    const input = runs.get(decodeURIComponent(one[1]));
    return input === undefined ? { status: 404 } : { status: 200, body: statusOf(one[1], input) };
  }
  if (method === 'GET' && path.startsWith('/rpc/instances')) {
    return { status: 200, body: [...runs].map(([id, input]) => statusOf(id, input)) };
  }
  if (method === 'POST' && one) return { status: 202, body: {} };
  return { status: 400, body: { error: `unexpected ${method} ${path}` } };
}

// Read when the trips API loads: a throwaway store, and the local caller (as on the local host).
const savedEnv = vi.hoisted(() => {
  const saved = {
    STORE_SQLITE_PATH: process.env.STORE_SQLITE_PATH,
    TRIPS_LOCAL_USER: process.env.TRIPS_LOCAL_USER,
  };
  process.env.STORE_SQLITE_PATH = ':memory:';
  process.env.TRIPS_LOCAL_USER = 'on';
  return saved;
});

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const path = req.url ?? '';
      asked.push(`${req.method} ${path.split('?')[0]}`);
      const answer = durableExtension(req.method ?? '', path, body);
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});
beforeEach(() => {
  asked.length = 0;
  refuseWith = undefined;
});

/** Sends a request to the endpoint of the route named `name`. */
async function call(name: string, options: { id?: string; body?: unknown } = {}): Promise<HttpResponseInit> {
  const route = routes.find((r) => r.name === name);
  if (!route) throw new Error(`no route ${name}`);
  const path = `/api/${route.path.replace('{id}', options.id ?? '')}`;
  const request = new HttpRequest({
    method: route.method,
    url: `http://localhost${path}`,
    headers: route.method === 'POST' ? { 'content-type': 'application/json' } : {},
    ...(options.body === undefined ? {} : { body: { string: JSON.stringify(options.body) } }),
    ...(options.id === undefined ? {} : { params: { id: options.id } }),
  });
  return endpoint(route)(request, durableInvocation(base));
}

const codeOf = (answer: HttpResponseInit) => (answer.jsonBody as { error?: { code?: string } }).error?.code;

describe('dispatch', () => {
  let id: string;

  it('tripsStart starts the run', async () => {
    const answer = await call('tripsStart', { body: { request: 'A weekend in Lisbon' } });
    expect(answer.status).toBe(202);
    id = (answer.jsonBody as { id: string }).id;
    expect(asked).toContain(`POST /rpc/orchestrators/tripPlanner/${id}`);
  });

  it('tripsList lists the caller’s runs', async () => {
    const answer = await call('tripsList');
    expect(answer.status).toBe(200);
    expect((answer.jsonBody as { runs: { id: string }[] }).runs.map((run) => run.id)).toEqual([id]);
    expect(asked).toEqual(['GET /rpc/instances/']);
  });

  it('tripsGet reads the run', async () => {
    const answer = await call('tripsGet', { id });
    expect(answer).toMatchObject({ status: 200, jsonBody: { id } });
    expect(asked).toEqual([`GET /rpc/instances/${id}`]);
  });

  it('tripsTrace reads its spans (none here: no trace store)', async () => {
    expect(codeOf(await call('tripsTrace', { id }))).toBe('trace_unavailable');
  });

  it('tripsInput answers a question round (none asked here)', async () => {
    expect(codeOf(await call('tripsInput', { id, body: { destination: 'Lisbon' } }))).toBe(
      'not_waiting_for_input',
    );
  });

  it('tripsApproval approves a quote (none here)', async () => {
    expect(codeOf(await call('tripsApproval', { id, body: { approved: true } }))).toBe(
      'not_awaiting_approval',
    );
  });

  it('tripsCancel terminates the run', async () => {
    const answer = await call('tripsCancel', { id, body: {} });
    expect(answer.status).toBe(202);
    expect(asked).toContain(`POST /rpc/instances/${id}/terminate`);
  });
});

describe('the Durable endpoint refusing for capacity', () => {
  it.each([
    [429, 'too_busy'],
    [503, 'unavailable'],
  ])('answers its %i with %s and Retry-After', async (status, code) => {
    refuseWith = { status, body: { error: { code: 'too_many_instances' } } };
    const answer = await call('tripsStart', { body: { request: 'A weekend in Porto' } });
    expect(answer.status).toBe(status);
    expect(codeOf(answer)).toBe(code);
    expect(answer.headers).toMatchObject({ 'Retry-After': '5', 'Cache-Control': 'no-store' });
  });

  it('answers a fault whose details name 429 as the fault it is (500)', async () => {
    refuseWith = { status: 500, body: { message: 'backend said 429' } };
    const answer = await call('tripsList');
    expect(answer.status).toBe(500);
    expect(codeOf(answer)).toBe('internal_error');
  });
});
