/**
 * The durable agent loop, driven without a host by the durable-functions SDK replaying synthetic
 * histories: one agentTurn activity per model turn, one callTool activity per tool call with a
 * key from the conversation and the step, only what is new in each turn's input, budgets checked
 * before every step, bounded repair turns.
 */
import { describe, expect, it } from 'vitest';
import type { AgentTurnInput, CallToolInput, CallToolOutput } from '../../../src/agents/contracts';
import {
  agentLoopOrchestration,
  agentLoopResultSchema,
  type AgentLoopInput,
} from '../../../src/agents/orchestration/agent-loop';
import { DEFAULT_RETRY_POLICIES } from '../../../src/agents/retry';
import { toolCallKey } from '../../../src/domain/idempotency-keys';
import { ACTION, SdkReplay } from './support/sdk-replay';
import { finalTurn, toolCallsTurn } from './support/turns';

const INSTANCE = 'run-1:flights:0';
const input = (over: Partial<AgentLoopInput> = {}): AgentLoopInput => ({
  runId: 'run-1',
  agent: 'flights',
  task: '{"origin":"SEA","destination":"FTE"}',
  maxTurns: 4,
  maxRepairs: 1,
  limits: { steps: 20, tokens: 10_000, wallTimeMs: 600_000, toolCalls: 5, money: 1 },
  startedAtMs: Date.parse('2027-01-01T00:00:00Z'),
  retry: DEFAULT_RETRY_POLICIES,
  writeTools: ['bookings.book_flight'],
  ...over,
});

const toolOk = (tool: string, data: unknown): CallToolOutput => ({
  ok: true,
  tool,
  data,
  replayed: false,
  durationMs: 5,
});

describe('agent loop progress while it waits', () => {
  // A hung model used to leave the run "running" with no step at all until the loop ended.
  it('publishes its waiting turn as a running step before it waits on the model', async () => {
    const replay = new SdkReplay(agentLoopOrchestration, INSTANCE, input());
    const state = await replay.run();
    expect(state.customStatus).toMatchObject({
      agent: 'flights',
      steps: [{ kind: 'agent', name: 'flights turn 1', status: 'running' }],
    });
    replay.completeActivity('agentTurn', toolCallsTurn('flights.search_flights'));
    const waiting = await replay.run();
    expect(waiting.customStatus).toMatchObject({
      steps: [
        { name: 'flights turn 1', status: 'completed' },
        { kind: 'tool', name: 'flights.search_flights', status: 'running' },
      ],
    });
  });
});

describe('agent loop under the SDK', () => {
  it('turn → parallel tool calls → turn with only the results → answer', async () => {
    const replay = new SdkReplay(agentLoopOrchestration, INSTANCE, input());
    let state = await replay.run();
    const [turn0] = replay.newActions(state);
    expect(state.isDone).toBe(false);
    expect(turn0).toMatchObject({ actionType: ACTION.callActivityWithRetry, functionName: 'agentTurn' });
    expect(turn0.input).toEqual({
      runId: 'run-1',
      conversationId: INSTANCE,
      agent: 'flights',
      turn: 0,
      task: '{"origin":"SEA","destination":"FTE"}',
    } satisfies AgentTurnInput);
    expect(turn0.retryOptions?.maxNumberOfAttempts).toBe(DEFAULT_RETRY_POLICIES.model.maxAttempts);

    replay.completeActivity('agentTurn', toolCallsTurn('flights.search_flights', 'bookings.book_flight'));
    state = await replay.run();
    const calls = replay.newActions(state);
    expect(calls.map((a) => a.functionName)).toEqual(['callTool', 'callTool']);
    expect(state.actions[0].at(-1)?.actionType).toBe(ACTION.whenAll);
    const [read, write] = calls.map((a) => a.input as CallToolInput);
    expect(read).toMatchObject({
      tool: 'flights.search_flights',
      idempotencyKey: toolCallKey(INSTANCE, 't0/c0'),
      toolCallId: 'call_0',
    });
    expect(write.idempotencyKey).toBe(toolCallKey(INSTANCE, 't0/c1'));
    expect(read.idempotencyKey).not.toBe(write.idempotencyKey);
    // A write tool retries with the write policy (it must outlast the stale window).
    expect(calls[0].retryOptions?.maxNumberOfAttempts).toBe(DEFAULT_RETRY_POLICIES.toolRead.maxAttempts);
    expect(calls[1].retryOptions?.maxNumberOfAttempts).toBe(DEFAULT_RETRY_POLICIES.toolWrite.maxAttempts);

    // Replaying the same history gives the same actions (deterministic keys and inputs).
    expect(replay.newActions(await replay.run())).toEqual(calls);

    replay.completeActivity('callTool', toolOk('flights.search_flights', { offers: [1, 2] }), 0);
    replay.completeActivity('callTool', toolOk('bookings.book_flight', 'booked'), 1);
    state = await replay.run();
    const [turn1] = replay.newActions(state);
    // Only what is new: the tool results, not the task or the earlier turns again.
    expect(turn1.input).toEqual({
      runId: 'run-1',
      conversationId: INSTANCE,
      agent: 'flights',
      turn: 1,
      toolResults: [
        { toolCallId: 'call_0', name: 'flights.search_flights', content: '{"offers":[1,2]}' },
        { toolCallId: 'call_1', name: 'bookings.book_flight', content: 'booked' },
      ],
    });

    replay.completeActivity('agentTurn', finalTurn({ found: true }));
    state = await replay.run();
    expect(state.isDone).toBe(true);
    const result = agentLoopResultSchema.parse(state.output);
    // Two model turns were taken (regression: `turns` once said 1, the last turn's index).
    expect(result).toMatchObject({ status: 'completed', output: { found: true }, turns: 2 });
    expect(result.usage).toMatchObject({
      steps: 4,
      tokens: 240,
      toolCalls: 2,
      modelCost: 0.002,
      money: 0.002,
    });
    expect(result.usage.wallTimeMs).toBe(3_000);
    expect(result.steps.map((s) => [s.kind, s.name, s.status])).toEqual([
      ['agent', 'flights turn 1', 'completed'],
      ['tool', 'flights.search_flights', 'completed'],
      ['tool', 'bookings.book_flight', 'completed'],
      ['agent', 'flights turn 2', 'completed'],
    ]);
  });

  it('stops before tool calls that would not fit the step budget, and calls no tool', async () => {
    const replay = new SdkReplay(
      agentLoopOrchestration,
      INSTANCE,
      input({ limits: { ...input().limits, steps: 2 } }),
    );
    await replay.run();
    replay.completeActivity('agentTurn', toolCallsTurn('flights.search_flights', 'flights.search_flights'));
    const state = await replay.run();
    expect(replay.newActions(state)).toEqual([]);
    expect(state.isDone).toBe(true);
    const result = agentLoopResultSchema.parse(state.output);
    expect(result.status).toBe('budget_exceeded');
    expect(result.breach).toEqual({ budget: 'steps', limit: 2, used: 3 });
    expect(result.usage.toolCalls).toBe(0);
  });

  it('answers a tool call with unreadable arguments with an error, and never runs it', async () => {
    const replay = new SdkReplay(agentLoopOrchestration, INSTANCE, input());
    await replay.run();
    const turn = toolCallsTurn('flights.search_flights', 'flights.search_flights');
    if (turn.kind !== 'tool_calls') throw new Error('unreachable');
    turn.toolCalls[1] = { ...turn.toolCalls[1], invalidArguments: '{"origin": SEA' };
    replay.completeActivity('agentTurn', turn);
    const calls = replay.newActions(await replay.run());
    expect(calls.map((c) => (c.input as CallToolInput).toolCallId)).toEqual(['call_0']);
    replay.completeActivity('callTool', toolOk('flights.search_flights', { offers: [] }));
    const [next] = replay.newActions(await replay.run());
    expect((next.input as AgentTurnInput).toolResults).toEqual([
      { toolCallId: 'call_0', name: 'flights.search_flights', content: '{"offers":[]}' },
      {
        toolCallId: 'call_1',
        name: 'flights.search_flights',
        content: expect.stringContaining('"code":"invalid_arguments"'),
      },
    ]);
  });

  // Regression: a zero token or money share once still made one model call.
  it('a zero token or money share stops the loop before any model call', async () => {
    for (const limits of [{ tokens: 0 }, { money: 0 }]) {
      const replay = new SdkReplay(
        agentLoopOrchestration,
        INSTANCE,
        input({ limits: { ...input().limits, ...limits } }),
      );
      const state = await replay.run();
      expect(replay.newActions(state)).toEqual([]);
      expect(agentLoopResultSchema.parse(state.output).status).toBe('budget_exceeded');
    }
  });

  it('asks for a repair with the issues, then fails typed when the repairs run out', async () => {
    const replay = new SdkReplay(agentLoopOrchestration, INSTANCE, input({ maxRepairs: 1 }));
    let state = await replay.run();
    replay.completeActivity('agentTurn', finalTurn({ wrong: 1 }, false));
    state = await replay.run();
    const [repair] = replay.newActions(state);
    expect(repair.input).toMatchObject({ turn: 1, repair: [{ path: 'found', issue: 'Required' }] });
    expect((repair.input as AgentTurnInput).task).toBeUndefined();
    replay.completeActivity('agentTurn', finalTurn({ still: 'wrong' }, false));
    state = await replay.run();
    const result = agentLoopResultSchema.parse(state.output);
    expect(result).toMatchObject({
      status: 'failed',
      error: { code: 'invalid_output', details: [{ path: 'found', issue: 'Required' }] },
      partial: { still: 'wrong' },
    });
  });

  it('gives up with max_turns when the model never answers', async () => {
    const replay = new SdkReplay(agentLoopOrchestration, INSTANCE, input({ maxTurns: 1 }));
    await replay.run();
    replay.completeActivity('agentTurn', toolCallsTurn('flights.search_flights'));
    await replay.run();
    replay.completeActivity('callTool', toolOk('flights.search_flights', {}));
    const result = agentLoopResultSchema.parse((await replay.run()).output);
    expect(result.error?.code).toBe('max_turns');
    expect(result.turns).toBe(1);
  });

  it('keeps the history small: each turn adds a few events, whatever the transcript length', async () => {
    const replay = new SdkReplay(
      agentLoopOrchestration,
      INSTANCE,
      input({ maxTurns: 10, limits: { ...input().limits, steps: 50, toolCalls: 50 } }),
    );
    const sizes: number[] = [];
    await replay.run();
    for (let round = 0; round < 4; round++) {
      replay.completeActivity('agentTurn', toolCallsTurn('flights.search_flights'));
      await replay.run();
      replay.completeActivity('callTool', toolOk('flights.search_flights', { page: round }));
      const [next] = replay.newActions(await replay.run());
      sizes.push(JSON.stringify(next.input).length);
    }
    // The turn input does not grow with the conversation.
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThan(5);
    expect(replay.eventCount).toBeLessThan(60);
  });
});
