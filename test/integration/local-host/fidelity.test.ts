/**
 * The local host behaves as Durable Functions in Azure does, checked with the SDKs themselves at
 * two versions: the project's own (@azure/functions 4.16, durable-functions 3.5) and the versions
 * of Microsoft's samples-ts lock (@azure/functions 4.3.0, durable-functions 3.1.0), each running
 * the same fidelity app (test/fixtures/fidelity-shared). Each behaviour is one that differed:
 * query strings, suspend/resume history, rewind and restart, failure details.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import { ensureFixtureInstalled } from '../../support/fixture-install';
import { repoRoot, startHost } from '../../support/local-host';

const SDKS = [
  { sdk: 'the project SDK (durable-functions 3.5)', app: 'fidelity-app', durable: '3.5' },
  { sdk: '@azure/functions 4.3 with durable-functions 3.1', app: 'fidelity-app-v4.3', durable: '3.1' },
] as const;

const json = { 'content-type': 'application/json' };

describe.each(SDKS)('$sdk', ({ app, durable }) => {
  let host: LocalHost;
  const appDir = join(repoRoot, 'test/fixtures', app);

  beforeAll(async () => {
    if (app !== 'fidelity-app') ensureFixtureInstalled(appDir);
    host = await startHost({ appDir });
  }, 360_000);
  afterAll(async () => {
    await host?.stop();
  });

  const start = async (name: string, input?: unknown, query = ''): Promise<Response> =>
    host.fetch(`/api/orchestrators/${name}${query}`, {
      method: 'POST',
      headers: json,
      ...(input === undefined ? {} : { body: JSON.stringify(input) }),
    });

  describe('query strings', () => {
    it('reach the function from the URL, repeated names joined as the Functions host joins them', async () => {
      const response = await host.fetch('/api/query?city=Lima&tag=a&tag=b&empty=');
      expect(response.status).toBe(200);
      const body = (await response.json()) as { entries: [string, string][] };
      expect(Object.fromEntries(body.entries)).toEqual({ city: 'Lima', tag: 'a,b', empty: '' });
    });

    it('?timeout= on the samples starter waits for the result instead of answering 202 at once', async () => {
      const started = Date.now();
      const response = await start('fanOut', 4, '?timeout=20');
      expect(response.status).toBe(200);
      expect(await response.json()).toBe(0 + 1 + 4 + 9);
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  });

  void durable;
});
