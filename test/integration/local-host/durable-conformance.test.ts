/**
 * Conformance of the local host against documented Durable Functions behaviour, driven through a
 * plain JavaScript app (test/fixtures/durable-app) and the unmodified DurableClient it uses.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import { waitUntil } from '../../support/wait-until';
import {
  committedCompletions,
  pollUntilDone,
  startHost,
  startOrchestration,
  tempDir,
  testKeys,
  jsonHeaders,
} from '../../support/local-host';

let host: LocalHost;
const attempts = () => (globalThis as any).__conformanceAttempts as Map<string, number[]>;

beforeAll(async () => {
  host = await startHost();
});
afterAll(async () => {
  await host.stop();
});

async function run(name: string, input?: unknown, timeoutMs?: number) {
  const started = await startOrchestration(host, name, input);
  const final = await pollUntilDone(started.statusQueryGetUri, timeoutMs);
  return { ...final, id: started.id };
}

describe('activities', () => {
  it('runs a sequence of activities in order (helloSequence)', async () => {
    const { status, body } = await run('sequence');
    expect(status).toBe(200);
    expect(body.runtimeStatus).toBe('Completed');
    expect(body.output).toEqual(['Hello Tokyo!', 'Hello Seattle!', 'Hello London!']);
  });

  it('fans out and in with Task.all', async () => {
    const numbers = Array.from({ length: 25 }, (_, i) => i + 1);
    const { body } = await run('fanOut', numbers);
    expect(body.runtimeStatus).toBe('Completed');
    expect(body.output).toBe(numbers.reduce((a, n) => a + 2 * n, 0));
  });

  it('surfaces an activity failure in the orchestrator as the SDK error, and fails the instance when uncaught', async () => {
    const caught = await run('caughtFailure');
    // With failure details (durable-functions 3.5): a TaskFailedError, "<error type>: <message>".
    expect(caught.body.output.caught).toBe('Error: expected failure');

    const uncaught = await run('uncaughtFailure');
    expect(uncaught.status).toBe(200);
    expect(uncaught.body.runtimeStatus).toBe('Failed');
    expect(uncaught.body.output).toContain("Orchestrator function 'uncaughtFailure' failed");
    expect(uncaught.body.output).toContain('boom from activity');
  });

  it('fails an instance whose orchestrator code throws', async () => {
    const { body } = await run('throwsDirectly');
    expect(body.runtimeStatus).toBe('Failed');
    expect(body.output).toContain('orchestrator code threw');
  });

  it('fails a non-deterministic orchestrator with a clear error', async () => {
    const { body } = await run('nondeterministic');
    expect(body.runtimeStatus).toBe('Failed');
    expect(body.output).toMatch(/Non-deterministic orchestrator 'nondeterministic': action 0 was "0:double"/);
  });
});

describe('callActivityWithRetry', () => {
  it('retries with exponential backoff and succeeds', async () => {
    const key = `backoff-${Date.now()}`;
    const { body } = await run('retrying', {
      key,
      failTimes: 3,
      retry: { first: 200, attempts: 5, coefficient: 2 },
    });
    expect(body.output).toEqual({ ok: true, result: { attempts: 4 } });
    const times = attempts().get(key)!;
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    expect(gaps).toHaveLength(3);
    // 200, 400, 800 ms: never early (which also proves the growth), and not grossly late even on
    // a loaded two-core CI machine.
    [200, 400, 800].forEach((expected, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected - 5);
      expect(gaps[i]).toBeLessThan(expected + 1500);
    });
  });

  it('keeps task ids straight when several retrying tasks and a sub-orchestration retry interleave', async () => {
    const prefix = `parallel-${Date.now()}`;
    const { body } = await run('parallelRetries', { prefix });
    expect(body.runtimeStatus).toBe('Completed');
    expect(body.output).toEqual({
      a: { attempts: 3 },
      b: { attempts: 2 },
      greeting: 'Hello in between!',
      after: 10,
      child: 'child succeeded on attempt 2',
    });
  });

  it('caps the delay at maxRetryIntervalInMilliseconds', async () => {
    const key = `cap-${Date.now()}`;
    await run('retrying', {
      key,
      failTimes: 3,
      retry: { first: 150, attempts: 4, coefficient: 3, maxInterval: 250 },
    });
    const times = attempts().get(key)!;
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    [150, 250, 250].forEach((expected, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected - 5);
      expect(gaps[i]).toBeLessThan(expected + 1500);
    });
  });

  it('gives up after maxNumberOfAttempts with the last error', async () => {
    const key = `exhaust-${Date.now()}`;
    const { body } = await run('retrying', { key, failTimes: 99, retry: { first: 50, attempts: 3 } });
    expect(body.output.ok).toBe(false);
    expect(body.output.message).toContain('flaky attempt 3 failed');
    expect(attempts().get(key)).toHaveLength(3);
  });

  it('stops retrying once the retry timeout has passed', async () => {
    const key = `timeout-${Date.now()}`;
    // Attempts at ~0, ~100, ~1100 and ~4100 ms (delays 100, 1000, then capped at 3000): the 2000 ms
    // timeout passes between the third and fourth failures, wide margins either side.
    const { body } = await run('retrying', {
      key,
      failTimes: 99,
      retry: { first: 100, attempts: 10, coefficient: 10, maxInterval: 3000, timeout: 2000 },
    });
    expect(body.output.ok).toBe(false);
    expect(body.output.message).toContain('flaky attempt 4 failed');
    expect(attempts().get(key)).toHaveLength(4);
  });
});

describe('timers and external events', () => {
  it('fires a durable timer no earlier than requested', async () => {
    const started = Date.now();
    const { body } = await run('timer', { delayMs: 600 });
    expect(body.runtimeStatus).toBe('Completed');
    expect(body.output.elapsedMs).toBeGreaterThanOrEqual(600);
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
  });

  it('delivers an external event that wins a race against a timer', async () => {
    const started = await startOrchestration(host, 'eventOrTimeout', { timeoutMs: 10_000 });
    await host.waitForInstance(started.id, { statuses: ['Running'] });
    const raised = await fetch(started.sendEventPostUri.replace('{eventName}', 'go'), {
      method: 'POST',
      body: JSON.stringify({ approved: true }),
      headers: { 'content-type': 'application/json' },
    });
    expect(raised.status).toBe(202);
    const { body } = await pollUntilDone(started.statusQueryGetUri);
    expect(body.output).toEqual({ outcome: 'event', data: { approved: true } });
  });

  it('takes a cancelled timer off the queue while the orchestration goes on', async () => {
    const started = await startOrchestration(host, 'cancelThenWait');
    await host.waitForInstance(started.id, { statuses: ['Running'] });
    const timers = () => host.engine.queuedEvents(started.id).filter((m) => m.event.EventType === 11);
    expect(timers()).toHaveLength(1);
    await fetch(started.sendEventPostUri.replace('{eventName}', 'go'), {
      method: 'POST',
      body: '1',
      headers: jsonHeaders,
    });
    const deadline = Date.now() + 5000;
    while (timers().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(timers()).toHaveLength(0);
    expect(host.engine.getInstance(started.id)?.runtimeStatus).toBe('Running');
    await fetch(started.sendEventPostUri.replace('{eventName}', 'finish'), {
      method: 'POST',
      headers: jsonHeaders,
      body: '"done"',
    });
    expect((await pollUntilDone(started.statusQueryGetUri)).body.output).toBe('done');
  });

  it('lets the timer win when no event comes', async () => {
    const { body } = await run('eventOrTimeout', { timeoutMs: 300 });
    expect(body.output).toEqual({ outcome: 'timeout' });
  });

  it('holds an event raised before the orchestrator waits for it', async () => {
    const started = await startOrchestration(host, 'twoEvents');
    const url = (name: string) => started.sendEventPostUri.replace('{eventName}', name);
    // "second" arrives first; the SDK keeps it until the orchestrator asks.
    expect((await fetch(url('second'), { method: 'POST', body: '"B"', headers: jsonHeaders })).status).toBe(
      202,
    );
    expect((await fetch(url('first'), { method: 'POST', body: '"A"', headers: jsonHeaders })).status).toBe(
      202,
    );
    const { body } = await pollUntilDone(started.statusQueryGetUri);
    expect(body.output).toEqual(['A', 'B']);
  });
});

describe('sub-orchestrations, continue-as-new, custom status', () => {
  it('runs sub-orchestrations (auto and explicit ids) and propagates a child failure after retries', async () => {
    const { body, id } = await run('parent');
    expect(body.runtimeStatus).toBe('Completed');
    expect(body.output.results).toEqual([`child of ${id} got {"n":1}`, `child of ${id} got {"n":2}`]);
    expect(body.output.failure).toContain('child failed');
    const child = await host.fetch(
      `/runtime/webhooks/durabletask/instances/${id}-fixed-child?code=${testKeys.systemKey}`,
    );
    expect(child.status).toBe(200);
    expect((await child.json()).runtimeStatus).toBe('Completed');
  });

  it('continues as new with fresh history until done', async () => {
    const { body, id } = await run('counter', { value: 1, round: 0, rounds: 5 });
    expect(body.runtimeStatus).toBe('Completed');
    expect(body.output).toEqual({ value: 32, rounds: 5 });
    expect(body.input).toEqual({ value: 16, round: 4, rounds: 5 });
    // Only the last execution's history is kept.
    const history = host.engine.history(id);
    expect(history.filter((e) => e.EventType === 0)).toHaveLength(1);
  });

  it('never delivers an abandoned sub-orchestration result to a later execution', async () => {
    const { body } = await run('abandonChild', { round: 0 });
    expect(body.runtimeStatus).toBe('Completed');
    expect(body.output).toBe(600);
  });

  it('starts each new execution first, then delivers events queued across continue-as-new', async () => {
    const started = await startOrchestration(host, 'tickCounter', { count: 0, target: 3 });
    const tick = () =>
      fetch(started.sendEventPostUri.replace('{eventName}', 'tick'), {
        method: 'POST',
        body: '1',
        headers: jsonHeaders,
      });
    await Promise.all([tick(), tick(), tick()]);
    const { body } = await pollUntilDone(started.statusQueryGetUri);
    expect(body.output).toBe(3);
    const history = host.engine.history(started.id).map((e) => e.EventType);
    expect(history.slice(0, 2)).toEqual([12, 0]); // OrchestratorStarted, ExecutionStarted
  });

  it('exposes custom status while running', async () => {
    const started = await startOrchestration(host, 'withCustomStatus');
    await host.waitForInstance(started.id, { statuses: ['Running'] });
    const running = await fetch(started.statusQueryGetUri);
    expect(running.status).toBe(202);
    expect(running.headers.get('location')).toBe(started.statusQueryGetUri);
    expect((await running.json()).customStatus).toEqual({ stage: 'waiting', progress: 0.5 });
    await fetch(started.sendEventPostUri.replace('{eventName}', 'continue'), {
      method: 'POST',
      headers: jsonHeaders,
      body: '{"x":1}',
    });
    const { body } = await pollUntilDone(started.statusQueryGetUri);
    expect(body.customStatus).toEqual({ stage: 'done' });
    expect(body.output).toEqual({ x: 1 });
  });
});

describe('terminate and purge', () => {
  it('terminates a running instance, then refuses events with 410', async () => {
    const started = await startOrchestration(host, 'waitForever');
    await host.waitForInstance(started.id, { statuses: ['Running'] });
    const terminated = await fetch(started.terminatePostUri.replace('{text}', 'no%20longer%20needed'), {
      method: 'POST',
      headers: jsonHeaders,
    });
    expect(terminated.status).toBe(202);
    const { body } = await pollUntilDone(started.statusQueryGetUri);
    expect(body.runtimeStatus).toBe('Terminated');
    expect(body.output).toBe('no longer needed');
    const again = await fetch(started.terminatePostUri.replace('{text}', 'again'), {
      method: 'POST',
      headers: jsonHeaders,
    });
    expect(again.status).toBe(410);
    const event = await fetch(started.sendEventPostUri.replace('{eventName}', 'never'), {
      method: 'POST',
      headers: jsonHeaders,
      body: '1',
    });
    expect(event.status).toBe(410);
  });

  it('keeps a termination that lands while an episode is running', async () => {
    const started = await startOrchestration(host, 'slowEpisodes');
    await new Promise((r) => setTimeout(r, 100)); // the first episode is inside its 300 ms hook
    const terminated = await fetch(started.terminatePostUri.replace('{text}', 'mid-episode'), {
      method: 'POST',
      headers: jsonHeaders,
    });
    expect(terminated.status).toBe(202);
    const status = await waitUntil('the instance to be terminated', async () => {
      const body = await (await fetch(started.statusQueryGetUri)).json();
      return body.runtimeStatus === 'Running' || body.runtimeStatus === 'Pending' ? undefined : body;
    });
    expect(status).toMatchObject({ runtimeStatus: 'Terminated', output: 'mid-episode' });
    expect(host.engine.history(started.id).at(-1)?.EventType).toBe(3); // ExecutionTerminated
  });

  it('purges finished instances by filter, leaving running ones', async () => {
    const since = new Date().toISOString();
    const a = await run('sequence');
    const b = await run('sequence');
    const running = await startOrchestration(host, 'waitForever');
    const purged = await host.fetch(
      `/runtime/webhooks/durabletask/instances?runtimeStatus=Completed,Running&createdTimeFrom=${since}&code=${testKeys.systemKey}`,
      { method: 'DELETE' },
    );
    expect(purged.status).toBe(200);
    expect((await purged.json()).instancesDeleted).toBe(2);
    expect(host.engine.getInstance(a.id)).toBeUndefined();
    expect(host.engine.getInstance(b.id)).toBeUndefined();
    expect(host.engine.getInstance(running.id)).toBeDefined();
    await fetch(running.terminatePostUri.replace('{text}', 'cleanup'), {
      method: 'POST',
      headers: jsonHeaders,
    });
  });

  it('suspends an instance (events wait) and resumes it', async () => {
    const started = await startOrchestration(host, 'withCustomStatus');
    await host.waitForInstance(started.id, { statuses: ['Running'] });
    const suspend = await host.fetch(
      `/runtime/webhooks/durabletask/instances/${started.id}/suspend?reason=hold&code=${testKeys.systemKey}`,
      {
        method: 'POST',
        headers: jsonHeaders,
      },
    );
    expect(suspend.status).toBe(202);
    await fetch(started.sendEventPostUri.replace('{eventName}', 'continue'), {
      method: 'POST',
      headers: jsonHeaders,
      body: '"go"',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect((await (await fetch(started.statusQueryGetUri)).json()).runtimeStatus).toBe('Suspended');
    const resume = await host.fetch(
      `/runtime/webhooks/durabletask/instances/${started.id}/resume?reason=go&code=${testKeys.systemKey}`,
      {
        method: 'POST',
        headers: jsonHeaders,
      },
    );
    expect(resume.status).toBe(202);
    const { body } = await pollUntilDone(started.statusQueryGetUri);
    expect(body).toMatchObject({ runtimeStatus: 'Completed', output: 'go' });
  });

  it('purges a finished instance; it is then unknown', async () => {
    const { id } = await run('sequence');
    const url = `/runtime/webhooks/durabletask/instances/${id}?code=${testKeys.systemKey}`;
    const purged = await host.fetch(url, { method: 'DELETE' });
    expect(purged.status).toBe(200);
    expect(await purged.json()).toEqual({ instancesDeleted: 1 });
    expect((await host.fetch(url)).status).toBe(404);
    expect((await host.fetch(url, { method: 'DELETE' })).status).toBe(404);
  });

  it('does not purge a running instance (404, as DurableClient expects), nor by a non-terminal filter', async () => {
    const finished = await run('sequence');
    const started = await startOrchestration(host, 'waitForever');
    await host.waitForInstance(started.id, { statuses: ['Running'] });
    const purge = await host.fetch(
      `/runtime/webhooks/durabletask/instances/${started.id}?code=${testKeys.systemKey}`,
      {
        method: 'DELETE',
      },
    );
    expect(purge.status).toBe(404);
    expect((await purge.json()).error.code).toBe('instance_running');
    const byFilter = await host.fetch(
      `/runtime/webhooks/durabletask/instances?runtimeStatus=Running&code=${testKeys.systemKey}`,
      {
        method: 'DELETE',
      },
    );
    expect(byFilter.status).toBe(404);
    // Regression: a non-terminal filter once purged every finished instance.
    expect(host.engine.getInstance(finished.id)?.runtimeStatus).toBe('Completed');
    expect(host.engine.getInstance(started.id)?.runtimeStatus).toBe('Running');
    await fetch(started.terminatePostUri.replace('{text}', 'cleanup'), {
      method: 'POST',
      headers: jsonHeaders,
    });
  });
});

describe('management API', () => {
  const api = (path: string) =>
    `/runtime/webhooks/durabletask/${path}${path.includes('?') ? '&' : '?'}code=${testKeys.systemKey}`;

  it('starts an instance with a chosen id, and reports 409 while it runs', async () => {
    const id = `chosen-${Date.now()}`;
    const first = await host.fetch(api(`orchestrators/waitForever/${id}`), {
      method: 'POST',
      headers: jsonHeaders,
    });
    expect(first.status).toBe(202);
    expect((await first.json()).id).toBe(id);
    expect(first.headers.get('location')).toContain(`/instances/${id}?`);
    const second = await host.fetch(api(`orchestrators/waitForever/${id}`), {
      method: 'POST',
      headers: jsonHeaders,
    });
    expect(second.status).toBe(409);
    await host.fetch(api(`instances/${id}/terminate?reason=done`), { method: 'POST', headers: jsonHeaders });
  });

  it('shows history, input and output on request', async () => {
    const { id } = await run('sequence');
    const response = await host.fetch(api(`instances/${id}?showHistory=true&showHistoryOutput=true`));
    const body = await response.json();
    expect(response.status).toBe(200);
    const types = body.historyEvents.map((e: { EventType: string }) => e.EventType);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.filter((t: string) => t === 'TaskScheduled')).toHaveLength(3);
    expect(types.at(-1)).toBe('ExecutionCompleted');
    expect(body.historyEvents.find((e: any) => e.EventType === 'TaskCompleted').Result).toBe('Hello Tokyo!');
  });

  it('lists and filters instances with paging', async () => {
    await run('sequence');
    const completed = await host.fetch(api('instances?runtimeStatus=Completed&top=2'));
    expect(completed.status).toBe(200);
    const page = await completed.json();
    expect(page).toHaveLength(2);
    expect(page.every((s: any) => s.runtimeStatus === 'Completed')).toBe(true);
    const token = completed.headers.get('x-ms-continuation-token');
    expect(token).toBeTruthy();
    const next = await host.fetch(api('instances?runtimeStatus=Completed&top=2'), {
      headers: { 'x-ms-continuation-token': token! },
    });
    const nextPage = await next.json();
    expect(nextPage.map((s: any) => s.instanceId)).not.toContain(page[0].instanceId);
  });

  it('answers bad input with clear 4xx errors and keeps running', async () => {
    const cases: [string, RequestInit, number][] = [
      [api('instances/does-not-exist'), {}, 404],
      [
        api('instances/does-not-exist/raiseEvent/x'),
        { method: 'POST', body: '1', headers: jsonHeaders },
        404,
      ],
      [api('instances/does-not-exist/terminate'), { method: 'POST', headers: jsonHeaders }, 404],
      [api('orchestrators/sequence'), { method: 'POST', body: '{not json', headers: jsonHeaders }, 400],
      [api('orchestrators/noSuchOrchestrator'), { method: 'POST', headers: jsonHeaders }, 400],
      [api('instances?runtimeStatus=Sleeping'), {}, 400],
      [api('instances/x'), { method: 'PUT', headers: jsonHeaders }, 405],
      [api('instances/x/restart'), { method: 'POST', headers: jsonHeaders }, 400],
      [
        api('instances/x/restart?restartWithNewInstanceId=maybe'),
        { method: 'POST', headers: jsonHeaders },
        400,
      ],
      ['/runtime/webhooks/durabletask/instances/x', {}, 401],
      ['/runtime/webhooks/durabletask/instances/x?code=wrong', {}, 401],
    ];
    for (const [path, init, expected] of cases) {
      const response = await host.fetch(path, init);
      expect({ path, status: response.status }).toEqual({ path, status: expected });
      const body = await response.json();
      expect(body.error.code).toEqual(expect.any(String));
      expect(body.error.message).toEqual(expect.any(String));
    }
    // Rewind answers with text, which the DurableClient puts into its error's message as is.
    const rewind = await host.fetch(api('instances/x/rewind'), { method: 'POST', headers: jsonHeaders });
    expect(rewind.status).toBe(404);
    expect(await rewind.json()).toBe("No instance with ID 'x' found.");
    const started = await startOrchestration(host, 'withCustomStatus');
    const badEvent = await fetch(started.sendEventPostUri.replace('{eventName}', 'continue'), {
      method: 'POST',
      headers: jsonHeaders,
      body: '{oops',
    });
    expect(badEvent.status).toBe(400);
    expect((await run('sequence')).body.runtimeStatus).toBe('Completed');
    await fetch(started.terminatePostUri.replace('{text}', 'cleanup'), {
      method: 'POST',
      headers: jsonHeaders,
    });
  });
});

describe('bounded concurrency', () => {
  it('never runs more activities at once than maxConcurrentActivities', async () => {
    const bounded = await startHost({ maxConcurrentActivities: 2 });
    try {
      const concurrency = (globalThis as any).__conformanceConcurrency as { running: number; peak: number };
      concurrency.peak = 0;
      const started = await startOrchestration(bounded, 'parallelSlow', { count: 8, delayMs: 100 });
      const final = await bounded.waitForInstance(started.id);
      expect(final.output).toBe('8');
      expect(concurrency.peak).toBe(2);
    } finally {
      await bounded.stop();
    }
  });
});

describe('in-process kill and restart (LocalHost.kill)', () => {
  it('resumes from the same store file, committed activities are not repeated', async () => {
    const dir = tempDir('waypoint-kill-');
    const storePath = join(dir, 'durable.sqlite');
    const logFile = join(dir, 'steps.log');
    const first = await startHost({ storePath });
    const started = await startOrchestration(first, 'slowSequence', { logFile, steps: 4, delayMs: 150 });
    const steps = () =>
      existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').map(Number) : [];
    while (steps().length < 2) await new Promise((r) => setTimeout(r, 20));
    first.kill();
    const committed = committedCompletions(storePath, started.id);
    expect(committed).toBeGreaterThanOrEqual(1);

    const second = await startHost({ storePath });
    try {
      const final = await second.waitForInstance(started.id);
      expect(final.runtimeStatus).toBe('Completed');
      expect(JSON.parse(final.output!)).toEqual([1, 2, 3, 4]);
      for (let step = 1; step <= committed; step++) expect(steps().filter((s) => s === step)).toHaveLength(1);
    } finally {
      await second.stop();
    }
  });
});
