/**
 * The duplicate-request checks and the graceful-shutdown check of the chaos suite, each against
 * the running chaos host: they return a line for the report and throw nothing; a failed check's
 * line starts with "FAILED".
 */
import { FINAL_STATUSES } from '../../src/agents/run-status';
import type { RunResource } from '../../src/travel/api/run-resource';
import type { Booking } from '../../src/stores/types';
import { signedIn } from '../support/principal';
import { AnswerTally, ChaosClient, sleep, type Answer } from './client';
import type { ChaosHost } from './chaos-host';

const trip = {
  request: 'Plan a week in Lisbon from London, 3–9 May 2027, for 2 people, budget €4000',
  book: true,
  contactEmail: 'checks@example.org',
  travellerNames: [
    { firstName: 'Ada', lastName: 'Lovelace' },
    { firstName: 'Charles', lastName: 'Babbage' },
  ],
};

function clientFor(host: ChaosHost, user: string, tally: AnswerTally, deadline: () => number): ChaosClient {
  return new ChaosClient(host.url, tally, signedIn(user), deadline);
}

const verdict = (ok: boolean, line: string) => `${ok ? 'ok    ' : 'FAILED'} ${line}`;

/** 50 concurrent POSTs with one key from one caller: one run. */
export async function fiftyStartsOneKey(
  host: ChaosHost,
  tally: AnswerTally,
  deadline: () => number,
): Promise<string> {
  const client = clientFor(host, 'dup-one-key', tally, deadline);
  const answers = await Promise.all(
    Array.from({ length: 50 }, () =>
      client.send('POST', '/api/trips', trip, { 'idempotency-key': 'fifty-at-once' }),
    ),
  );
  const ids = new Set(answers.filter((a) => a.status === 202).map((a) => a.body.id as string));
  const statuses = new Set(answers.map((a) => a.status));
  const ok = ids.size === 1 && statuses.size === 1 && statuses.has(202);
  if (ids.size === 1) await settle(client, [...ids][0]);
  return verdict(
    ok,
    `50 concurrent POSTs with one key: ${ids.size} run(s), answers ${[...statuses].join('/')}`,
  );
}

/** One key from two callers: two runs, each caller seeing only its own. */
export async function oneKeyTwoCallers(
  host: ChaosHost,
  tally: AnswerTally,
  deadline: () => number,
): Promise<string> {
  const [a, b] = ['dup-caller-a', 'dup-caller-b'].map((user) => clientFor(host, user, tally, deadline));
  const [first, second] = await Promise.all(
    [a, b].map((client) => client.send('POST', '/api/trips', trip, { 'idempotency-key': 'shared-key' })),
  );
  const ok =
    first.status === 202 &&
    second.status === 202 &&
    first.body.id !== second.body.id &&
    (await a.send('GET', `/api/trips/${second.body.id}`)).status === 404 &&
    (await b.send('GET', `/api/trips/${first.body.id}`)).status === 404;
  await Promise.all([settle(a, first.body?.id), settle(b, second.body?.id)]);
  return verdict(
    ok,
    `one key from two callers: ${ok ? 'two isolated runs' : `${first.status}/${second.status}, ids ${first.body?.id} ${second.body?.id}`}`,
  );
}

/** 20 concurrent approvals of one quote: one booking per quoted item. */
export async function twentyApprovals(
  host: ChaosHost,
  tally: AnswerTally,
  deadline: () => number,
  bookings: () => Promise<Booking[]>,
): Promise<string> {
  const client = clientFor(host, 'dup-approvals', tally, deadline);
  const started = await client.send('POST', '/api/trips', trip, { 'idempotency-key': 'twenty-approvals' });
  const id = started.body.id as string;
  const waiting = await until(
    client,
    id,
    (run) => run.status === 'awaiting_approval' || FINAL_STATUSES.includes(run.status),
  );
  if (waiting?.status !== 'awaiting_approval') {
    return verdict(false, `20 concurrent approvals: the run never asked (${waiting?.status ?? 'no answer'})`);
  }
  const answers: Answer[] = await Promise.all(
    Array.from({ length: 20 }, () => client.send('POST', `/api/trips/${id}/approval`, { approved: true })),
  );
  // The approvals were raised; the run takes the first of them.
  await until(client, id, (run) => run.status !== 'awaiting_approval');
  const done = await settle(client, id);
  const own = (await bookings()).filter((b) => b.idempotencyKey.includes(id));
  const items = waiting.quote?.items.length ?? 0;
  const perKind = ['flight', 'hotel'].map((kind) => own.filter((b) => b.kind === kind).length);
  const ok = done?.status === 'completed' && own.length === items && perKind.every((n) => n <= 1);
  const accepted = answers.filter((a) => a.status === 202).length;
  return verdict(
    ok,
    `20 concurrent approvals (${accepted} × 202, ${20 - accepted} × 409): ${own.length} booking(s) for ${items} quoted item(s), run ${done?.status}`,
  );
}

/**
 * SIGTERM under load: requests in flight finish, new ones get 503 + Retry-After, never a 500; the
 * host exits by itself and a restarted one still has every run.
 */
export async function gracefulShutdown(
  host: ChaosHost,
  tally: AnswerTally,
  deadline: () => number,
): Promise<string> {
  const client = clientFor(host, 'shutdown', tally, deadline);
  const ids: string[] = [];
  for (let i = 0; i < 5; i++) {
    const started = await client.send('POST', '/api/trips', trip, { 'idempotency-key': `shutdown-${i}` });
    if (started.status === 202) ids.push(started.body.id as string);
  }
  // Each load request is sent once: what the host answered during the stop is what is tallied.
  const seen = new AnswerTally();
  let stopping = true;
  const load = async () => {
    while (stopping) {
      for (const id of ids) {
        try {
          const response = await fetch(`${host.url}/api/trips/${id}`, { headers: signedIn('shutdown') });
          seen.count('GET', `/api/trips/${id}`, response.status, response.headers, await response.text());
        } catch {
          seen.unreachable++;
        }
      }
    }
  };
  const loaders = Array.from({ length: 8 }, load);
  await sleep(500);
  const code = await host.stopGracefully();
  stopping = false;
  await Promise.all(loaders);
  await host.start();
  const after = await Promise.all(ids.map((id) => client.send('GET', `/api/trips/${id}`)));
  for (const id of ids) await settle(client, id);
  const during = [...seen.byStatus].map(([s, n]) => `${s}×${n}`).join(' ');
  const ok = code === 0 && seen.faults.length === 0 && after.every((a) => a.status === 200);
  for (const fault of seen.faults) tally.faults.push(fault);
  return verdict(
    ok,
    `graceful stop under load: exit ${code}, answers ${during}, ${seen.unreachable} refused after close, ${seen.faults.length} faults; all ${ids.length} runs there after restart: ${after.every((a) => a.status === 200)}`,
  );
}

/** Polls `id` until `done` holds or the deadline passes; the last run resource seen. */
async function until(
  client: ChaosClient,
  id: string,
  done: (run: RunResource) => boolean,
  deadline = Date.now() + 300_000,
): Promise<RunResource | undefined> {
  let last: RunResource | undefined;
  while (Date.now() < deadline) {
    const answer = await client.send('GET', `/api/trips/${id}`);
    if (answer.status === 200) {
      last = answer.body as RunResource;
      if (done(last)) return last;
    }
    await sleep(300);
  }
  return last;
}

/** Brings a check's run to an end: rejects a quote, cancels a question, waits for a final status. */
async function settle(client: ChaosClient, id: string | undefined): Promise<RunResource | undefined> {
  if (!id) return undefined;
  for (;;) {
    const run = await until(
      client,
      id,
      (r) =>
        FINAL_STATUSES.includes(r.status) || r.status === 'awaiting_approval' || r.status === 'needs_input',
    );
    if (!run || FINAL_STATUSES.includes(run.status)) return run;
    if (run.status === 'awaiting_approval')
      await client.send('POST', `/api/trips/${id}/approval`, { approved: false });
    else await client.send('POST', `/api/trips/${id}/cancel`, { reason: 'chaos check over' });
  }
}
