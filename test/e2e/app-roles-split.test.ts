/**
 * The deployed shape, on this machine: the same compiled package runs twice on the local host,
 * once as the MCP app (WAYPOINT_APP_ROLE=mcp) and once as the agents app (WAYPOINT_APP_ROLE=agents,
 * MCP_BASE_URL pointing at the first). A trip is planned, approved and booked through the agents
 * app, its tools answered over HTTP by the MCP app, whose bookings store holds the bookings; each
 * app answers 404 for the other's routes.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertAlive, killHard, spawnHostProcess, type HostProcess } from '../support/host-process';
import { tempDir } from '../support/local-host';
import { BOOKING_TRIP } from '../support/trip-requests';

const KEY = 'split-roles-mcp-key-0123456789abcdef';
let mcp: HostProcess;
let agents: HostProcess;
let mcpStore: string;

function baseEnv(dir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '',
    LOG_FORMAT: 'text',
    LOG_LEVEL: 'info',
    MCP_SERVER_KEY: KEY,
    STORE_SQLITE_PATH: join(dir, 'waypoint.sqlite'),
    WAYPOINT_TRACE_STORE: join(dir, 'traces.sqlite'),
    ...extra,
  };
}

beforeAll(async () => {
  const mcpDir = tempDir('waypoint-mcp-app-');
  const agentsDir = tempDir('waypoint-agents-app-');
  mcpStore = join(mcpDir, 'waypoint.sqlite');
  mcp = await spawnHostProcess({
    storePath: join(mcpDir, 'durable.sqlite'),
    masterKey: 'split-roles-master-mcp-01',
    env: baseEnv(mcpDir, { WAYPOINT_APP_ROLE: 'mcp' }),
  });
  agents = await spawnHostProcess({
    storePath: join(agentsDir, 'durable.sqlite'),
    masterKey: 'split-roles-master-agents-01',
    env: baseEnv(agentsDir, { WAYPOINT_APP_ROLE: 'agents', MCP_BASE_URL: `${mcp.url}/api/mcp` }),
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([agents, mcp].filter(Boolean).map((host) => killHard(host)));
});

async function api(host: HostProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`${host.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function waitForStatus(id: string, statuses: string[], timeoutMs = 120_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    assertAlive(agents);
    const { body } = await api(agents, 'GET', `/api/trips/${id}`);
    if (statuses.includes(body.status)) return body;
    if (
      ['failed', 'completed', 'cancelled', 'budget_exceeded'].includes(body.status) ||
      Date.now() > deadline
    ) {
      throw new Error(
        `run ${id} is ${body.status}: ${JSON.stringify(body.error ?? {})}\n${agents.output().slice(-3000)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function bookingsIn(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM bookings').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('the agents app and the MCP app as separate processes', () => {
  it('each serves only its own routes', async () => {
    expect((await api(agents, 'POST', '/api/mcp/flights', {})).status).toBe(404);
    expect((await api(mcp, 'GET', '/api/trips')).status).toBe(404);
    expect((await api(mcp, 'GET', '/')).status).toBe(404);
    // The MCP app asks for its key: it is a real tool server.
    expect((await api(mcp, 'POST', '/api/mcp/flights', {})).status).toBe(401);
  });

  it('plans and books a trip through the agents app, the tools answered by the MCP app', async () => {
    const started = await api(agents, 'POST', '/api/trips', BOOKING_TRIP);
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    const id = started.body.id as string;
    const waiting = await waitForStatus(id, ['awaiting_approval']);
    expect(waiting.quote.items.length).toBe(2);
    expect((await api(agents, 'POST', `/api/trips/${id}/approval`, { approved: true })).status).toBe(202);
    const done = await waitForStatus(id, ['completed']);
    expect(done.result.bookings.map((b: { status: string }) => b.status)).toEqual(['confirmed', 'confirmed']);
    // The bookings live in the MCP app's store: the agents app reached the tools over HTTP.
    expect(bookingsIn(mcpStore)).toBe(2);
    expect(mcp.output()).toMatch(/Functions:\n {2}mcp: \[GET,POST,DELETE\]/);
  });
});
