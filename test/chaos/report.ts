/**
 * What a chaos run proves, from the outside: runs terminal, lost or stuck; bookings expected (the
 * quoted items of every approved, completed run) against those found in the bookings store;
 * duplicates; bookings no approval covers; each booking's price against its run's quote; kills;
 * every answer the callers got (no 500s); time. `violations` names each broken promise.
 */
import { FINAL_STATUSES } from '../../src/agents/run-status';
import type { Booking } from '../../src/stores/types';
import type { AnswerTally, ServerFault } from './client';
import type { ModelFaultCounts } from './model-faults';
import type { RunRecord } from './traveller';

export interface ChaosFigures {
  callers: number;
  runs: {
    started: number;
    terminal: number;
    byStatus: Record<string, number>;
    lost: number;
    stuck: number;
    anomalies: string[];
  };
  bookings: {
    expected: number;
    found: number;
    missing: number;
    duplicates: number;
    withoutApproval: number;
    priceMismatches: string[];
  };
  kills: { total: number; afterApproval: number };
  answers: { byStatus: Record<string, number>; faults: ServerFault[]; unreachable: number };
  model: ModelFaultCounts;
  mcpFaults: string;
  seconds: number;
}

export interface ChaosInputs {
  records: RunRecord[];
  bookings: Booking[];
  kills: { total: number; afterApproval: number };
  tally: AnswerTally;
  model: ModelFaultCounts;
  mcpFaults: string;
  seconds: number;
}

export function chaosFigures(inputs: ChaosInputs): ChaosFigures {
  const started = inputs.records.filter((r) => r.id !== undefined);
  const byStatus: Record<string, number> = {};
  for (const record of started) {
    const status = record.lost ? 'lost' : (record.last?.status ?? 'pending');
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  const isTerminal = (r: RunRecord) => r.last !== undefined && FINAL_STATUSES.includes(r.last.status);
  return {
    callers: new Set(inputs.records.map((r) => r.caller)).size,
    runs: {
      started: started.length,
      terminal: started.filter(isTerminal).length,
      byStatus,
      lost: started.filter((r) => r.lost).length,
      stuck: started.filter((r) => !r.lost && !isTerminal(r)).length,
      anomalies: inputs.records.flatMap((r) => r.anomalies.map((a) => `${r.id ?? r.key}: ${a}`)),
    },
    bookings: bookingFigures(started, inputs.bookings),
    kills: inputs.kills,
    answers: {
      byStatus: Object.fromEntries([...inputs.tally.byStatus].sort(([a], [b]) => a - b)),
      faults: inputs.tally.faults,
      unreachable: inputs.tally.unreachable,
    },
    model: inputs.model,
    mcpFaults: inputs.mcpFaults,
    seconds: inputs.seconds,
  };
}

function bookingFigures(runs: RunRecord[], bookings: Booking[]): ChaosFigures['bookings'] {
  const figures = {
    expected: 0,
    found: 0,
    missing: 0,
    duplicates: 0,
    withoutApproval: 0,
    priceMismatches: [] as string[],
  };
  const byRun = new Map<string, Booking[]>();
  for (const booking of bookings) {
    const run = /trip-[0-9a-f]{32}/.exec(booking.idempotencyKey)?.[0] ?? 'unknown';
    byRun.set(run, [...(byRun.get(run) ?? []), booking]);
  }
  for (const record of runs) {
    const own = byRun.get(record.id!) ?? [];
    byRun.delete(record.id!);
    figures.found += own.length;
    const approved = record.last?.result?.approval?.approved === true;
    if (!approved) figures.withoutApproval += own.length;
    const quote = record.last?.quote;
    if (approved && record.last?.status === 'completed' && quote) {
      figures.expected += quote.items.length;
      figures.missing += quote.items.filter((item) => !own.some((b) => b.kind === item.kind)).length;
    }
    for (const kind of ['flight', 'hotel'] as const) {
      figures.duplicates += Math.max(0, own.filter((b) => b.kind === kind).length - 1);
    }
    for (const booking of own) {
      const item = quote?.items.find((i) => i.offerId === (booking.details as { offerId?: string }).offerId);
      const same =
        item !== undefined &&
        Math.abs(item.price.amount - booking.total.amount) < 0.005 &&
        item.price.currency === booking.total.currency;
      if (!same) {
        figures.priceMismatches.push(
          `${record.id} ${booking.kind}: booked ${booking.total.amount} ${booking.total.currency}, quoted ${item ? `${item.price.amount} ${item.price.currency}` : 'nothing for this offer'}`,
        );
      }
    }
  }
  // Bookings of runs no caller started (or with keys of no run) cannot have been approved.
  for (const stray of byRun.values()) figures.withoutApproval += stray.length;
  return figures;
}

export interface ChaosGoals {
  minRuns: number;
  minCallers: number;
  minKills: number;
}

/** Every broken promise, as a sentence; empty when the run held. */
export function violations(f: ChaosFigures, goals: ChaosGoals): string[] {
  const broken: string[] = [];
  const expect = (ok: boolean, what: string) => {
    if (!ok) broken.push(what);
  };
  expect(f.runs.started >= goals.minRuns, `only ${f.runs.started} runs started (goal ${goals.minRuns})`);
  expect(f.callers >= goals.minCallers, `only ${f.callers} callers (goal ${goals.minCallers})`);
  expect(f.kills.total >= goals.minKills, `only ${f.kills.total} kills (goal ${goals.minKills})`);
  expect(f.runs.lost === 0, `${f.runs.lost} runs lost`);
  expect(f.runs.stuck === 0, `${f.runs.stuck} runs stuck (not terminal at the end)`);
  expect(f.runs.terminal === f.runs.started, `${f.runs.started - f.runs.terminal} runs not terminal`);
  expect(f.bookings.duplicates === 0, `${f.bookings.duplicates} duplicate bookings`);
  expect(f.bookings.missing === 0, `${f.bookings.missing} approved items not booked`);
  expect(f.bookings.withoutApproval === 0, `${f.bookings.withoutApproval} bookings without an approval`);
  expect(
    f.bookings.priceMismatches.length === 0,
    `${f.bookings.priceMismatches.length} bookings not at their quoted price`,
  );
  expect(
    f.answers.faults.length === 0,
    `${f.answers.faults.length} answers were server faults (5xx without Retry-After)`,
  );
  expect(f.runs.anomalies.length === 0, `${f.runs.anomalies.length} anomalies`);
  return broken;
}

export function formatReport(f: ChaosFigures, checks: string[]): string {
  const statuses = Object.entries(f.runs.byStatus)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  const answers = Object.entries(f.answers.byStatus)
    .map(([status, n]) => `${status}×${n}`)
    .join(' ');
  const lines = [
    `runs       ${f.runs.started} started by ${f.callers} callers: ${f.runs.terminal} terminal, ${f.runs.lost} lost, ${f.runs.stuck} stuck (${statuses})`,
    `bookings   ${f.bookings.expected} expected, ${f.bookings.found} found, ${f.bookings.missing} missing, ${f.bookings.duplicates} duplicate, ${f.bookings.withoutApproval} without approval`,
    `prices     ${f.bookings.found - f.bookings.priceMismatches.length} of ${f.bookings.found} bookings at their quoted price`,
    `kills      ${f.kills.total} SIGKILL + restart (${f.kills.afterApproval} right after an approval)`,
    `faults     model: ${f.model.requests} requests, ${f.model.rateLimited} × 429, ${f.model.serverError} × 5xx, ${f.model.malformed} malformed; MCP: ${f.mcpFaults}`,
    `answers    ${answers}; ${f.answers.unreachable} requests found the host down; ${f.answers.faults.length} server faults`,
    `time       ${f.seconds.toFixed(0)} s`,
    ...checks.map((line) => `check      ${line}`),
    ...f.runs.anomalies.slice(0, 10).map((a) => `anomaly    ${a}`),
    ...f.bookings.priceMismatches.slice(0, 10).map((m) => `price      ${m}`),
    ...f.answers.faults.slice(0, 10).map((x) => `fault      ${x.method} ${x.path} → ${x.status} ${x.body}`),
  ];
  return lines.join('\n');
}
