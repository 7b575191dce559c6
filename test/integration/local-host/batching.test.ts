/**
 * Batching: one episode delivers every event waiting for an instance, as the Durable extension
 * does. These cases hold several events back (the instance is suspended meanwhile) so they are
 * delivered together, and check the outcome is what one-at-a-time delivery gives.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../../src/local-host/host';
import { EventType } from '../../../src/local-host/durable/history';
import { startHost, tempDir } from '../../support/local-host';

let host: LocalHost;

beforeAll(async () => {
  host = await startHost();
});
afterAll(async () => {
  await host.stop();
});

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function start(name: string, input: unknown): string {
  return host.engine.startInstance(name, { input: JSON.stringify(input) }).instanceId;
}

const episodes = (id: string) =>
  host.engine.history(id).filter((e) => e.EventType === EventType.OrchestratorStarted).length;
const queued = (id: string, type: EventType) =>
  host.engine.queuedEvents(id).filter((m) => m.event.EventType === type).length;

describe('several events in one episode', () => {
  it('delivers a raised event and an activity completion together', async () => {
    const id = start('eventAndWork', { logFile: join(tempDir(), 'steps.log'), delayMs: 200 });
    await host.engine.waitForStatus(id, { statuses: ['Running'] });
    expect(host.engine.suspend(id, 'hold')).toBe('accepted');
    expect(host.engine.raiseEvent(id, 'go', JSON.stringify('now'))).toBe('accepted');
    await until(() => queued(id, EventType.TaskCompleted) === 1);
    expect(queued(id, EventType.EventRaised)).toBe(1);

    const before = episodes(id);
    expect(host.engine.resume(id, 'go on')).toBe('accepted');
    const final = await host.engine.waitForStatus(id);
    expect(final.runtimeStatus).toBe('Completed');
    expect(JSON.parse(final.output!)).toEqual({ step: 1, go: 'now' });
    // The event opened the batch and the completion joined it: one more episode, not two.
    expect(episodes(id)).toBe(before + 1);
  });

  it('delivers an event and a due timer together, the event first as it arrived first', async () => {
    const id = start('timerAndEvent', { delayMs: 300 });
    await host.engine.waitForStatus(id, { statuses: ['Running'] });
    host.engine.suspend(id, 'hold');
    host.engine.raiseEvent(id, 'stop', JSON.stringify(42));
    // Wait until the timer is due too (it queues while the instance is suspended).
    await until(() => queued(id, EventType.TimerFired) === 1);
    expect(queued(id, EventType.EventRaised)).toBe(1);
    expect(queued(id, EventType.TimerFired)).toBe(1);

    const before = episodes(id);
    host.engine.resume(id, 'go on');
    const final = await host.engine.waitForStatus(id);
    expect(JSON.parse(final.output!)).toEqual({ winner: 'event', value: 42 });
    expect(episodes(id)).toBe(before + 1);
    expect(host.engine.queuedEvents(id)).toEqual([]);
  });

  it('keeps a termination that lands while a batch of completions is being delivered', async () => {
    const id = start('parallelSlow', { count: 40, delayMs: 30 });
    await until(() => host.engine.history(id).some((e) => e.EventType === EventType.TaskCompleted));
    expect(host.engine.terminate(id, 'enough')).toBe('accepted');
    const final = await host.engine.waitForStatus(id);
    expect(final.runtimeStatus).toBe('Terminated');
    // Completions still arriving are dropped; nothing runs for the instance again.
    await new Promise((r) => setTimeout(r, 500));
    expect(host.engine.getInstance(id)?.runtimeStatus).toBe('Terminated');
    expect(host.engine.history(id).at(-1)?.EventType).toBe(EventType.ExecutionTerminated);
    expect(host.engine.queuedEvents(id)).toEqual([]);
  });

  it('completes a wide fan-out in far fewer episodes than activities', async () => {
    const id = start(
      'fanOut',
      Array.from({ length: 200 }, (_, i) => i),
    );
    const final = await host.engine.waitForStatus(id, { timeoutMs: 30_000 });
    expect(JSON.parse(final.output!)).toBe(2 * ((199 * 200) / 2));
    expect(episodes(id)).toBeLessThan(200);
  });
});
