/**
 * What an agent is, as data: instructions, the tools it may call, the shape of its final answer.
 * Applications declare their agents with `defineAgent` and hand them to the runtime in an
 * `AgentRegistry`; the runtime never knows what the agents are about.
 */
import type { z } from 'zod';

export interface AgentDefinition<Output = unknown> {
  /** Unique name; also the model role (`ModelRequest.agent`) and the tool allow-list key. */
  name: string;
  /** One line for traces and progress ("Finds flights within the budget"). */
  description: string;
  /** The system prompt. */
  instructions: string;
  /** Qualified tool names (`server.tool`) the agent may call; the tool client enforces the list. */
  tools: readonly string[];
  /** The final answer's schema: a model answer that fails it gets a bounded repair turn. */
  output: z.ZodType<Output>;
  /** Model turns before the loop gives up (tool rounds plus the final answer). Default 6. */
  maxTurns?: number;
  /** Repair turns after an answer fails its schema. Default: the run's `maxRepairs`, else 2. */
  maxRepairs?: number;
}

/** Declares an agent (an identity function that keeps the output type). */
export function defineAgent<Output>(definition: AgentDefinition<Output>): AgentDefinition<Output> {
  return definition;
}

export const DEFAULT_MAX_TURNS = 6;
export const DEFAULT_MAX_REPAIRS = 2;

/** The agents an application runs, by name. */
export class AgentRegistry {
  private readonly agents = new Map<string, AgentDefinition>();

  constructor(definitions: readonly AgentDefinition<unknown>[] = []) {
    for (const definition of definitions) this.add(definition);
  }

  add(definition: AgentDefinition<unknown>): this {
    if (this.agents.has(definition.name)) throw new Error(`Agent "${definition.name}" is defined twice.`);
    this.agents.set(definition.name, definition);
    return this;
  }

  get(name: string): AgentDefinition | undefined {
    return this.agents.get(name);
  }

  require(name: string): AgentDefinition {
    const definition = this.agents.get(name);
    if (!definition) throw new Error(`No agent named "${name}" is registered.`);
    return definition;
  }

  names(): string[] {
    return [...this.agents.keys()];
  }

  /** The tool allow-list the tool client enforces: each agent's own tools, nothing more. */
  allowList(extra: Readonly<Record<string, readonly string[]>> = {}): Record<string, readonly string[]> {
    const list: Record<string, readonly string[]> = { ...extra };
    for (const [name, definition] of this.agents) list[name] = definition.tools;
    return list;
  }
}
