/**
 * The trips API of a host running as a child process (see host-process.ts), for the crash tests:
 * JSON requests on fresh connections, and waiting for a run's status while the host stays alive.
 */
import { request } from 'node:http';
import { expect } from 'vitest';
import { runResourceSchema, type RunResource } from '../../src/travel/api/run-resource';
import { assertAlive, type HostProcess } from './host-process';
import { waitUntil } from './wait-until';

/**
 * One JSON request on a fresh connection: a restarted host may listen on the same port, and a
 * pooled keep-alive connection to a killed one would be reset.
 */
export function hostApi(
  host: HostProcess,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: unknown }> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${host.url}${path}`,
      { method, agent: false, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as unknown) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

/**
 * Polls the run until it reaches one of `statuses`; fails at once on another final status or when
 * the host has exited, and after four minutes, with the host's last output.
 */
export function waitForRunStatus(
  host: HostProcess,
  id: string,
  statuses: readonly string[],
  intervalMs = 200,
): Promise<RunResource> {
  let last = '';
  return waitUntil(
    `run ${id} to be ${statuses.join('|')}`,
    async () => {
      assertAlive(host);
      const answer = await hostApi(host, 'GET', `/api/trips/${id}`);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      const run = runResourceSchema.parse(answer.body);
      last = `${run.status} ${JSON.stringify(run.error ?? {})}`;
      if (statuses.includes(run.status)) return run;
      if (['completed', 'failed', 'budget_exceeded', 'cancelled'].includes(run.status)) {
        throw new Error(`run ${id} ended ${last}\n${host.output().slice(-4000)}`);
      }
      return undefined;
    },
    { timeoutMs: 240_000, intervalMs, describe: () => `last: ${last}\n${host.output().slice(-4000)}` },
  );
}
