/**
 * The replay harness the orchestration tests stand on: it completes activities by name, refuses
 * to guess which of several parallel calls a test meant, and refuses a name that is not pending.
 */
import { describe, expect, it } from 'vitest';
import { agentLoopOrchestration, type AgentLoopInput } from '../../../src/agents/orchestration/agent-loop';
import { DEFAULT_RETRY_POLICIES } from '../../../src/agents/retry';
import { SdkReplay } from './support/sdk-replay';
import { toolCallsTurn } from './support/turns';

const input: AgentLoopInput = {
  runId: 'run-1',
  agent: 'flights',
  task: 'go',
  maxTurns: 4,
  maxRepairs: 1,
  limits: { steps: 20, tokens: 10_000, wallTimeMs: 600_000, toolCalls: 5, money: 1 },
  startedAtMs: Date.parse('2027-01-01T00:00:00Z'),
  retry: DEFAULT_RETRY_POLICIES,
  writeTools: [],
};

/** A loop whose first turn asked for two parallel searches, both now pending. */
async function twoPendingCalls() {
  const replay = new SdkReplay(agentLoopOrchestration, 'run-1:flights:0', input);
  await replay.run();
  replay.completeActivity('agentTurn', toolCallsTurn('flights.search_flights', 'flights.search_flights'));
  await replay.run();
  return replay;
}

describe('SdkReplay.completeActivity', () => {
  it('refuses to guess which of two pending calls is meant', async () => {
    const replay = await twoPendingCalls();
    expect(() => replay.completeActivity('callTool', {})).toThrow(/2 "callTool" activities are pending/);
  });

  it('refuses an activity that is not pending, naming what is', async () => {
    const replay = await twoPendingCalls();
    expect(() => replay.completeActivity('agentTurn', {})).toThrow(/pending: callTool, callTool/);
    replay.completeActivity('callTool', {}, 1);
    expect(() => replay.completeActivity('callTool', {}, 1)).toThrow(
      /No pending "callTool" activity at index 1/,
    );
  });

  it('completes parallel calls by index, in the order they were scheduled', async () => {
    const replay = await twoPendingCalls();
    const result = (id: string) => ({
      ok: true,
      tool: 'flights.search_flights',
      data: id,
      replayed: false,
      durationMs: 1,
    });
    replay.completeActivity('callTool', result('second'), 1);
    replay.completeActivity('callTool', result('first'), 0);
    const [next] = replay.newActions(await replay.run());
    expect(next.functionName).toBe('agentTurn');
    expect((next.input as { toolResults: { toolCallId: string; content: string }[] }).toolResults).toEqual([
      { toolCallId: 'call_0', name: 'flights.search_flights', content: 'first' },
      { toolCallId: 'call_1', name: 'flights.search_flights', content: 'second' },
    ]);
  });
});
