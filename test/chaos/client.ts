/**
 * The trips API as a patient client sees it while the host is killed and restarted: a request
 * that cannot connect or is reset is sent again (starts carry an Idempotency-Key, so that is
 * safe); "not now" answers (503 or 429 with Retry-After, 409 request_in_progress) are waited out.
 * Every answer is tallied: a 500, or a 5xx without Retry-After, is a fault the chaos run reports.
 */

export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

export interface ServerFault {
  method: string;
  path: string;
  status: number;
  body: string;
}

export class AnswerTally {
  readonly byStatus = new Map<number, number>();
  readonly faults: ServerFault[] = [];
  /** Requests that could not connect, or were cut off (the host was down or being killed). */
  unreachable = 0;

  count(method: string, path: string, status: number, headers: Headers, body: string): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
    const later = (status === 503 || status === 429) && headers.get('retry-after') !== null;
    if (status >= 500 && !later) this.faults.push({ method, path, status, body: body.slice(0, 300) });
  }
}

/** Answers a client waits out and sends again. */
function isNotNow(answer: Answer): boolean {
  if (answer.status === 503 || answer.status === 429) return answer.headers.get('retry-after') !== null;
  return answer.status === 409 && answer.body?.error?.code === 'request_in_progress';
}

export class ChaosClient {
  constructor(
    private readonly baseUrl: string,
    private readonly tally: AnswerTally,
    private readonly identity: Record<string, string>,
    /** When to stop retrying (ms since the epoch). */
    private readonly deadline: () => number,
  ) {}

  /** Sends until the host gives a real answer (or the deadline passes: then the last failure throws). */
  async send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer> {
    let wait = 100;
    for (;;) {
      let answer: Answer | undefined;
      try {
        answer = await this.once(method, path, body, headers);
      } catch (error) {
        this.tally.unreachable++;
        if (Date.now() > this.deadline()) throw error;
      }
      if (answer && !isNotNow(answer)) return answer;
      if (answer && Date.now() > this.deadline()) return answer;
      const retryAfter = Number(answer?.headers.get('retry-after') ?? NaN);
      await sleep(Number.isFinite(retryAfter) ? Math.min(retryAfter * 1000, 5_000) : wait);
      wait = Math.min(wait * 2, 2_000);
    }
  }

  private async once(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Answer> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...this.identity,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(90_000),
    });
    const text = await response.text();
    this.tally.count(method, path, response.status, response.headers, text);
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = { unparsed: text.slice(0, 300) };
    }
    return { status: response.status, body: json, headers: response.headers };
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
