/**
 * The local host behaves as Durable Functions in Azure does, checked with the SDKs themselves at
 * two versions: the project's own (@azure/functions 4.16, durable-functions 3.5) and the versions
 * of Microsoft's samples-ts lock (@azure/functions 4.3.0, durable-functions 3.1.0), each running
 * the same fidelity app (test/fixtures/fidelity-shared). Each behaviour is one that differed:
 * query strings, suspend/resume history, rewind and restart, failure details.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

  describe('rewind', () => {
    /** A switch file the flaky step reads ("fail" or anything else) and a log of every run. */
    function flakyFiles(): { switchFile: string; logFile: string; runs: () => string[] } {
      const dir = mkdtempSync(join(tmpdir(), 'waypoint-rewind-'));
      const files = { switchFile: join(dir, 'switch'), logFile: join(dir, 'log') };
      writeFileSync(files.switchFile, 'fail');
      writeFileSync(files.logFile, '');
      return { ...files, runs: () => readFileSync(files.logFile, 'utf8').split('\n').filter(Boolean) };
    }

    it('runs the failed activity again and keeps what had succeeded; the history says what was rewound', async () => {
      const files = flakyFiles();
      const { id } = (await (await start('flakyRun', { ...files, label: 'first try' })).json()) as {
        id: string;
      };
      const failed = await clientStatus(id, ['Failed']);
      expect(JSON.stringify(failed.output)).toContain('step A failed');

      writeFileSync(files.switchFile, 'fixed');
      expect((await clientOperation(id, 'rewind', 'switch fixed')).status).toBe(202);
      const done = await clientStatus(id, ['Completed']);
      expect(done.output).toEqual({
        first: 9,
        parallel: [16, 'step A: fixed'],
        last: 'step B: fixed',
        label: 'first try',
      });
      const runs = files.runs();
      // The step before the failure did not run again; the failed one did, once; B ran only after.
      expect(runs.filter((r) => r === 'countedSquare 3')).toHaveLength(1);
      expect(runs.filter((r) => r === 'flakyStep A')).toHaveLength(2);
      expect(runs.filter((r) => r === 'flakyStep B')).toHaveLength(1);
      const history = done.history as { EventType: string; Reason?: string; Data?: string }[];
      expect(history.some((e) => e.EventType === 'GenericEvent' && e.Reason === 'Rewound: TaskFailed')).toBe(
        true,
      );
      expect(history.some((e) => e.EventType === 'GenericEvent' && e.Data === 'switch fixed')).toBe(true);
    });

    it('rewinds a failed sub-orchestration with its parent', async () => {
      const files = flakyFiles();
      const { id } = (await (await start('flakyParent', { ...files, label: 'nested' })).json()) as {
        id: string;
      };
      await clientStatus(id, ['Failed']);
      await clientStatus(`${id}:child`, ['Failed']);
      writeFileSync(files.switchFile, 'fixed');
      expect((await clientOperation(id, 'rewind', 'nested fix')).status).toBe(202);
      const done = await clientStatus(id, ['Completed']);
      expect(done.output).toMatchObject({ child: { last: 'step B: fixed', label: 'nested' } });
      expect((await clientStatus(`${id}:child`)).runtimeStatus).toBe('Completed');
      expect(files.runs().filter((r) => r === 'countedSquare 3')).toHaveLength(1);
    });

    it('runs the last attempt of an activity whose retries were used up', async () => {
      const files = flakyFiles();
      const { id } = (await (await start('flakyWithRetry', files)).json()) as { id: string };
      await clientStatus(id, ['Failed']);
      expect(files.runs()).toEqual(['flakyStep C', 'flakyStep C']);
      writeFileSync(files.switchFile, 'third time lucky');
      expect((await clientOperation(id, 'rewind', 'retry once more')).status).toBe(202);
      expect((await clientStatus(id, ['Completed'])).output).toBe('step C: third time lucky');
      expect(files.runs()).toEqual(['flakyStep C', 'flakyStep C', 'flakyStep C']);
    });

    it('queues again a durable timer that was still pending when the run failed', async () => {
      const files = flakyFiles();
      const { id } = (await (await start('timerAndFlaky', files)).json()) as { id: string };
      await clientStatus(id, ['Failed']);
      writeFileSync(files.switchFile, 'ok');
      expect((await clientOperation(id, 'rewind', 'again')).status).toBe(202);
      expect((await clientStatus(id, ['Completed'])).output).toBe('step D: ok');
    });

    it('refuses an instance that has not failed, and the DurableClient shows why', async () => {
      const { id } = (await (await start('awaitSignal', 'still waiting')).json()) as { id: string };
      await clientStatus(id, ['Running']);
      const refused = await clientOperation(id, 'rewind', 'too early');
      expect(refused.status).toBe(409); // the fixture's wrapper: the client threw
      // Not "[object Object]": the text reaches the error (3.1 wraps it in its generic message).
      expect(((await refused.json()) as { message: string }).message).toContain(
        `Only failed instances can be rewound; '${id}' is Running.`,
      );
      await host.fetch(
        `/runtime/webhooks/durabletask/instances/${id}/terminate?reason=done&code=${host.keys.systemKey}`,
        {
          method: 'POST',
          headers: json,
        },
      );
    });
  });

  describe('restart', () => {
    const restart = (instanceId: string, query = ''): Promise<Response> =>
      host.fetch(
        `/runtime/webhooks/durabletask/instances/${instanceId}/restart?code=${host.keys.systemKey}${query}`,
        {
          method: 'POST',
          headers: json,
        },
      );

    it('starts the orchestration again with the same input, under a new id by default', async () => {
      const first = (await (await start('fanOut', 3, '?timeout=20')).json()) as number;
      expect(first).toBe(5);
      const { id } = (await (await start('awaitSignal', 'again')).json()) as { id: string };
      const response = await restart(id);
      expect(response.status).toBe(202);
      const restarted = (await response.json()) as { id: string; statusQueryGetUri: string };
      expect(restarted.id).not.toBe(id);
      expect(response.headers.get('location')).toBe(restarted.statusQueryGetUri);
      const status = await clientStatus(restarted.id, ['Running']);
      expect(status.input).toBe('again');
      expect(status.name).toBe('awaitSignal');
    });

    it("with restartWithNewInstanceId=false reuses a finished instance's id and refuses a running one", async () => {
      const { id } = (await (await start('fanOut', 5)).json()) as { id: string };
      await clientStatus(id, ['Completed']);
      const again = await restart(id, '&restartWithNewInstanceId=false');
      expect(again.status).toBe(202);
      expect(((await again.json()) as { id: string }).id).toBe(id);
      await clientStatus(id, ['Completed']);
      const { id: waiting } = (await (await start('awaitSignal', 'busy')).json()) as { id: string };
      await clientStatus(waiting, ['Running']);
      expect((await restart(waiting, '&restartWithNewInstanceId=false')).status).toBe(409);
      expect((await restart('no-such-instance')).status).toBe(400);
    });
  });

  describe('limits from host.json', () => {
    it(
      'a 3,000-wide fan-out passes with localHost.maxPendingActions raised to 3000 in host.json',
      { timeout: 240_000 },
      async () => {
        const response = await start('fanOut', 3000);
        expect(response.status).toBe(202);
        const { id } = (await response.json()) as { id: string };
        const done = await host.waitForInstance(id, { timeoutMs: 220_000 });
        expect(done.runtimeStatus).toBe('Completed');
        // Σ i² for i < 3000
        expect(JSON.parse(done.output!)).toBe((2999 * 3000 * 5999) / 6);
      },
    );
  });
});

describe('limits at their defaults and from the CLI', () => {
  const appDir = join(repoRoot, 'test/fixtures/fidelity-app');

  it('the same fan-out fails at the default of 1,000 pending actions, saying how to raise it', async () => {
    // The options override host.json's localHost section, as the CLI's flags do.
    const host = await startHost({ appDir, limits: { maxPendingActions: 1000 } });
    try {
      const response = await host.fetch('/api/orchestrators/fanOut', {
        method: 'POST',
        headers: json,
        body: '3000',
      });
      const { id } = (await response.json()) as { id: string };
      const failed = await host.waitForInstance(id, { timeoutMs: 60_000 });
      expect(failed.runtimeStatus).toBe('Failed');
      expect(JSON.parse(failed.output!)).toMatch(
        /3000 pending actions, more than the host's limit maxPendingActions \(1000\); fan out in batches, or raise it with host\.json "localHost": \{ "maxPendingActions": … \} or --max-pending-actions/,
      );
    } finally {
      await host.stop();
    }
  });

  it(
    '--max-pending-actions overrides host.json (the CLI, as a user runs it)',
    { timeout: 120_000 },
    async () => {
      const flagged = spawn(
        process.execPath,
        [
          join(repoRoot, 'dist/src/local-host/cli.js'),
          ...['--app', appDir, '--port', '0', '--store', ':memory:', '--max-pending-actions', '2000'],
          ...['--master-key', 'fidelity-cli-master-key-01'],
        ],
        { env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`host did not start:\n${output}`)), 90_000);
        const onData = (chunk: Buffer): void => {
          output += chunk.toString();
          const ready = /Host ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
          if (ready) {
            clearTimeout(timer);
            resolve(ready[1]);
          }
        };
        flagged.stdout.on('data', onData);
        flagged.stderr.on('data', onData);
      });
      try {
        const response = await fetch(`${url}/api/orchestrators/fanOut?timeout=60`, {
          method: 'POST',
          headers: json,
          body: '2500',
        });
        const status = (await response.json()) as { runtimeStatus: string; output: string };
        expect(status.runtimeStatus).toBe('Failed');
        expect(status.output).toMatch(
          /2500 pending actions, more than the host's limit maxPendingActions \(2000\)/,
        );
      } finally {
        flagged.kill('SIGTERM');
      }
    },
  );
});
