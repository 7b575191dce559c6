import { describe, expect, it } from 'vitest';
import { agentInstanceId, isAgentInstanceOf } from '../../../src/agents/orchestration/agent-instance-id';

describe('agent loop instance ids', () => {
  it('names a loop by run, agent, round and key, the same on every replay', () => {
    expect(agentInstanceId('trip-1', 'flights')).toBe('trip-1:flights:0');
    expect(agentInstanceId('trip-1', 'flights', 2)).toBe('trip-1:flights:2');
    expect(agentInstanceId('trip-1', 'flights', 0, 'leg-2')).toBe('trip-1:flights:0:leg-2');
  });

  it("finds a run's own loops, never the run itself nor another run's whose id starts alike", () => {
    expect(isAgentInstanceOf('trip-1', agentInstanceId('trip-1', 'hotels', 1, 'x'))).toBe(true);
    expect(isAgentInstanceOf('trip-1', 'trip-1')).toBe(false);
    expect(isAgentInstanceOf('trip-1', agentInstanceId('trip-12', 'hotels'))).toBe(false);
  });
});
