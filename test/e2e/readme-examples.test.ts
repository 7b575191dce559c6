/**
 * The README's MCP examples, run as written: its shell block goes to bash unchanged but for one
 * substitution — the test host's port for 7071, so the test can run beside a real `npm start` — and
 * against the app as `npm start` serves it (local host, the five servers mounted, the key the block
 * sets as `MCP_SERVER_KEY`). Needs bash, curl and jq, as the README does.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../src/local-host/host';
import { repoRoot, startHost, tempDir } from '../support/local-host';

const README_PORT_URL = 'http://127.0.0.1:7071';

/** The ```sh block of the README's "MCP tool servers" section. */
function mcpExampleBlock(): string {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const section = /^## MCP tool servers\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  const block = section && /^```sh\n([\s\S]*?)^```$/m.exec(section)?.[1];
  if (!block) throw new Error('README.md: no ```sh block in "## MCP tool servers"');
  return block;
}

/** curl prints one JSON document per call, back to back: split them where the nesting closes. */
function jsonDocuments(output: string): unknown[] {
  const documents: unknown[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < output.length; i++) {
    const char = output[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') {
      if (depth++ === 0) start = i;
    } else if (char === '}' && --depth === 0) {
      documents.push(JSON.parse(output.slice(start, i + 1)));
    }
  }
  if (depth !== 0) throw new Error(`unterminated JSON in output: ${output.slice(start, start + 200)}`);
  return documents;
}

/** The tool result of a JSON-RPC `tools/call` response; fails on a protocol or tool error. */
function toolData(document: unknown): any {
  const response = document as {
    result?: { isError?: boolean; structuredContent?: unknown };
    error?: unknown;
  };
  expect(response.error, JSON.stringify(response.error)).toBeUndefined();
  expect(response.result?.isError, JSON.stringify(response.result)).not.toBe(true);
  return response.result?.structuredContent;
}

const block = mcpExampleBlock();
const serverKey = /^KEY=(\S+)/m.exec(block)?.[1];
let host: LocalHost;

async function runBlock(): Promise<any[]> {
  const script = block.replaceAll(README_PORT_URL, host.url.replace(/\/$/, ''));
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
    timeout: 60_000,
    maxBuffer: 32 * 1024 * 1024,
  });
  return jsonDocuments(stdout).map(toolData);
}

beforeAll(async () => {
  if (!serverKey) throw new Error('README.md: the MCP example block sets no KEY=');
  // The app reads its settings once, when it loads.
  process.env.MCP_SERVER_KEY = serverKey;
  process.env.STORE_SQLITE_PATH = join(tempDir('waypoint-readme-'), 'waypoint.sqlite');
  host = await startHost({ appDir: repoRoot });
});
afterAll(async () => {
  await host?.stop();
});

describe('README examples', () => {
  it('uses dates that are still ahead (move them forward when this fails)', () => {
    const today = new Date().toISOString().slice(0, 10);
    const dates = [...block.matchAll(/"(\d{4}-\d{2}-\d{2})"/g)].map((m) => m[1]);
    expect(dates.length).toBeGreaterThan(0);
    for (const date of dates) expect(date > today, `${date} is not after ${today}`).toBe(true);
  });

  it('runs the MCP tool examples as written, and a repeated booking replays', async () => {
    expect(block).toContain(README_PORT_URL);
    const [flights, hotels, weather, restaurants, booking] = await runBlock();
    expect(flights).toMatchObject({
      origin: { iata: 'EZE', city: 'Buenos Aires' },
      destination: { iata: 'FTE', city: 'El Calafate' },
      passengers: 2,
    });
    expect(flights.offers.length).toBeGreaterThan(0);
    expect(hotels.city).toMatchObject({ name: 'Puerto Natales', country: 'CL' });
    expect(hotels.offers.length).toBeGreaterThan(0);
    expect(weather.place).toMatchObject({ name: 'Punta Arenas', timeZone: 'America/Santiago' });
    expect(weather.limitations.length).toBeGreaterThan(0);
    expect(restaurants.city).toMatchObject({ name: 'Cologne', country: 'DE' });
    expect(restaurants.restaurants.length).toBeGreaterThan(0);
    expect(booking.replayed).toBe(false);
    expect(booking.booking).toMatchObject({ status: 'confirmed' });
    expect(booking.booking.details.travellers).toHaveLength(2);

    // "Repeating book_flight with the same idempotencyKey returns the first booking (replayed: true)".
    const again = (await runBlock())[4];
    expect(again.replayed).toBe(true);
    expect(again.booking).toEqual(booking.booking);
  }, 120_000);
});
