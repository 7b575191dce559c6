/**
 * Registers the generic agent runtime with the Functions app: the `agentTurn` and `callTool`
 * activities and the `agentLoop` sub-orchestration. An application calls this once, with its
 * agents and the process's model, tool client and stores, then registers its own orchestrations.
 */
import type { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ModelProvider } from '../models/types';
import type { ToolClient } from '../tools';
import type { Logger } from '../telemetry/logger';
import { agentTurn } from './activities/agent-turn';
import { callTool } from './activities/call-tool';
import type { ToolCatalog } from './activities/tool-catalog';
import type { TranscriptJournal } from './activities/transcript-journal';
import { ACTIVITY_NAMES, AGENT_ORCHESTRATION } from './contracts';
import type { AgentRegistry } from './definitions';
import { agentLoopOrchestration } from './orchestration/agent-loop';

export interface AgentRuntimeOptions {
  agents: AgentRegistry;
  /** The process's model (read per turn, so a test or an embedding host can swap it). */
  model: () => ModelProvider;
  tools: () => Promise<ToolClient>;
  journal: () => Promise<TranscriptJournal>;
  catalog: () => ToolCatalog;
  price: (model: string, usage: { inputTokens: number; outputTokens: number }) => number;
  logger: Logger;
  /** The largest model answer a turn accepts, in bytes (default in agent-turn.ts). */
  maxAnswerBytes?: number;
}

export function registerAgentRuntime(options: AgentRuntimeOptions): void {
  // The invocation is passed on: its trace context is the activity's span (see activity-trace.ts).
  df.app.activity(ACTIVITY_NAMES.agentTurn, {
    handler: (input: unknown, invocation: InvocationContext) => agentTurn(input, options, invocation),
  });
  df.app.activity(ACTIVITY_NAMES.callTool, {
    handler: (input: unknown, invocation: InvocationContext) => callTool(input, options, invocation),
  });
  df.app.orchestration(AGENT_ORCHESTRATION, agentLoopOrchestration);
}
