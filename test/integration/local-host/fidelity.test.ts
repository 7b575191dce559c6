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

  /** Polls the DurableClient's getStatus until the instance has one of `statuses`. */
  async function clientStatus(instanceId: string, statuses: string[] = []): Promise<any> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const response = await host.fetch(`/api/client/${instanceId}`);
      const status = (await response.json()) as { runtimeStatus: string };
      if (statuses.length === 0 || statuses.includes(status.runtimeStatus)) return status;
      if (Date.now() > deadline) throw new Error(`still ${status.runtimeStatus}: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  const clientOperation = (instanceId: string, operation: string, reason = ''): Promise<Response> =>
    host.fetch(`/api/client/${instanceId}/${operation}?reason=${encodeURIComponent(reason)}`, {
      method: 'POST',
      headers: json,
    });

  describe('suspend and resume', () => {
    it('write ExecutionSuspended and ExecutionResumed with their reasons into the history', async () => {
      const { id } = (await (await start('awaitSignal', 'suspended-run')).json()) as { id: string };
      await clientStatus(id, ['Running']);
      expect((await clientOperation(id, 'suspend', 'waiting for the auditor')).status).toBe(202);
      await clientStatus(id, ['Suspended']);
      // An event raised while suspended waits; the instance stays suspended.
      await host.fetch(
        `/runtime/webhooks/durabletask/instances/${id}/raiseEvent/go?code=${host.keys.systemKey}`,
        {
          method: 'POST',
          headers: json,
          body: '"green light"',
        },
      );
      expect((await clientStatus(id)).runtimeStatus).toBe('Suspended');
      expect((await clientOperation(id, 'resume', 'auditor done')).status).toBe(202);
      const done = await clientStatus(id, ['Completed']);
      expect(done.output).toEqual({ value: 'green light', input: 'suspended-run' });
      const events = (done.history as { EventType: string; Reason?: string }[]).map((e) =>
        e.Reason === undefined ? e.EventType : `${e.EventType}: ${e.Reason}`,
      );
      expect(events).toEqual([
        'ExecutionStarted',
        'ExecutionSuspended: waiting for the auditor',
        'ExecutionResumed: auditor done',
        'EventRaised',
        'ExecutionCompleted',
      ]);
    });

    it('a second suspend of a suspended instance writes nothing more', async () => {
      const { id } = (await (await start('awaitSignal', 'twice')).json()) as { id: string };
      await clientStatus(id, ['Running']);
      await clientOperation(id, 'suspend', 'first');
      await clientStatus(id, ['Suspended']);
      await clientOperation(id, 'suspend', 'second');
      const history = (await clientStatus(id)).history as { EventType: string }[];
      expect(history.filter((e) => e.EventType === 'ExecutionSuspended')).toHaveLength(1);
      await host.fetch(
        `/runtime/webhooks/durabletask/instances/${id}/terminate?reason=done&code=${host.keys.systemKey}`,
        {
          method: 'POST',
          headers: json,
        },
      );
    });
  });

  describe('failure details', () => {
    const run = async (name: string): Promise<any> => {
      const response = await start(name, undefined, '?timeout=20');
      expect(response.status).toBe(200);
      return response.json();
    };

    if (durable === '3.5') {
      it('a failed activity reaches the orchestrator as a TaskFailedError with its type and properties', async () => {
        expect(await run('catchFailure')).toEqual({
          caught: true,
          isTaskFailedError: true,
          message: 'PaymentDeclinedError: the card was declined',
          errorType: 'PaymentDeclinedError',
          properties: { code: 'card_declined' },
          causedByPaymentDeclined: true,
          taskName: 'declinePayment',
        });
      });

      it("a failed sub-orchestration reaches its parent with the failed activity's details", async () => {
        expect(await run('catchChildFailure')).toMatchObject({
          caught: true,
          isTaskFailedError: true,
          errorType: 'PaymentDeclinedError',
          properties: { code: 'card_declined' },
        });
      });
    } else {
      it('an SDK without TaskFailedError still gets the failure message (Reason), unchanged', async () => {
        const caught = await run('catchFailure');
        expect(caught).toMatchObject({ caught: true, isTaskFailedError: false });
        expect(caught.message).toMatch(/^Activity function 'declinePayment' failed: the card was declined/);
        const child = await run('catchChildFailure');
        expect(child.message).toMatch(
          /Orchestrator function 'declineInChild' failed: .*the card was declined/,
        );
      });
    }
  });

  void durable;
});
