import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHotelOffers } from '../../../src/mcp-servers/hotels/hotel-offers';
import {
  startMcpHttpServer,
  type RunningMcpHttpServer,
} from '../../../src/mcp-servers/http/node-http-server';
import { resolveCity } from '../../../src/mcp-servers/shared/places';
import type { McpServerName } from '../../../src/mcp-servers/registry';
import { InMemoryBookingsStore } from '../../fakes/in-memory-bookings-store';
import { daysFromNow } from './mcp-test-client';

/**
 * The servers as a third-party client sees them: the MCP Inspector's headless CLI, over HTTP
 * (in-process servers) for every server, and over stdio (the built CLI as a child process). The inspector's CLI mode
 * opens no browser and makes no network connections besides the target (checked with strace).
 * It exits 0 even when a tool fails, so every assertion reads its JSON output.
 */
const ROOT = resolve(__dirname, '../../..');
const INSPECTOR = join(ROOT, 'node_modules/.bin/mcp-inspector');
const SERVER_CLI = join(ROOT, 'dist/src/mcp-servers/cli.js');
const run = promisify(execFile);

const checkIn = daysFromNow(40);
const checkOut = daysFromNow(43);
const hotelOffer = generateHotelOffers(resolveCity('Paris')!, { checkIn, checkOut, guests: 2 })[0];

/** A representative call per server, as `--tool-arg key=value` pairs (objects and arrays as JSON). */
const SAMPLE_CALLS: Record<McpServerName, { tool: string; args: Record<string, string> }> = {
  flights: {
    tool: 'search_flights',
    args: { origin: 'LHR', destination: 'Paris', departDate: checkIn, passengers: '2' },
  },
  hotels: { tool: 'search_hotels', args: { city: 'Paris', checkIn, checkOut, tags: '["free_wifi"]' } },
  weather: { tool: 'get_forecast', args: { place: 'Oslo', startDate: '2027-01-04', endDate: '2027-01-06' } },
  restaurants: { tool: 'search_restaurants', args: { city: 'Tokyo', dietary: '["vegetarian"]' } },
  bookings: {
    tool: 'book_hotel',
    args: {
      idempotencyKey: 'inspector:step-1',
      offerId: hotelOffer.offerId,
      leadGuest: '{"firstName":"Ada","lastName":"Lovelace"}',
      contactEmail: 'ada@example.org',
      expectedTotal: JSON.stringify(hotelOffer.totalPrice),
    },
  },
};

/** Runs at most `limit` at once: each inspector call starts two or three Node processes. */
async function inBatches<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += limit) {
    results.push(...(await Promise.all(tasks.slice(i, i + limit).map((task) => task()))));
  }
  return results;
}

// Each inspector run costs a few Node start-ups; leave room on a loaded two-core machine.
describe('MCP Inspector CLI against every server', { timeout: 90_000 }, () => {
  const servers = new Map<McpServerName, RunningMcpHttpServer>();
  const bookingsStore = new InMemoryBookingsStore();
  let home: string;

  async function inspector(target: string[], method: string[]): Promise<any> {
    const { stdout } = await run(INSPECTOR, ['--cli', ...target, ...method], {
      cwd: ROOT,
      env: { ...process.env, HOME: home, MCP_SERVER_KEY: '' },
      timeout: 30_000,
    });
    return JSON.parse(stdout);
  }
  const listTools = ['--method', 'tools/list'];
  const callTool = (name: McpServerName) => [
    '--method',
    'tools/call',
    '--tool-name',
    SAMPLE_CALLS[name].tool,
    ...Object.entries(SAMPLE_CALLS[name].args).flatMap(([key, value]) => ['--tool-arg', `${key}=${value}`]),
  ];

  beforeAll(async () => {
    if (!existsSync(SERVER_CLI))
      throw new Error(`${SERVER_CLI} is missing: run "npm run build" first (npm test does).`);
    home = mkdtempSync(join(tmpdir(), 'inspector-home-'));
    for (const name of Object.keys(SAMPLE_CALLS) as McpServerName[]) {
      // The inspector CLI (0.15) cannot send headers, so these servers run without a key.
      servers.set(name, await startMcpHttpServer({ server: name, bookingsStore }));
    }
  });
  afterAll(async () => {
    await Promise.all([...servers.values()].map((server) => server.close()));
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('lists tools and calls one on each server over Streamable HTTP', async () => {
    const names = [...servers.keys()];
    const results = await inBatches(
      names.flatMap((name) => [
        () => inspector([servers.get(name)!.url], listTools),
        () => inspector([servers.get(name)!.url], callTool(name)),
      ]),
      4,
    );
    names.forEach((name, i) => {
      const [listed, called] = [results[2 * i], results[2 * i + 1]];
      expect(listed.tools.map((tool: any) => tool.name)).toContain(SAMPLE_CALLS[name].tool);
      expect(called.isError ?? false, `${name}: ${JSON.stringify(called.content)}`).toBe(false);
      expect(JSON.parse(called.content[0].text)).toEqual(called.structuredContent);
    });
    const booked = results[2 * names.indexOf('bookings') + 1].structuredContent.booking;
    expect(await bookingsStore.findByIdempotencyKey('inspector:step-1')).toEqual(booked);
  });

  it('lists tools and books over stdio, starting the built CLI', async () => {
    const stdio = (name: McpServerName) => ['node', SERVER_CLI, name, '--stdio'];
    const [listed, called] = await Promise.all([
      inspector(stdio('flights'), listTools),
      inspector(stdio('bookings'), callTool('bookings')),
    ]);
    expect(listed.tools.map((tool: any) => tool.name).sort()).toEqual([
      'get_flight_details',
      'search_flights',
    ]);
    expect(called.isError ?? false, JSON.stringify(called.content)).toBe(false);
    expect(called.structuredContent.booking).toMatchObject({
      kind: 'hotel',
      idempotencyKey: 'inspector:step-1',
    });
  });

  it('reports a tool error in its JSON output (while exiting 0)', async () => {
    const result = await inspector(
      [servers.get('flights')!.url],
      [
        '--method',
        'tools/call',
        '--tool-name',
        'search_flights',
        '--tool-arg',
        'origin=Atlantis',
        '--tool-arg',
        'destination=LHR',
        '--tool-arg',
        `departDate=${checkIn}`,
      ],
    );
    expect(result.isError).toBe(true);
    expect(result.structuredContent.error.code).toBe('unknown_place');
  });
});
