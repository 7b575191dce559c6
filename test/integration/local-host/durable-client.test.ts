/**
 * The unmodified DurableClient (df.getClient) inside HTTP functions, driving the local host:
 * startNew, createCheckStatusResponse, waitForCompletionOrCreateCheckStatusResponse, getStatus,
 * getStatusAll/By, raiseEvent, terminate, purgeInstanceHistory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import { pollUntilDone, startHost, startOrchestration, jsonHeaders } from '../../support/local-host';

let host: LocalHost;

beforeAll(async () => {
  host = await startHost();
});
afterAll(async () => {
  await host.stop();
});

describe('DurableClient against the local host', () => {
  it('createCheckStatusResponse returns 202 with management URLs on the request origin', async () => {
    const response = await host.fetch('/api/orchestrators/sequence', {
      method: 'POST',
      headers: jsonHeaders,
    });
    expect(response.status).toBe(202);
    const body = await response.json();
    expect(Object.keys(body).sort()).toEqual(
      [
        'id',
        'purgeHistoryDeleteUri',
        'restartPostUri',
        'resumePostUri',
        'rewindPostUri',
        'sendEventPostUri',
        'statusQueryGetUri',
        'suspendPostUri',
        'terminatePostUri',
      ].sort(),
    );
    expect(
      body.statusQueryGetUri.startsWith(`${host.url}/runtime/webhooks/durabletask/instances/${body.id}?`),
    ).toBe(true);
    expect(response.headers.get('location')).toBe(body.statusQueryGetUri);
    const { body: final } = await pollUntilDone(body.statusQueryGetUri);
    expect(final.output).toEqual(['Hello Tokyo!', 'Hello Seattle!', 'Hello London!']);
  });

  it('startNew honours a caller-chosen instance id', async () => {
    const id = `client-chosen-${Date.now()}`;
    const response = await host.fetch(`/api/orchestrators/sequence/${id}`, {
      method: 'POST',
      headers: jsonHeaders,
    });
    expect((await response.json()).id).toBe(id);
    await host.waitForInstance(id);
  });

  it('waitForCompletionOrCreateCheckStatusResponse returns 200 with the output when done in time', async () => {
    const response = await host.fetch('/api/wait/fanOut', {
      method: 'POST',
      body: '[1,2,3]',
      headers: jsonHeaders,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toBe(12);
  });

  it('waitForCompletionOrCreateCheckStatusResponse returns 202 with status URLs when still running', async () => {
    const response = await host.fetch('/api/wait/waitForever?timeoutMs=300', {
      method: 'POST',
      headers: jsonHeaders,
    });
    expect(response.status).toBe(202);
    const body = await response.json();
    await fetch(body.terminatePostUri.replace('{text}', 'done'), { method: 'POST', headers: jsonHeaders });
  });

  it('getStatus shows input, history and output; unknown ids are reported', async () => {
    const started = await startOrchestration(host, 'fanOut', [5, 6]);
    await host.waitForInstance(started.id);
    const status = await (await host.fetch(`/api/client/instances/${started.id}`)).json();
    expect(status).toMatchObject({
      name: 'fanOut',
      instanceId: started.id,
      runtimeStatus: 'Completed',
      input: [5, 6],
      output: 22,
    });
    expect(status.history.length).toBeGreaterThan(3);
    const missing = await host.fetch('/api/client/instances/nope');
    expect(missing.status).toBe(404);
  });

  it('raiseEvent, terminate and getStatusBy work through the client', async () => {
    const waiting = await startOrchestration(host, 'withCustomStatus');
    const forever = await startOrchestration(host, 'waitForever');
    await host.waitForInstance(waiting.id, { statuses: ['Running'] });
    await host.waitForInstance(forever.id, { statuses: ['Running'] });

    const running = await (await host.fetch('/api/client/instances?status=Running')).json();
    expect(running.map((s: any) => s.instanceId)).toEqual(expect.arrayContaining([waiting.id, forever.id]));

    const raised = await host.fetch(`/api/client/instances/${waiting.id}/events/continue`, {
      method: 'POST',
      headers: jsonHeaders,
      body: JSON.stringify({ via: 'client' }),
    });
    expect(raised.status).toBe(202);
    expect((await host.waitForInstance(waiting.id)).output).toBe(JSON.stringify({ via: 'client' }));

    const terminated = await host.fetch(`/api/client/instances/${forever.id}/terminate?reason=test`, {
      method: 'POST',
      headers: jsonHeaders,
    });
    expect(terminated.status).toBe(202);
    expect((await host.waitForInstance(forever.id)).runtimeStatus).toBe('Terminated');

    const all = await (await host.fetch('/api/client/instances')).json();
    expect(all.length).toBeGreaterThanOrEqual(2);
  });

  it('purgeInstanceHistory deletes a finished instance and reports 0 for unknown ones', async () => {
    const started = await startOrchestration(host, 'sequence');
    await host.waitForInstance(started.id);
    const purged = await (
      await host.fetch(`/api/client/instances/${started.id}`, { method: 'DELETE' })
    ).json();
    expect(purged).toEqual({ instancesDeleted: 1 });
    const again = await (
      await host.fetch(`/api/client/instances/${started.id}`, { method: 'DELETE' })
    ).json();
    expect(again.instancesDeleted).toBe(0);
  });
});
