/**
 * Per-instance limits: a run that grows its history, fans out or queues
 * events past the host's limits fails or is refused with a clear message instead of consuming
 * unbounded work; the sample starter validates its input.
 */
import { describe, expect, it } from 'vitest';
import {
  pollUntilDone,
  repoRoot,
  startHost,
  startOrchestration,
  testKeys,
  jsonHeaders,
} from '../../support/local-host';

describe('per-instance limits', () => {
  it('fails a run whose fan-out exceeds maxPendingActions, naming the limit', async () => {
    const host = await startHost({ limits: { maxPendingActions: 5 } });
    try {
      const fits = await startOrchestration(host, 'fanOut', [1, 2, 3, 4, 5]);
      expect((await pollUntilDone(fits.statusQueryGetUri)).body.output).toBe(30);
      const started = await startOrchestration(host, 'fanOut', [1, 2, 3, 4, 5, 6]);
      const { body } = await pollUntilDone(started.statusQueryGetUri);
      expect(body.runtimeStatus).toBe('Failed');
      expect(body.output).toMatch(/6 pending actions.*maxPendingActions \(5\)/);
    } finally {
      await host.stop();
    }
  });

  it('fails a run whose history exceeds maxHistoryEvents', async () => {
    const host = await startHost({ limits: { maxHistoryEvents: 8 } });
    try {
      const started = await startOrchestration(host, 'sequence');
      const { body } = await pollUntilDone(started.statusQueryGetUri);
      expect(body.runtimeStatus).toBe('Failed');
      expect(body.output).toMatch(/maxHistoryEvents \(8\)/);
    } finally {
      await host.stop();
    }
  });

  it('refuses events past maxQueuedEvents with 429', async () => {
    const host = await startHost({ limits: { maxQueuedEvents: 2 } });
    try {
      const started = await startOrchestration(host, 'twoEvents');
      await host.waitForInstance(started.id, { statuses: ['Running'] });
      // A suspended instance takes no events out of its inbox, so raised ones stay queued.
      const suspend = await host.fetch(
        `/runtime/webhooks/durabletask/instances/${started.id}/suspend?code=${testKeys.systemKey}`,
        { method: 'POST', headers: jsonHeaders },
      );
      expect(suspend.status).toBe(202);
      const raise = (name: string) =>
        fetch(started.sendEventPostUri.replace('{eventName}', name), {
          method: 'POST',
          body: '1',
          headers: jsonHeaders,
        });
      expect((await raise('other')).status).toBe(202);
      expect((await raise('other')).status).toBe(202);
      const refused = await raise('other');
      expect(refused.status).toBe(429);
      expect((await refused.json()).error.code).toBe('too_many_events');
    } finally {
      await host.stop();
    }
  });

  it('refuses new instances past maxActiveInstances with 429', async () => {
    const host = await startHost({ limits: { maxActiveInstances: 2 } });
    try {
      await startOrchestration(host, 'waitForever');
      await startOrchestration(host, 'waitForever');
      const refused = await host.fetch(
        `/runtime/webhooks/durabletask/orchestrators/waitForever?code=${testKeys.systemKey}`,
        { method: 'POST', headers: jsonHeaders },
      );
      expect(refused.status).toBe(429);
      expect((await refused.json()).error.code).toBe('too_many_instances');
    } finally {
      await host.stop();
    }
  });
});

describe('sample starter input', () => {
  it('refuses unknown orchestrations and oversized or malformed greetingRound input with 400', async () => {
    const host = await startHost({ appDir: repoRoot });
    try {
      const post = (name: string, body: unknown) =>
        host.fetch(`/api/orchestrators/${name}`, {
          method: 'POST',
          body: JSON.stringify(body),
          headers: jsonHeaders,
        });
      const many = await post('greetingRound', {
        cities: Array.from({ length: 2000 }, (_, i) => `City${i}`),
      });
      expect(many.status).toBe(400);
      expect((await many.json()).error.code).toBe('invalid_input');
      expect((await post('greetingRound', { cities: ['x'.repeat(500)] })).status).toBe(400);
      expect((await post('greetingRound', { approvalTimeoutSeconds: 10 ** 9 })).status).toBe(400);
      expect((await post('greetingRound', { cities: ['Oslo'], extra: true })).status).toBe(400);
      expect((await post('helloSequence', { anything: 1 })).status).toBe(400);
      const unknown = await host.fetch('/api/orchestrators/sayHello', {
        method: 'POST',
        headers: jsonHeaders,
      });
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error.code).toBe('unknown_orchestrator');
      expect((await post('greetingRound', { cities: ['Oslo', 'Lima'], coolDownSeconds: 0 })).status).toBe(
        202,
      );
    } finally {
      await host.stop();
    }
  });
});
