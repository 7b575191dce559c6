/**
 * The ids of a run's agent loops (sub-orchestrations). Deterministic, so a replay addresses the same
 * child; prefixed with the run's id, so the trips API can find a run's children to stop them.
 */

/** The child instance id of one agent's loop in a run. */
export function agentInstanceId(runId: string, agent: string, round = 0, key?: string): string {
  return key === undefined ? `${runId}:${agent}:${round}` : `${runId}:${agent}:${round}:${key}`;
}

/** Whether an instance is one of the run's agent loops. */
export function isAgentInstanceOf(runId: string, instanceId: string): boolean {
  return instanceId.startsWith(`${runId}:`);
}
