/** The chaos run's settings: the full run (`npm run chaos`) and the short one CI runs. */
import type { ChaosOptions } from './scenario';

type Sizes = Pick<
  ChaosOptions,
  'callers' | 'runsPerCaller' | 'concurrency' | 'minKills' | 'seed' | 'timeLimitMs' | 'log'
>;

const faults = {
  model: { rateLimited: 0.04, serverError: 0.03, malformed: 0.03 },
  mcpFaults: {
    reads: {
      transientErrorRate: 0.08,
      timeoutRate: 0.01,
      timeoutMs: 8_000,
      latencyMs: 5,
      latencyJitterMs: 40,
    },
    bookings: { transientErrorRate: 0.1, dropAfterCommitRate: 0.15, latencyJitterMs: 40 },
  },
} satisfies Pick<ChaosOptions, 'model' | 'mcpFaults'>;

export function fullChaos(sizes: Sizes): ChaosOptions {
  return {
    ...faults,
    ...sizes,
    minRuns: sizes.callers * sizes.runsPerCaller,
    minCallers: sizes.callers,
    killEveryMs: [6_000, 18_000],
    maxTimedKills: Number.POSITIVE_INFINITY,
    killAfterApproval: 0.15,
    approveShare: 0.9,
    checks: true,
  };
}

/**
 * A few minutes on a busy 2-core machine (CI): 4 callers, 20 runs, 3 kills at random moments and
 * some right after approvals, every check.
 */
export function shortChaos(log: (line: string) => void, seed = 1234): ChaosOptions {
  return {
    ...fullChaos({
      callers: 4,
      runsPerCaller: 5,
      concurrency: 2,
      minKills: 3,
      seed,
      timeLimitMs: 600_000,
      log,
    }),
    // Twenty runs take about 40 s on a quiet machine: three timed kills must fit well inside.
    killEveryMs: [3_000, 7_000],
    maxTimedKills: 3,
    killAfterApproval: 0.2,
  };
}
