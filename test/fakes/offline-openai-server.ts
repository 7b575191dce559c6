/**
 * A real chat.completions server on 127.0.0.1 whose answers come from the offline model: each
 * request is read back into the ModelRequest our OpenAI-compatible provider made it from (agent by
 * system prompt, tool names mapped back), answered by `new OfflineModel(policies)`, and written in
 * chat.completions shape (tool calls with their ids, usage). So the app runs exactly as against a
 * hosted model, with deterministic answers.
 *
 * For crash tests it records every call by turn — agent, conversation (a digest of its task) and
 * position — with what became of it (answered, or the caller hung up first), and it can hold the
 * answers to chosen turns until `release()`, so a test can kill the caller while they are in flight.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { canonicalJson } from '../../src/domain/canonical-json';
import { OfflineModel } from '../../src/models/offline/offline-model';
import type { OfflinePolicies } from '../../src/models/offline/policy';
import type { ModelResponse } from '../../src/models/types';
import { TRAVEL_AGENTS } from '../../src/travel/agents';
import { TRAVEL_OFFLINE_POLICIES } from '../../src/travel/offline/policies';
import {
  chatCompletionRequestSchema,
  toModelRequest,
  turnOf,
  UnreadableRequestError,
  type KnownAgent,
} from '../support/chat-completions-request';
import { completion } from './openai-server';

/** Which model turn a request is. */
export interface TurnId {
  agent: string;
  /** A digest of the conversation's first user message (its task): tells repeated runs of one agent apart. */
  conversation: string;
  /** 0 for the first turn of the conversation, then one more per earlier model answer. */
  turn: number;
}

/** `agent#turn@conversation`: one key per model turn. */
export function turnKey(id: TurnId): string {
  return `${id.agent}#${id.turn}@${id.conversation}`;
}

export type ModelCallOutcome = 'pending' | 'answered' | 'disconnected' | 'failed';

export interface ModelCallRecord extends TurnId {
  key: string;
  /** Arrival order, from 1. */
  seq: number;
  /** Date.now() on arrival and when the outcome was decided. */
  arrivedAt: number;
  settledAt?: number;
  /** A digest of the request as read back (agent, messages, tools, output schema): equal requests, equal digests. */
  requestDigest: string;
  /** Whether its answer was held back. */
  held: boolean;
  outcome: ModelCallOutcome;
}

export interface OfflineOpenAIServerOptions {
  /** The agents to recognise (default: the travel agents). */
  agents?: readonly KnownAgent[];
  /** The offline policies that answer (default: the travel policies). */
  policies?: OfflinePolicies;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const PATH = /^(?:\/v1)?\/chat\/completions$/;

interface Held {
  record: ModelCallRecord;
  answer: () => void;
}

export class OfflineOpenAIServer {
  private readonly records: ModelCallRecord[] = [];
  private readonly waiting = new Set<Held>();
  private holdRule: ((turn: TurnId) => boolean) | undefined;
  private readonly server: Server;
  private readonly model: OfflineModel;
  private readonly agents: readonly KnownAgent[];
  private port = 0;

  private constructor(options: OfflineOpenAIServerOptions) {
    this.agents =
      options.agents ?? TRAVEL_AGENTS.names().map((name) => TRAVEL_AGENTS.require(name) as KnownAgent);
    this.model = new OfflineModel(options.policies ?? TRAVEL_OFFLINE_POLICIES);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        sendError(res, 500, error instanceof Error ? error.message : String(error));
      });
    });
  }

  static async start(options: OfflineOpenAIServerOptions = {}): Promise<OfflineOpenAIServer> {
    const fake = new OfflineOpenAIServer(options);
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The OpenAI base URL to configure (`OPENAI_BASE_URL`). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Every call so far, in arrival order (copies: the server keeps updating its own). */
  get calls(): ModelCallRecord[] {
    return this.records.map((record) => ({ ...record }));
  }

  /** Calls whose answer is being held and whose caller is still connected. */
  get held(): ModelCallRecord[] {
    return [...this.waiting].map((entry) => ({ ...entry.record }));
  }

  /** From now on, holds the answer to every turn `rule` picks, until `release()`. */
  hold(rule: (turn: TurnId) => boolean): void {
    this.holdRule = rule;
  }

  /** Answers every held call whose caller is still there, and holds nothing more. */
  release(): void {
    this.holdRule = undefined;
    for (const entry of [...this.waiting]) entry.answer();
  }

  async close(): Promise<void> {
    this.holdRule = undefined;
    this.waiting.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'POST' || !PATH.test(url.pathname)) return sendError(res, 404, 'Not found.');
    const raw = await readBody(req);
    if (raw === undefined) return sendError(res, 413, `Request body exceeds ${MAX_BODY_BYTES} bytes.`);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return sendError(res, 400, 'The body is not JSON.');
    }
    const parsed = chatCompletionRequestSchema.safeParse(json);
    if (!parsed.success) return sendError(res, 400, z.prettifyError(parsed.error));

    let recovered;
    try {
      recovered = toModelRequest(parsed.data, this.agents);
    } catch (error) {
      if (error instanceof UnreadableRequestError) return sendError(res, error.status, error.message);
      throw error;
    }
    const { request, names } = recovered;
    const firstUser = request.messages.find((message) => message.role === 'user');
    const id: TurnId = {
      agent: request.agent,
      conversation: createHash('sha256')
        .update(firstUser?.content ?? '')
        .digest('hex')
        .slice(0, 12),
      turn: turnOf(request),
    };
    const record: ModelCallRecord = {
      ...id,
      key: turnKey(id),
      seq: this.records.length + 1,
      arrivedAt: Date.now(),
      requestDigest: createHash('sha256').update(canonicalJson(request)).digest('hex').slice(0, 16),
      held: this.holdRule?.(id) ?? false,
      outcome: 'pending',
    };
    this.records.push(record);
    const settle = (outcome: ModelCallOutcome) => {
      if (record.outcome !== 'pending') return;
      record.outcome = outcome;
      record.settledAt = Date.now();
    };
    let entry: Held | undefined;
    // The caller hanging up (a killed host) decides the outcome of a call not yet answered.
    res.on('close', () => {
      if (entry) this.waiting.delete(entry);
      if (!res.writableFinished) settle('disconnected');
    });

    let response: ModelResponse;
    try {
      response = await this.model.complete(request);
    } catch (error) {
      // A policy that cannot answer is a bug of the test setup: fail loudly, never retried.
      settle('failed');
      return sendError(res, 500, error instanceof Error ? error.message : String(error));
    }
    const body = completion({
      id: response.responseId ?? `chatcmpl-offline-${record.seq}`,
      model: parsed.data.model,
      content: response.kind === 'final' ? response.text : (response.text ?? null),
      ...(response.kind === 'tool_calls'
        ? {
            toolCalls: response.toolCalls.map((call) => ({
              id: call.id,
              name: names.toApi(call.name),
              arguments: call.invalidArguments ?? JSON.stringify(call.arguments),
            })),
          }
        : {}),
      finishReason: response.finishReason,
      usage: { prompt_tokens: response.usage.inputTokens, completion_tokens: response.usage.outputTokens },
    });
    const answer = () => {
      if (entry) this.waiting.delete(entry);
      if (record.outcome !== 'pending') return;
      if (res.destroyed) return settle('disconnected');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
      settle('answered');
    };
    if (record.held && this.holdRule !== undefined && !res.destroyed) {
      entry = { record, answer };
      this.waiting.add(entry);
    } else {
      answer();
    }
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** An API error body; `x-should-retry: false` so the client fails at once instead of retrying a bug. */
function sendError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'x-should-retry': 'false' });
  res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', code: null, param: null } }));
}
