/**
 * Durable entities on the local host, against documented behaviour: the documentation's counter
 * entity, operations applied one at a time in arrival order, state persisted, callEntity answers
 * vs signalEntity (no answer), errors reaching the caller, DurableClient's signalEntity and
 * readEntityState, and the management API's entity endpoints with their documented shapes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import { join } from 'node:path';
import { repoRoot, startHost, testKeys, jsonHeaders } from '../../support/local-host';

let host: LocalHost;
const api = '/runtime/webhooks/durabletask';
const code = `code=${testKeys.systemKey}`;

beforeAll(async () => {
  // The stand-in for Microsoft's samples app runs with what the host cannot run switched off.
  process.env['AzureWebJobs.resizeUpload.Disabled'] = 'true';
  process.env['AzureWebJobs.sendSmsChallenge.Disabled'] = 'true';
  host = await startHost({ appDir: join(repoRoot, 'test/fixtures/samples-app') });
});
afterAll(async () => {
  delete process.env['AzureWebJobs.resizeUpload.Disabled'];
  delete process.env['AzureWebJobs.sendSmsChallenge.Disabled'];
  await host.stop();
});

async function run(name: string, input: unknown): Promise<unknown> {
  const record = host.engine.startInstance(name, { input: JSON.stringify(input) });
  const final = await host.engine.waitForStatus(record.instanceId, { timeoutMs: 20_000 });
  expect(final.runtimeStatus, final.output ?? '').toBe('Completed');
  return JSON.parse(final.output!);
}

async function signal(name: string, key: string, op: string, input?: unknown): Promise<Response> {
  return host.fetch(`${api}/entities/${name}/${key}?op=${op}&${code}`, {
    method: 'POST',
    headers: jsonHeaders,
    ...(input === undefined ? {} : { body: JSON.stringify(input) }),
  });
}

/** Reads an entity through the management API until `done` holds (operations run asynchronously). */
async function readUntil(name: string, key: string, done: (state: unknown) => boolean): Promise<unknown> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const response = await host.fetch(`${api}/entities/${name}/${key}?${code}`);
    const state = response.status === 200 ? ((await response.json()) as unknown) : undefined;
    if (state !== undefined && done(state)) return state;
    if (Date.now() > deadline) throw new Error(`entity ${name}/${key} is ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('durable entities', () => {
  it('runs the documentation counter through callEntity, one operation after another', async () => {
    expect(await run('counterCalls', { key: 'calls', amounts: [1, 2, 3, 4] })).toBe(10);
    // State is persisted: a second orchestration sees it.
    expect(await run('counterCalls', { key: 'calls', amounts: [5] })).toBe(15);
  });

  it('delivers an orchestration’s signals before its later call, in order, without answers', async () => {
    expect(await run('counterSignals', { key: 'signals', amounts: [10, 20, 30] })).toBe(60);
    const history = host.engine.history(
      host.engine.queryInstances({ instanceIdPrefix: '' }).instances.find((i) => i.name === 'counterSignals')!
        .instanceId,
    );
    // Three signals and one call are sent; only the call is answered.
    expect(history.filter((e) => e.EventType === 14)).toHaveLength(4);
    expect(history.filter((e) => e.EventType === 15)).toHaveLength(1);
  });

  it('applies operations strictly in arrival order', async () => {
    for (let i = 1; i <= 25; i++) expect((await signal('Journal', 'order', 'append', i)).status).toBe(202);
    const entries = await readUntil('Journal', 'order', (s) => Array.isArray(s) && s.length === 25);
    expect(entries).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
  });

  it('reports a failing operation to the calling orchestration and keeps the state', async () => {
    const result = (await run('journalFailure', 'failure')) as { caught: boolean; entries: unknown[] };
    expect(result.caught).toBe(true);
    expect(result.entries).toEqual(['before']);
  });

  it('calls entities and an activity at once', async () => {
    await signal('Counter', 'fan-a', 'add', 2);
    await signal('Counter', 'fan-b', 'add', 3);
    await readUntil('Counter', 'fan-b', (s) => s === 3);
    await readUntil('Counter', 'fan-a', (s) => s === 2);
    expect(await run('entitiesFanOut', 'fan')).toEqual({ a: 2, b: 3, hello: 'Hello entities!' });
  });

  it('passes signals an entity sends to their target', async () => {
    await signal('Journal', 'forwarder', 'forward', { name: 'Counter', key: 'forwarded', value: 7 });
    expect(await readUntil('Counter', 'forwarded', (s) => s === 7)).toBe(7);
  });

  it('deletes an entity that destructs itself', async () => {
    await signal('Journal', 'short-lived', 'append', 'x');
    await readUntil('Journal', 'short-lived', (s) => Array.isArray(s) && s.length === 1);
    await signal('Journal', 'short-lived', 'delete');
    const deadline = Date.now() + 10_000;
    while ((await host.fetch(`${api}/entities/Journal/short-lived?${code}`)).status !== 404) {
      if (Date.now() > deadline) throw new Error('entity still exists');
      await new Promise((r) => setTimeout(r, 25));
    }
  });

  it('DurableClient signals and reads entities', async () => {
    const missing = await (await host.fetch('/api/entity/Counter/client-missing')).json();
    expect(missing).toEqual({ entityExists: false, entityState: null });
    const signalled = await host.fetch('/api/entity/Counter/client/add', {
      method: 'POST',
      body: '41',
      headers: jsonHeaders,
    });
    expect(signalled.status).toBe(202);
    await host.fetch('/api/entity/Counter/client/add', { method: 'POST', body: '1', headers: jsonHeaders });
    await readUntil('Counter', 'client', (s) => s === 42);
    expect(await (await host.fetch('/api/entity/Counter/client')).json()).toEqual({
      entityExists: true,
      entityState: 42,
    });
  });

  it('lists entities by name with the documented shape, paged', async () => {
    for (const key of ['list-1', 'list-2', 'list-3']) await signal('Counter', key, 'add', 1);
    await readUntil('Counter', 'list-3', (s) => s === 1);
    await readUntil('Counter', 'list-1', (s) => s === 1);
    await readUntil('Counter', 'list-2', (s) => s === 1);
    const all = (await (await host.fetch(`${api}/entities/Counter?fetchState=true&${code}`)).json()) as {
      entityId: { name: string; key: string };
      lastOperationTime: string;
      state?: unknown;
    }[];
    const listed = all.filter((e) => e.entityId.key.startsWith('list-'));
    expect(listed.map((e) => e.entityId)).toEqual([
      { name: 'counter', key: 'list-1' },
      { name: 'counter', key: 'list-2' },
      { name: 'counter', key: 'list-3' },
    ]);
    expect(listed.every((e) => e.state === 1 && !Number.isNaN(Date.parse(e.lastOperationTime)))).toBe(true);

    const first = await host.fetch(`${api}/entities/Counter?top=2&${code}`);
    const token = first.headers.get('x-ms-continuation-token');
    expect(token).toBeTruthy();
    expect(((await first.json()) as { state?: unknown }[]).every((e) => !('state' in e))).toBe(true);
    const second = await host.fetch(`${api}/entities/Counter?top=2&${code}`, {
      headers: { 'x-ms-continuation-token': token! },
    });
    expect(second.status).toBe(200);
  });

  it('answers bad entity requests with 4xx', async () => {
    expect((await signal('NoSuchEntity', 'k', 'add', 1)).status).toBe(404);
    expect(
      (await host.fetch(`${api}/entities/Counter/k?${code}`, { method: 'POST', headers: jsonHeaders }))
        .status,
    ).toBe(400);
    expect((await host.fetch(`${api}/entities/Counter/never-used?${code}`)).status).toBe(404);
    expect(
      (
        await host.fetch(`${api}/entities/Counter/k?op=add&${code}`, {
          method: 'POST',
          body: '{',
          headers: jsonHeaders,
        })
      ).status,
    ).toBe(400);
    expect((await host.fetch(`${api}/entities/Counter/k?${code}`, { method: 'DELETE' })).status).toBe(405);
    // The management API needs a key, as every other management call does.
    expect((await host.fetch(`${api}/entities/Counter/k`)).status).toBe(401);
  });

  it('holds an entity in a critical section: others wait until the release', async () => {
    const id = host.engine.startInstance('journalSection', { input: JSON.stringify('section') }).instanceId;
    await readUntil('Journal', 'section', (s) => Array.isArray(s) && s.length === 1);
    expect((await signal('Journal', 'section', 'append', 'outside')).status).toBe(202);
    await new Promise((r) => setTimeout(r, 400));
    // Locked: the outside operation has not run.
    expect(await (await host.fetch(`${api}/entities/Journal/section?${code}`)).json()).toEqual(['first']);
    expect(host.engine.raiseEvent(id, 'continue', null)).toBe('accepted');
    const final = await host.engine.waitForStatus(id, { timeoutMs: 20_000 });
    expect(final.runtimeStatus).toBe('Completed');
    // Released: the waiting operation ran next, before the orchestration's own read.
    expect(JSON.parse(final.output!)).toEqual(['first', 'second', 'outside']);
  });

  it('runs sections over the same entities in either order without deadlock', async () => {
    await signal('Counter', 'acct-a', 'add', 100);
    await signal('Counter', 'acct-b', 'add', 100);
    await readUntil('Counter', 'acct-a', (s) => s === 100);
    await readUntil('Counter', 'acct-b', (s) => s === 100);
    const ids = Array.from(
      { length: 6 },
      (_, i) =>
        host.engine.startInstance('transfer', {
          input: JSON.stringify(
            i % 2
              ? { from: 'acct-a', to: 'acct-b', amount: 10 }
              : { from: 'acct-b', to: 'acct-a', amount: 25 },
          ),
        }).instanceId,
    );
    for (const id of ids) {
      expect((await host.engine.waitForStatus(id, { timeoutMs: 20_000 })).runtimeStatus).toBe('Completed');
    }
    const a = (await (await host.fetch(`${api}/entities/Counter/acct-a?${code}`)).json()) as number;
    const b = (await (await host.fetch(`${api}/entities/Counter/acct-b?${code}`)).json()) as number;
    // Money is neither made nor lost, whatever order the sections ran in.
    expect(a + b).toBe(200);
    expect(a).toBe(100 + 3 * 25 - 3 * 10);
  });

  it('releases an entity when the orchestration holding it is terminated', async () => {
    const id = host.engine.startInstance('journalSection', {
      input: JSON.stringify('terminated'),
    }).instanceId;
    await readUntil('Journal', 'terminated', (s) => Array.isArray(s) && s.length === 1);
    expect(host.engine.terminate(id, 'stop')).toBe('accepted');
    await signal('Journal', 'terminated', 'append', 'after');
    expect(await readUntil('Journal', 'terminated', (s) => Array.isArray(s) && s.length === 2)).toEqual([
      'first',
      'after',
    ]);
  });
});
