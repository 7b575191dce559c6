/**
 * One caller of the chaos run: a signed-in traveller who starts booking trips (each with its own
 * Idempotency-Key), follows each run, approves most quotes and rejects a few, and keeps every run
 * resource it last saw. Runs overlap up to `concurrency` at a time.
 */
import { FINAL_STATUSES } from '../../src/agents/run-status';
import type { RunResource } from '../../src/travel/api/run-resource';
import { SeededRandom } from '../../src/mcp-servers/shared/seeded-random';
import { sleep, type ChaosClient } from './client';

export interface RunRecord {
  caller: string;
  key: string;
  id?: string;
  /** The run resource last seen. */
  last?: RunResource;
  /** The caller's decision on the quote, once asked. */
  approved?: boolean;
  /** The run answered 404 after it had been started: lost. */
  lost: boolean;
  /** What the caller saw that it did not expect (a question for a complete request, say). */
  anomalies: string[];
}

export interface TravellerOptions {
  caller: string;
  client: ChaosClient;
  runs: number;
  concurrency: number;
  /** Share of quotes approved; the rest are rejected (nothing may be booked for them). */
  approveShare: number;
  seed: number;
  /** Stop following runs after this (ms since the epoch): unfinished ones are reported stuck. */
  deadline: () => number;
  /** Called when an approval was accepted (chaos may kill the host right then). */
  onApproved: () => void;
}

const travellers = (n: number) =>
  [
    { firstName: 'Ada', lastName: 'Lovelace' },
    { firstName: 'Charles', lastName: 'Babbage' },
  ].slice(0, n);

/** Requests the offline planner quotes within budget: they reach approval. */
const TRIPS = [
  {
    request: 'Plan a 4-day hiking trip from Seattle to El Calafate, 10–14 March 2027, for two, budget $5,000',
    people: 2,
  },
  { request: 'Plan a week in Lisbon from London, 3–9 May 2027, for 2 people, budget €4000', people: 2 },
  { request: 'Weekend trip from New York to Chicago, 2027-04-16 to 2027-04-18, solo, $1,500', people: 1 },
  { request: 'Trip from Zürich to Köln, 5–8 March 2027, for one, budget 2000 CHF', people: 1 },
  { request: 'Plan a trip from London to New York, 1–6 May 2027, for 2, budget $9000', people: 2 },
];

export async function travel(options: TravellerOptions): Promise<RunRecord[]> {
  const random = SeededRandom.from(['traveller', options.caller, options.seed]);
  const records: RunRecord[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < options.runs && Date.now() < options.deadline()) {
      const index = next++;
      const record: RunRecord = {
        caller: options.caller,
        key: `${options.caller}/run-${index}`,
        lost: false,
        anomalies: [],
      };
      records.push(record);
      const trip = TRIPS[(index + options.caller.length) % TRIPS.length];
      await follow(options, record, trip, random.chance(options.approveShare));
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return records;
}

async function follow(
  options: TravellerOptions,
  record: RunRecord,
  trip: (typeof TRIPS)[number],
  approve: boolean,
): Promise<void> {
  const { client } = options;
  const body = {
    request: trip.request,
    book: true,
    contactEmail: `${options.caller}@example.org`,
    travellerNames: travellers(trip.people),
  };
  const started = await client.send('POST', '/api/trips', body, { 'idempotency-key': record.key });
  if (started.status !== 202) {
    record.anomalies.push(`start answered ${started.status}: ${JSON.stringify(started.body).slice(0, 200)}`);
    return;
  }
  record.id = started.body.id as string;
  while (Date.now() < options.deadline()) {
    await sleep(300 + Math.floor(Math.random() * 300));
    const answer = await client.send('GET', `/api/trips/${record.id}`);
    if (answer.status === 404) {
      record.lost = true;
      return;
    }
    if (answer.status !== 200) continue;
    const run = answer.body as RunResource;
    record.last = run;
    if (FINAL_STATUSES.includes(run.status)) return;
    if (run.status === 'needs_input') {
      record.anomalies.push(`asked: ${run.needsInput?.question ?? '?'}`);
      await client.send('POST', `/api/trips/${record.id}/cancel`, { reason: 'chaos: unexpected question' });
    } else if (run.status === 'awaiting_approval' && record.approved === undefined) {
      // Decided once; a send cut off by a kill is sent again, and 409 then means it had landed.
      record.approved = approve;
      const decided = await client.send('POST', `/api/trips/${record.id}/approval`, { approved: approve });
      if (decided.status === 202 && approve) options.onApproved();
      else if (decided.status !== 202 && decided.status !== 409) {
        record.anomalies.push(`approval answered ${decided.status}`);
      }
    }
  }
}
