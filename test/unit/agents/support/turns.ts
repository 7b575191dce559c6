/**
 * agentTurn answers as the replay tests complete them: a final answer, or tool calls, each with
 * the same usage (100 input and 20 output tokens, $0.001) so a test can add them up.
 */
import type { AgentTurnOutput } from '../../../../src/agents/contracts';

const meta = {
  usage: { inputTokens: 100, outputTokens: 20 },
  costUsd: 0.001,
  provider: 'p',
  model: 'm',
  replayed: false,
};

/** A final answer; an invalid one carries an issue at `found`. */
export const finalTurn = (output: unknown, valid = true): AgentTurnOutput => ({
  kind: 'final',
  output,
  valid,
  ...(valid ? {} : { issues: [{ path: 'found', issue: 'Required' }] }),
  ...meta,
});

/** Tool calls `call_0`, `call_1`, … of the named tools, with arguments `{ n: index }`. */
export const toolCallsTurn = (...names: string[]): AgentTurnOutput => ({
  kind: 'tool_calls',
  toolCalls: names.map((name, i) => ({ id: `call_${i}`, name, arguments: { n: i } })),
  ...meta,
});
