/**
 * A small real HTTP server on 127.0.0.1 that speaks the chat.completions API, for integration
 * tests of the OpenAI-compatible provider with the real `openai` client. It serves both path
 * shapes — OpenAI's `/v1/chat/completions` and Azure OpenAI's
 * `/openai/deployments/{deployment}/chat/completions?api-version=…` — answers from a queue of
 * scripted replies (completions, HTTP errors with headers, delays, dropped connections), and
 * records every request it received (path, query, headers, JSON body, arrival time) so a test
 * can assert exactly what was sent and when.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: any;
  /** Arrival time (performance.now()). */
  at: number;
  /** Set for Azure-shaped paths. */
  deployment?: string;
}

/** An HTTP reply: a status, headers and a JSON body (or a raw one), optionally after a delay. */
export interface HttpReply {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Sent as written instead of `body` (an HTML page, truncated JSON …); set the content-type. */
  raw?: string;
  delayMs?: number;
}

/** Close the connection without answering (a lost connection). */
export interface DropReply {
  drop: true;
}

export type FakeReply = HttpReply | DropReply;

export interface CompletionSpec {
  content?: string | null;
  refusal?: string | null;
  toolCalls?: { id: string; name: string; arguments: string }[];
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number } | null;
  model?: string;
  id?: string;
}

/** A chat.completion body as the API sends it. */
export function completion(spec: CompletionSpec = {}): Record<string, unknown> {
  const toolCalls = spec.toolCalls ?? [];
  const body: Record<string, unknown> = {
    id: spec.id ?? 'chatcmpl-fake-1',
    object: 'chat.completion',
    created: 1_764_000_000,
    model: spec.model ?? 'gpt-4o-2024-08-06',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: spec.content === undefined ? (toolCalls.length > 0 ? null : '') : spec.content,
          refusal: spec.refusal ?? null,
          ...(toolCalls.length === 0
            ? {}
            : {
                tool_calls: toolCalls.map((call) => ({
                  id: call.id,
                  type: 'function',
                  function: { name: call.name, arguments: call.arguments },
                })),
              }),
        },
        finish_reason: spec.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
        logprobs: null,
      },
    ],
  };
  if (spec.usage !== null) {
    const usage = spec.usage ?? { prompt_tokens: 120, completion_tokens: 30 };
    body.usage = { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens };
  }
  return body;
}

/** A reply with a completion body. */
export function ok(spec: CompletionSpec = {}): HttpReply {
  return { status: 200, body: completion(spec) };
}

/** An API error reply (`{error: {message, type, code}}`) with optional headers. */
export function apiError(status: number, headers: Record<string, string> = {}, code?: string): HttpReply {
  return {
    status,
    headers,
    body: {
      error: {
        message: `fake error ${status}`,
        type: 'invalid_request_error',
        code: code ?? null,
        param: null,
      },
    },
  };
}

const AZURE_PATH = /^\/openai\/deployments\/([^/]+)\/chat\/completions$/;
const OPENAI_PATH = /^(?:\/v1)?\/chat\/completions$/;

export class FakeOpenAIServer {
  readonly requests: RecordedRequest[] = [];
  private readonly replies: FakeReply[] = [];
  private readonly server: Server;
  private port = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://127.0.0.1');
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = raw;
        try {
          body = raw === '' ? undefined : JSON.parse(raw);
        } catch {
          // Kept as text: a test can see the client sent something that is not JSON.
        }
        const azure = AZURE_PATH.exec(url.pathname);
        this.requests.push({
          method: req.method ?? '',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          headers: req.headers,
          body,
          at: performance.now(),
          ...(azure ? { deployment: decodeURIComponent(azure[1]) } : {}),
        });
        if (req.method !== 'POST' || !(azure || OPENAI_PATH.test(url.pathname))) {
          send(res, apiError(404));
          return;
        }
        const reply = this.replies.shift();
        if (reply === undefined) {
          // A test that sends more than it scripted fails loudly, not with a hang.
          send(res, {
            status: 500,
            headers: { 'x-should-retry': 'false' },
            body: { error: { message: 'fake server: no reply queued' } },
          });
          return;
        }
        if ('drop' in reply) {
          req.socket.destroy();
          return;
        }
        if (reply.delayMs) {
          const timer = setTimeout(() => send(res, reply), reply.delayMs);
          res.on('close', () => clearTimeout(timer));
        } else {
          send(res, reply);
        }
      });
    });
  }

  static async start(): Promise<FakeOpenAIServer> {
    const fake = new FakeOpenAIServer();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** `http://127.0.0.1:<port>`: an Azure endpoint, or with `/v1` an OpenAI base URL. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Queues replies, answered in order, one per request. */
  reply(...replies: FakeReply[]): this {
    this.replies.push(...replies);
    return this;
  }

  /** Replies queued and not yet used. */
  get pending(): number {
    return this.replies.length;
  }

  /** Forgets recorded requests and queued replies (between tests). */
  reset(): void {
    this.requests.length = 0;
    this.replies.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}

function send(res: ServerResponse, reply: HttpReply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
  res.end(reply.raw ?? (reply.body === undefined ? '' : JSON.stringify(reply.body)));
}

/** A 200 reply whose body is a web page, as a proxy or gateway in front of a model sends. */
export function htmlPage(status = 200): HttpReply {
  return {
    status,
    headers: { 'content-type': 'text/html; charset=utf-8' },
    raw: '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
  };
}
