/** What the host derives from a committed history, incrementally (durable/replay-state.ts). */
import { describe, expect, it } from 'vitest';
import { EventType, history, type HistoryEvent } from '../../../src/local-host/durable/history';
import { ReplayState, sdkReads, toSdkEvent } from '../../../src/local-host/durable/replay-state';

const t = (ms: number) => new Date(Date.UTC(2026, 10, 29, 9, 0, 0, ms));
const retry = {
  options: { firstRetryIntervalInMilliseconds: 10, maxNumberOfAttempts: 3 },
  attempt: 1,
  firstAttemptAt: 0,
};

function sample(): HistoryEvent[] {
  return [
    history.orchestratorStarted(t(0)),
    history.executionStarted(t(0), 'demo', null),
    history.taskScheduled(t(0), 0, 'plain', null),
    history.taskScheduled(t(0), 1, 'retried', null, retry),
    history.timerCreated(t(0), 2, t(500), { kind: 'user', path: '2' }),
    history.orchestratorCompleted(t(0)),
    history.orchestratorStarted(t(100)),
    history.taskCompleted(t(100), 0, '"done"'),
    history.orchestratorCompleted(t(100)),
  ];
}

describe('ReplayState', () => {
  it('indexes scheduling events, the tasks still outstanding and the last episode time', () => {
    const state = ReplayState.of(sample());
    expect([...state.scheduledById.keys()]).toEqual([0, 1, 2]);
    expect([...state.outstanding]).toEqual([1, 2]);
    expect(state.lastEpisodeAt).toBe(t(100).getTime());
    expect(state.length).toBe(9);
  });

  it('catches up with events appended to the same array, and only with those', () => {
    const events = sample();
    const first = ReplayState.of(events);
    events.push(history.orchestratorStarted(t(200)), history.timerFired(t(200), 2, t(500).toISOString()));
    const again = ReplayState.of(events);
    expect(again).toBe(first);
    expect([...again.outstanding]).toEqual([1]);
    expect(again.lastEpisodeAt).toBe(t(200).getTime());
    expect(again.length).toBe(11);
    // A different array (a reload from the store) gets its own state.
    expect(ReplayState.of([...events])).not.toBe(first);
  });

  it('hands the SDK only the events it reads, played, without host bookkeeping, with Date timestamps', () => {
    const state = ReplayState.of(sample());
    expect(state.sdkHistory.map((e) => e.EventType)).toEqual([
      EventType.OrchestratorStarted,
      EventType.ExecutionStarted,
      EventType.OrchestratorStarted,
      EventType.TaskCompleted,
    ]);
    expect(state.sdkHistory.every((e) => e.IsPlayed && e.Timestamp instanceof Date)).toBe(true);
    const scheduled = toSdkEvent(history.taskScheduled(t(0), 1, 'retried', null, retry), false);
    expect(scheduled).not.toHaveProperty('HostRetry');
    expect(scheduled.IsPlayed).toBe(false);
    expect(
      sdkReads(
        history.eventSent(t(0), 3, '@c@k', {
          id: 'r',
          op: 'get',
          signal: false,
          input: null,
          parent: 'p',
          parentExecution: 'e',
        }),
      ),
    ).toBe(true);
    expect(sdkReads(history.timerCreated(t(0), 2, t(1), { kind: 'user', path: '0' }))).toBe(false);
  });

  it('knows which events make the host allocate retry ids', () => {
    const events = sample();
    events.push(history.timerCreated(t(300), 3, t(310), { kind: 'retry', retryOf: 1, final: false }));
    const state = ReplayState.of(events);
    const failure = { reason: 'boom', details: '' };
    expect(state.needsRetryBookkeeping(history.taskFailed(t(400), 1, failure))).toBe(true);
    expect(state.needsRetryBookkeeping(history.taskFailed(t(400), 0, failure))).toBe(false);
    expect(state.needsRetryBookkeeping(history.timerFired(t(400), 3, t(310).toISOString()))).toBe(true);
    expect(state.needsRetryBookkeeping(history.timerFired(t(400), 2, t(500).toISOString()))).toBe(false);
    expect(state.needsRetryBookkeeping(history.eventRaised(t(400), 'go', null))).toBe(false);
  });
});
