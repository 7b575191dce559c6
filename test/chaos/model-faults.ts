/**
 * A model server that misbehaves as hosted models do: an OpenAI-compatible chat.completions
 * endpoint in front of the offline model (test/fakes/offline-openai-server.ts) that answers some
 * requests with 429 (rate limited, with Retry-After), some with 500/503, and garbles some answers
 * (a final answer cut in half, so it fails its schema and the agent must ask for a repair).
 * Decisions come from a seeded generator, so a run can be repeated.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OfflineOpenAIServer } from '../fakes/offline-openai-server';
import { SeededRandom } from '../../src/mcp-servers/shared/seeded-random';

export interface ModelFaultRates {
  /** Share of requests answered 429 with `Retry-After`. */
  rateLimited: number;
  /** Share answered 500 or 503. */
  serverError: number;
  /** Share of final answers cut in half (invalid JSON for a structured answer). */
  malformed: number;
}

export interface ModelFaultCounts {
  requests: number;
  rateLimited: number;
  serverError: number;
  malformed: number;
}

export class FaultyModelServer {
  readonly counts: ModelFaultCounts = { requests: 0, rateLimited: 0, serverError: 0, malformed: 0 };
  private port = 0;
  private readonly server: Server;

  private constructor(
    private readonly model: OfflineOpenAIServer,
    private readonly rates: ModelFaultRates,
    private readonly random: SeededRandom,
  ) {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch(() => {
        if (!res.headersSent) res.writeHead(502).end();
        else res.destroy();
      });
    });
  }

  static async start(rates: ModelFaultRates, seed: number): Promise<FaultyModelServer> {
    const self = new FaultyModelServer(
      await OfflineOpenAIServer.start(),
      rates,
      SeededRandom.from(['model-faults', seed]),
    );
    await new Promise<void>((resolve, reject) => {
      self.server.once('error', reject);
      self.server.listen(0, '127.0.0.1', () => resolve());
    });
    self.port = (self.server.address() as AddressInfo).port;
    return self;
  }

  /** The OpenAI base URL to configure (`OPENAI_BASE_URL`). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.model.close();
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { rates, random } = this;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    this.counts.requests++;
    const draw = random.next();
    if (draw < rates.rateLimited) {
      this.counts.rateLimited++;
      return sendError(res, 429, 'Rate limit reached for requests.', { 'retry-after-ms': '200' });
    }
    if (draw < rates.rateLimited + rates.serverError) {
      this.counts.serverError++;
      return sendError(res, random.next() < 0.5 ? 500 : 503, 'The server had an error.');
    }
    const upstream = await fetch(`${this.model.baseUrl}${(req.url ?? '').replace(/^\/v1/, '')}`, {
      method: req.method ?? 'POST',
      headers: { 'content-type': 'application/json' },
      body: Buffer.concat(chunks),
    });
    let text = await upstream.text();
    if (upstream.status === 200 && random.next() < rates.malformed) {
      const garbled = garble(text);
      if (garbled !== undefined) {
        this.counts.malformed++;
        text = garbled;
      }
    }
    res.writeHead(upstream.status, { 'content-type': 'application/json' });
    res.end(text);
  }
}

/** The completion with its final answer cut in half, or undefined when it is a tool call. */
function garble(text: string): string | undefined {
  const completion = JSON.parse(text) as {
    choices?: { message?: { content?: string | null; tool_calls?: unknown[] } }[];
  };
  const message = completion.choices?.[0]?.message;
  if (!message?.content || (message.tool_calls?.length ?? 0) > 0) return undefined;
  message.content = message.content.slice(0, Math.floor(message.content.length / 2));
  return JSON.stringify(completion);
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error: { message, type: 'server_error', code: null, param: null } }));
}
