/** Starts local hosts for tests: free port, in-memory or temp-file store, quiet logs. */
import { mkdtempSync } from 'node:fs';
import Database from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LocalHost, type LocalHostOptions } from '../../src/local-host/host';

export const repoRoot = resolve(__dirname, '../..');
export const fixtureApp = join(repoRoot, 'test/fixtures/durable-app');

/** Fixed, distinct keys, so tests can prove each opens only what it opens in Azure. */
export const testKeys = {
  functionKey: 'test-function-key-0001',
  systemKey: 'test-durable-system-key-0001',
  masterKey: 'test-master-key-000000001',
} as const;

export function startHost(options: Partial<LocalHostOptions> = {}): Promise<LocalHost> {
  return LocalHost.start({
    appDir: fixtureApp,
    port: 0,
    storePath: ':memory:',
    ...testKeys,
    loadLocalSettings: false,
    ...options,
  });
}

export function tempDir(prefix = 'waypoint-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts an orchestration through the app's HTTP starter and returns its id and status URL. */
export async function startOrchestration(
  host: LocalHost,
  name: string,
  input?: unknown,
): Promise<{ id: string; statusQueryGetUri: string; sendEventPostUri: string; terminatePostUri: string }> {
  const response = await host.fetch(`/api/orchestrators/${name}`, {
    method: 'POST',
    ...(input === undefined
      ? {}
      : { body: JSON.stringify(input), headers: { 'content-type': 'application/json' } }),
  });
  if (response.status !== 202)
    throw new Error(`start ${name}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as {
    id: string;
    statusQueryGetUri: string;
    sendEventPostUri: string;
    terminatePostUri: string;
  };
}

/** Polls a status URL until the instance is terminal; returns the final status body. */
export async function pollUntilDone(
  statusUrl: string,
  timeoutMs = 60_000,
): Promise<{ status: number; body: any }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(statusUrl);
    const body = await response.json();
    if (response.status !== 202) return { status: response.status, body };
    if (Date.now() > deadline)
      throw new Error(`still running after ${timeoutMs} ms: ${JSON.stringify(body)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Activity completions a durable store file has committed for an instance, delivered or queued. */
export function committedCompletions(storePath: string, instanceId: string): number {
  const db = new Database(storePath, { readonly: true });
  try {
    const rows = db
      .prepare(
        'SELECT event FROM history WHERE instance_id = ? UNION ALL SELECT event FROM inbox WHERE instance_id = ?',
      )
      .all(instanceId, instanceId) as { event: string }[];
    return rows.filter((row) => (JSON.parse(row.event) as { EventType: number }).EventType === 5).length;
  } finally {
    db.close();
  }
}

/** The host's management API takes JSON only (POST, PUT, PATCH): the header its calls send. */
export const jsonHeaders = { 'content-type': 'application/json' } as const;
