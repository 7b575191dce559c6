/**
 * A model that replays a script: for tests of agent loops and orchestrations (ours and users').
 * Each agent gets its own list of turns, replayed in order, or a function of the request. Faults
 * are turns too — fail N times with a retryable error, fail permanently, answer with malformed
 * JSON, answer late — and every request is recorded, so a test can assert what the loop sent and
 * how often it called. Responses are built exactly as the offline model builds them (ids, finish
 * reasons, usage from the real tokenizer) unless a turn pins its usage.
 */
import { TransientError, WaypointError } from '../domain/errors';
import { localResponse, throwIfAborted, type LocalAnswer, type LocalToolCall } from './local-response';
import type { ModelCallOptions, ModelProvider, ModelRequest, ModelResponse, TokenUsage } from './types';

export const SCRIPTED_PROVIDER = 'waypoint.scripted';
export const SCRIPTED_MODEL = 'waypoint-scripted-1';

/** Answer late or with fixed usage; applies to answers and faults alike. */
interface TurnTiming {
  /** Wait this long before answering (or failing); an aborted call stops waiting. */
  delayMs?: number;
}

/** An answer: tool calls, a structured `output`, or raw `text` (malformed JSON included). */
export type ScriptedAnswer = LocalAnswer & TurnTiming & { usage?: Partial<TokenUsage> };

/** A fault: the call throws `fail`, `times` calls in a row (default 1), then the script moves on. */
export interface ScriptedFault extends TurnTiming {
  fail: Error;
  times?: number;
}

export type ScriptedTurn = ScriptedAnswer | ScriptedFault;

/** Decides each turn from the request; `call` counts this agent's calls from 0. */
export type ScriptedResponder = (request: ModelRequest, call: number) => ScriptedTurn;

/** Agent role → its turns in order, or a responder. */
export type Script = Readonly<Record<string, readonly ScriptedTurn[] | ScriptedResponder>>;

/** One recorded call: the request as it was sent (a deep copy) and what came back. */
export interface ScriptedCall {
  agent: string;
  request: ModelRequest;
  response?: ModelResponse;
  error?: unknown;
}

export interface ScriptedModelOptions {
  /** Reported as `model` (e.g. `gpt-4o` to exercise pricing); default `waypoint-scripted-1`. */
  model?: string;
  /** Reported as `provider`; default `waypoint.scripted`. */
  provider?: string;
}

/** Small constructors for turns, so scripts read as what they mean. */
export const turn = {
  /** Call tools (ids are derived from the request unless given). */
  toolCalls(...calls: LocalToolCall[]): ScriptedAnswer {
    return { toolCalls: calls };
  },
  /** One tool call. */
  toolCall(name: string, args: Record<string, unknown> = {}, id?: string): ScriptedAnswer {
    return { toolCalls: [{ name, arguments: args, ...(id === undefined ? {} : { id }) }] };
  },
  /** A final structured answer (written as its JSON). */
  output(value: unknown): ScriptedAnswer {
    return { output: value };
  },
  /** A final answer in text, taken as written. */
  text(value: string): ScriptedAnswer {
    return { text: value };
  },
  /** A final answer that is not valid JSON (the loop should ask for a repair). */
  malformed(value = '{"answer": "cut off mid'): ScriptedAnswer {
    return { text: value };
  },
  /** Fail `times` calls with a retryable TransientError (as after a provider's 429 or 5xx). */
  transient(times = 1, retryAfterMs?: number): ScriptedFault {
    const options = retryAfterMs === undefined ? {} : { retryAfterMs };
    return { fail: new TransientError('Scripted transient model failure.', options), times };
  },
  /** Fail once with a permanent `model_error` (as after a 400). */
  permanent(message = 'Scripted permanent model failure.'): ScriptedFault {
    return { fail: new WaypointError('model_error', message, { retryable: false }) };
  },
  /** The same turn, answered after `delayMs`. */
  delayed<T extends ScriptedTurn>(delayMs: number, inner: T): T {
    return { ...inner, delayMs };
  },
};

function isFault(value: ScriptedTurn): value is ScriptedFault {
  return 'fail' in value;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      try {
        throwIfAborted(signal);
      } catch (error) {
        reject(error as Error);
      }
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** A ModelProvider that replays a script per agent and records every call (see the file comment). */
export class ScriptedModel implements ModelProvider {
  readonly provider: string;
  readonly model: string;
  /** Every call, in order. */
  readonly calls: ScriptedCall[] = [];
  private readonly script: Script;
  /** Per agent: the next turn's index and how many times the current fault has fired. */
  private readonly positions = new Map<string, { index: number; failures: number }>();

  constructor(script: Script, options: ScriptedModelOptions = {}) {
    this.script = script;
    this.provider = options.provider ?? SCRIPTED_PROVIDER;
    this.model = options.model ?? SCRIPTED_MODEL;
  }

  /** How many calls `agent` made (all agents when omitted), failed ones included. */
  callCount(agent?: string): number {
    return agent === undefined ? this.calls.length : this.calls.filter((call) => call.agent === agent).length;
  }

  /** The requests `agent` sent, in order. */
  requestsFor(agent: string): ModelRequest[] {
    return this.calls.filter((call) => call.agent === agent).map((call) => call.request);
  }

  /** The listed turns not yet played, per agent (responders are never "left over"). */
  remainingTurns(): Record<string, number> {
    const remaining: Record<string, number> = {};
    for (const [agent, turns] of Object.entries(this.script)) {
      if (typeof turns === 'function') continue;
      const left = turns.length - (this.positions.get(agent)?.index ?? 0);
      if (left > 0) remaining[agent] = left;
    }
    return remaining;
  }

  /** Throws unless every listed turn was played: a test's guard that the run went as scripted. */
  assertScriptConsumed(): void {
    const remaining = this.remainingTurns();
    if (Object.keys(remaining).length > 0) {
      throw new Error(`Script not fully played; turns left: ${JSON.stringify(remaining)}`);
    }
  }

  async complete(request: ModelRequest, options?: ModelCallOptions): Promise<ModelResponse> {
    // Recorded before anything can fail, and copied so a caller that later mutates its
    // transcript cannot rewrite what was sent.
    const call: ScriptedCall = { agent: request.agent, request: structuredClone(request) };
    this.calls.push(call);
    try {
      throwIfAborted(options?.signal);
      const next = this.nextTurn(request);
      if (next.delayMs !== undefined && next.delayMs > 0) await sleep(next.delayMs, options?.signal);
      if (isFault(next)) throw next.fail;
      const response = localResponse(
        request,
        next,
        { provider: this.provider, model: this.model },
        { usage: next.usage, onlyOfferedTools: false },
      );
      call.response = response;
      return response;
    } catch (error) {
      call.error = error;
      throw error;
    }
  }

  private nextTurn(request: ModelRequest): ScriptedTurn {
    const agent = request.agent;
    const turns = this.script[agent];
    if (turns === undefined) {
      throw new WaypointError('model_error', `The script has no turns for agent "${agent}".`, {
        retryable: false,
        details: { agent },
      });
    }
    const position = this.positions.get(agent) ?? { index: 0, failures: 0 };
    this.positions.set(agent, position);
    if (typeof turns === 'function') {
      return turns(request, position.index++);
    }
    const current = turns[position.index];
    if (current === undefined) {
      throw new WaypointError(
        'model_error',
        `The script for agent "${agent}" is exhausted after ${turns.length} turn(s).`,
        { retryable: false, details: { agent } },
      );
    }
    if (isFault(current)) {
      position.failures++;
      if (position.failures >= (current.times ?? 1)) {
        position.index++;
        position.failures = 0;
      }
      return current;
    }
    position.index++;
    return current;
  }
}
