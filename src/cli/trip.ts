/**
 * `npm run trip -- "<request>"`: plans a trip through the trips API and shows it live.
 *
 * Uses the app at --url, else the one `npm start` serves on http://127.0.0.1:7071 when it
 * answers, else starts the local host in this process on a free port. Shows each step and the
 * budget meters while the run works, asks for missing facts and for approval at the terminal
 * (or takes them from --answers / --yes), then prints the itinerary and the run id.
 *
 * Exit codes: 0 completed; 1 failed, budget_exceeded or cancelled (or the app could not be
 * reached); 2 bad usage.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { LocalHost } from '../local-host/host';
import { configureLogging } from '../telemetry/logger';
import { terminalLine } from './terminal-text';
import { isFinal, runResourceSchema, type RunResource } from '../travel/api/run-resource';
import type { TripFields } from '../travel/schemas';
import {
  answerField,
  budgetMeters,
  exitCodeFor,
  parseTripArgs,
  printableRun,
  quoteText,
  resultText,
  stepLine,
  USAGE,
  UsageError,
  type TripCliOptions,
} from './trip-format';
import { readAnswer } from './trip-answers';
import { decide, errorCode, type Attempt } from './transient';

// ESM-only; this project is CommonJS, and import() loads it.
const loadClack = () => import('@clack/prompts');
type Clack = Awaited<ReturnType<typeof loadClack>>;

const DEFAULT_URL = 'http://127.0.0.1:7071';
const POLL_MS = 400;
/** How long a transient failure is ridden out: long enough for a host to restart on a busy machine. */
const RECONNECT_FOR_MS = 120_000;
const REQUEST_TIMEOUT_MS = 30_000;
const repoRoot = resolve(__dirname, '../../..');

/** A failure to report in one line (exit code 1). */
class CliError extends Error {}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let options: TripCliOptions;
  try {
    options = parseTripArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  const clack = await loadClack();
  clack.intro('Waypoint trip planner');

  let host: LocalHost | undefined;
  try {
    let baseUrl = options.url;
    if (baseUrl === undefined) {
      if (!options.local && (await answers(DEFAULT_URL))) baseUrl = DEFAULT_URL;
      else {
        host = await startLocalHost(options.store);
        baseUrl = host.url;
        clack.log.info(`Started a local host on ${baseUrl}`);
      }
    }
    const api = new TripsApi(baseUrl);
    const finished = await runTrip(clack, api, options);
    if (options.json) process.stdout.write(`${JSON.stringify(finished, null, 2)}\n`);
    return exitCodeFor(finished.status);
  } catch (error) {
    clack.log.error(error instanceof Error ? error.message : String(error));
    return 1;
  } finally {
    await host?.stop();
  }
}

/** Starts the run, follows it to the end, answering what it asks. */
async function runTrip(clack: Clack, api: TripsApi, options: TripCliOptions): Promise<RunResource> {
  api.tell = (line) => clack.log.warn(line);
  // A key per invocation: if the POST is retried after a lost answer, the run starts once.
  let run = await api.send('POST', '/api/trips', options.body, { 'Idempotency-Key': randomUUID() });
  clack.log.info(`Run ${run.id}`);
  const interactive = Boolean(process.stdin.isTTY) && options.answers === undefined && !options.yes;
  const shown = new Map<string, string>();
  let answered = 0;
  const spin = progressDisplay(clack, Boolean(process.stdout.isTTY));
  api.tell = (line) => spin.warn(line);
  spin.start(budgetMeters(run));

  for (;;) {
    for (const step of run.progress.steps) {
      // A step is printed when it ends; a running one shows in the spinner.
      if (step.status === 'running' || shown.get(step.id) === step.status) continue;
      shown.set(step.id, step.status);
      spin.print(stepLine(step));
    }
    const current = run.progress.steps.findLast((step) => step.status === 'running');
    spin.update(`${run.status}${current ? ` · ${current.kind} ${current.name}` : ''} · ${budgetMeters(run)}`);

    if (isFinal(run.status)) {
      spin.stop(`${run.status} · ${budgetMeters(run)}`);
      report(clack, run);
      return run;
    }
    if (run.status === 'needs_input' && run.needsInput) {
      spin.stop('The planner needs more information');
      const fields = await askForInput(clack, run, interactive, options.answers, answered++);
      if (fields === undefined) {
        await api.send('POST', run.links.cancel, { reason: 'no answers given at the terminal' });
        throw new CliError(
          `Run ${run.id} needs: ${run.needsInput.question} (cancelled; pass --answers to answer)`,
        );
      }
      // Refused answers (400) are shown; the loop then asks again (or gives up without a terminal).
      // Names the round it answers, so a repeat can never answer the run's next question.
      const input = `${run.links.input}?round=${run.needsInput.round}`;
      if (await sendOrExplain(clack, api, input, fields)) {
        spin.start(budgetMeters(run));
        await waitUntilChanged(api, run, 'needs_input');
      }
    } else if (run.status === 'awaiting_approval' && run.quote) {
      spin.stop('The planner asks for approval');
      clack.note(quoteText(run.quote), 'Quote');
      const approved = options.yes ? true : interactive ? await confirm(clack, 'Book this trip?') : false;
      if (!interactive)
        clack.log.info(approved ? 'Approved (--yes).' : 'Rejected: pass --yes to approve without asking.');
      run = await api.send('POST', run.links.approval, { approved, quoteId: run.quote.id });
      spin.start(budgetMeters(run));
      await waitUntilChanged(api, run, 'awaiting_approval');
    }
    await sleep(POLL_MS);
    run = await api.send('GET', run.links.self);
  }
}

interface ProgressDisplay {
  start(message: string): void;
  update(message: string): void;
  /** A line that stays (a finished step). */
  print(line: string): void;
  /** A warning that stays (the connection was lost, or is back). */
  warn(line: string): void;
  stop(message: string): void;
}

/** A spinner with the meters on a terminal; on a pipe (tests, scripts) only lines that stay. */
function progressDisplay(clack: Clack, live: boolean): ProgressDisplay {
  if (!live) {
    return {
      start: () => undefined,
      update: () => undefined,
      print: (line) => clack.log.step(line),
      warn: (line) => clack.log.warn(line),
      stop: (message) => clack.log.info(message),
    };
  }
  const spin = clack.spinner();
  let running = false;
  let last = '';
  return {
    start(message) {
      last = message;
      spin.start(message);
      running = true;
    },
    update(message) {
      last = message;
      if (running) spin.message(message);
    },
    print(line) {
      if (running) spin.clear();
      clack.log.step(line);
      if (running) spin.start(last);
    },
    warn(line) {
      if (running) spin.clear();
      clack.log.warn(line);
      if (running) spin.start(last);
    },
    stop(message) {
      if (running) spin.stop(message);
      running = false;
    },
  };
}

/** The answers to send, or undefined when none can be had (non-interactive, nothing left to try). */
async function askForInput(
  clack: Clack,
  run: RunResource,
  interactive: boolean,
  answers: TripFields | undefined,
  round: number,
): Promise<TripFields | undefined> {
  const needs = run.needsInput!;
  clack.log.warn(needs.question);
  for (const field of needs.fields) clack.log.message(`${field.path}: ${field.issue}`);
  if (!interactive) return answers !== undefined && round === 0 ? answers : undefined;
  const fields: Partial<TripFields> = {};
  // Answers in the traveller's words, read by the same recognizers as the request; a range at the
  // start-date prompt answers the end date too, so it is not asked again.
  const today = new Date().toISOString().slice(0, 10);
  for (const path of new Set(needs.fields.map((field) => answerField(field.path)))) {
    if (path === undefined || fields[path] !== undefined) continue;
    const value = await clack.text({
      message: `${path}?`,
      placeholder: placeholders[path] ?? '',
      validate: (text) => {
        if (!text || text.trim() === '') return undefined;
        const reading = readAnswer(path, text, today);
        return 'error' in reading ? reading.error : undefined;
      },
    });
    if (clack.isCancel(value)) return undefined;
    if (value.trim() === '') continue;
    const reading = readAnswer(path, value, today);
    if ('fields' in reading) Object.assign(fields, reading.fields);
  }
  return fields as TripFields;
}

const placeholders: Partial<Record<keyof TripFields, string>> = {
  startDate: '15 January 2027',
  endDate: '22 January 2027',
  travellers: '2 adults and a child of 5',
  budget: '£2,000',
  travellerNames: 'Ada Lovelace and Grace Hopper',
  contactEmail: 'you@example.org',
};

/** Sends answers; true when accepted, false (with the reason shown) when refused as invalid. */
async function sendOrExplain(clack: Clack, api: TripsApi, path: string, body: unknown): Promise<boolean> {
  try {
    await api.send('POST', path, body);
    return true;
  } catch (error) {
    if (!(error instanceof ApiAnswerError) || error.status !== 400) throw error;
    clack.log.error(error.message);
    return false;
  }
}

async function confirm(clack: Clack, message: string): Promise<boolean> {
  const answer = await clack.confirm({ message, initialValue: false });
  return !clack.isCancel(answer) && answer;
}

/** Events are processed asynchronously: wait until the run has moved on, so it is not asked twice. */
async function waitUntilChanged(api: TripsApi, run: RunResource, from: RunResource['status']): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const now = await api.send('GET', run.links.self);
    if (
      now.status !== from ||
      (now.needsInput && run.needsInput && now.needsInput.round !== run.needsInput.round)
    )
      return;
    await sleep(POLL_MS);
  }
}

function report(clack: Clack, run: RunResource): void {
  const text = resultText(run);
  if (text) clack.note(text, run.result?.itinerary ? 'Itinerary' : 'Answer');
  if (run.error) clack.log.error(`${run.error.code}: ${run.error.message}`);
  const line = `Run ${run.id}: ${run.status}`;
  if (run.status === 'completed') clack.outro(line);
  else clack.cancel(line);
}

/** A 4xx/5xx answer of the trips API, with its error message. */
class ApiAnswerError extends CliError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** The trips API over HTTP; every answer is checked against the run resource schema. */
class TripsApi {
  /** Where notices about the connection go (the progress display, once it runs). */
  tell: (line: string) => void = (line) => process.stderr.write(`${line}\n`);

  constructor(private readonly baseUrl: string) {}

  async send(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<RunResource> {
    const response = await this.fetchPatiently(method, path, body, headers);
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CliError(
        `${method} ${path}: HTTP ${response.status}, not JSON: ${terminalLine(text.slice(0, 200))}`,
      );
    }
    if (!response.ok) {
      const error = (
        json as { error?: { code?: string; message?: string; details?: { path: string; issue: string }[] } }
      ).error;
      const details = error?.details?.map((d) => `${d.path}: ${d.issue}`).join('; ');
      // The server's message may quote what a model or a tool wrote: print it as one clean line.
      throw new ApiAnswerError(
        response.status,
        terminalLine(`${error?.message ?? `HTTP ${response.status}`}${details ? ` (${details})` : ''}`),
      );
    }
    const resource = runResourceSchema.safeParse(json);
    if (!resource.success) throw new CliError(`${method} ${path}: the answer is not a run resource.`);
    // Everything printed about the run comes from here: no escape sequence gets through.
    return printableRun(resource.data);
  }

  /**
   * Sends once, then again while the failure is transient (see ./transient) and the app has not
   * been out of reach for longer than RECONNECT_FOR_MS, telling the traveller once that it is
   * reconnecting and once that it is back. Anything else is the answer.
   */
  private async fetchPatiently(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    headers: Record<string, string>,
  ): Promise<Response> {
    // A read, or a start that names its run: sending either again cannot do anything twice.
    const repeatable = method === 'GET' || headers['Idempotency-Key'] !== undefined;
    const since = Date.now();
    let lostFor: string | undefined;
    for (let attempt = 0; ; attempt++) {
      let outcome: Attempt;
      let response: Response | undefined;
      try {
        response = await fetch(new URL(path, this.baseUrl), {
          method,
          headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        outcome = {
          kind: 'answer',
          status: response.status,
          retryAfter: response.headers.get('retry-after'),
        };
      } catch (error) {
        outcome = { kind: 'error', error };
      }
      const decision = decide(outcome, repeatable, attempt, Date.now());
      const outOfTime = decision.retry && Date.now() + decision.waitMs - since > RECONNECT_FOR_MS;
      if (!decision.retry || outOfTime) {
        if (response) {
          if (lostFor && !outOfTime)
            this.tell(`Reconnected to ${this.baseUrl} after ${seconds(Date.now() - since)}.`);
          return response;
        }
        const message = terminalLine(describeError(outcome));
        throw new CliError(
          `Cannot reach ${this.baseUrl}: ${message}${outOfTime ? ` (still failing after ${seconds(Date.now() - since)})` : ''}`,
        );
      }
      await response?.body?.cancel();
      if (lostFor === undefined) {
        lostFor = decision.reason;
        this.tell(`${method} ${path}: ${decision.reason}; reconnecting…`);
      }
      await sleep(decision.waitMs);
    }
  }
}

function describeError(outcome: Attempt): string {
  if (outcome.kind === 'answer') return `HTTP ${outcome.status}`;
  const error = outcome.error as Error;
  const code = errorCode(error);
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** True when an app answers at `baseUrl` within a second. */
async function answers(baseUrl: string): Promise<boolean> {
  try {
    const response = await fetch(`${baseUrl}/api/health`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

async function startLocalHost(store: string | undefined): Promise<LocalHost> {
  // The host's request lines and retry warnings would break up the progress display.
  configureLogging({ level: 'error' });
  // The app's tool client calls its own MCP mounts, so it must know the port before it loads.
  const port = await freePort();
  process.env.MCP_BASE_URL ??= `http://127.0.0.1:${port}/api/mcp`;
  return LocalHost.start({ appDir: repoRoot, port, ...(store ? { storePath: store } : {}) });
}

/** A port free right now on loopback (the host listens on it a moment later). */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => done(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

main(process.argv.slice(2)).then(
  // Exit explicitly: the in-process app may keep timers (telemetry export, store pruning) alive.
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
