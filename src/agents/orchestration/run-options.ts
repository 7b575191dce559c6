/**
 * What every pattern needs from the run it serves: ids, retry policies, write tools, trace
 * context and the run's tracker. Built once by the application's orchestrator from its input.
 */
import type { TraceCarrier } from '../contracts';
import type { ProgressStep } from '../progress';
import type { RetryPolicies } from '../retry';
import type { RunTracker } from '../run-tracker';

export interface RunOptions {
  runId: string;
  tracker: RunTracker;
  retry: RetryPolicies;
  writeTools: readonly string[];
  trace?: TraceCarrier | undefined;
  /**
   * Publishes the run's status with steps that are under way but not yet the run's own (an
   * inline agent's waiting turn, the specialists running in parallel), before the run waits.
   */
  publishProgress?: ((inFlight: readonly ProgressStep[]) => void) | undefined;
  /** Repair turns an agent gets after an answer fails its schema, unless its definition says. */
  maxRepairs?: number | undefined;
}
