import { randomInt } from 'node:crypto';
import { z } from 'zod';
import { market } from '../shared/market';
import { SeededRandom } from '../shared/seeded-random';

const rate = z.number().min(0).max(1);

/**
 * Fault injection for a tool server's HTTP endpoint, off by default. Faults hit `tools/call`
 * requests only, so a client can always connect and list tools, and a test exercises exactly the
 * calls its retry logic protects.
 */
export const faultOptionsSchema = z
  .object({
    /** Added to every tool call before any work. */
    latencyMs: z.number().int().min(0).max(60_000).default(0),
    /** Up to this much more, uniformly at random. */
    latencyJitterMs: z.number().int().min(0).max(60_000).default(0),
    /** Share of calls answered 503 before doing any work. */
    transientErrorRate: rate.default(0),
    /** Share of calls that hang for `timeoutMs` (longer than the client waits), then answer 504 without doing work. */
    timeoutRate: rate.default(0),
    timeoutMs: z.number().int().min(1).max(600_000).default(30_000),
    /** Share of write-tool calls whose work commits but whose response is lost (connection dropped). */
    dropAfterCommitRate: rate.default(0),
    /**
     * Flights and hotels: share of offers whose price changes once they were looked up by id
     * (between a quote and its booking), and by what factor. See shared/market.ts.
     */
    repriceRate: rate.default(0),
    repriceFactor: z.number().positive().max(10).default(1.1),
    repriceAfterLookups: z.number().int().min(1).max(100).default(1),
    /** Seeds the fault decisions; random (and logged) when omitted. */
    seed: z.number().int().optional(),
  })
  .strict();

/** What callers pass (every field optional). */
export type FaultOptions = z.input<typeof faultOptionsSchema>;
/** Parsed, with defaults. */
export type FaultSettings = z.output<typeof faultOptionsSchema>;

/** The faults decided for one tool call; all drawn up front so the sequence stays reproducible. */
export interface FaultPlan {
  delayMs: number;
  transientError: boolean;
  hangMs: number | undefined;
  dropAfterCommit: boolean;
}

const NO_FAULTS: FaultPlan = { delayMs: 0, transientError: false, hangMs: undefined, dropAfterCommit: false };

export class FaultInjector {
  readonly settings: FaultSettings;
  readonly seed: number;
  private readonly random: SeededRandom;

  constructor(options: FaultOptions = {}) {
    this.settings = faultOptionsSchema.parse(options);
    this.seed = this.settings.seed ?? randomInt(2 ** 31);
    this.random = SeededRandom.from(['faults', this.seed]);
  }

  get enabled(): boolean {
    const s = this.settings;
    return (
      s.latencyMs + s.latencyJitterMs > 0 || s.transientErrorRate + s.timeoutRate + s.dropAfterCommitRate > 0
    );
  }

  /** Decides the faults of the next tool call. */
  plan(): FaultPlan {
    if (!this.enabled) return NO_FAULTS;
    const s = this.settings;
    const jitter = this.random.next();
    const transient = this.random.next();
    const timeout = this.random.next();
    const drop = this.random.next();
    return {
      delayMs: s.latencyMs + Math.round(jitter * s.latencyJitterMs),
      transientError: transient < s.transientErrorRate,
      hangMs: timeout < s.timeoutRate ? s.timeoutMs : undefined,
      dropAfterCommit: drop < s.dropAfterCommitRate,
    };
  }
}

/**
 * Sets the process's market from a server's fault settings: price changes apply to the offers
 * of the flights and hotels servers (and so to the bookings made of them).
 */
export function configureMarketFaults(
  server: string,
  settings: FaultSettings | undefined,
  seed: number,
): void {
  if (server !== 'flights' && server !== 'hotels') return;
  const kind = server === 'flights' ? 'flight' : 'hotel';
  market.configure(
    kind,
    settings && settings.repriceRate > 0
      ? {
          rate: settings.repriceRate,
          factor: settings.repriceFactor,
          afterLookups: settings.repriceAfterLookups,
          seed,
        }
      : undefined,
  );
}
