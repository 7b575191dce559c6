/**
 * The trip planner's settings, read from the environment (local.settings.json Values locally, app
 * settings in Azure) and validated with zod once: budget defaults and the server's maxima, how
 * long a run waits for the traveller, the bounded rounds, retry policies per activity kind, and
 * the keys of service clients of the trips API. Every key is listed in local.settings.sample.json.
 *
 * | key | default |
 * |---|---|
 * | TRIP_BUDGET_STEPS / TRIP_BUDGET_MAX_STEPS | 80 / 400 |
 * | TRIP_BUDGET_TOKENS / TRIP_BUDGET_MAX_TOKENS | 200000 / 2000000 |
 * | TRIP_BUDGET_WALL_TIME_MS / TRIP_BUDGET_MAX_WALL_TIME_MS | 7200000 (2 h) / 86400000 (24 h) |
 * | TRIP_BUDGET_TOOL_CALLS / TRIP_BUDGET_MAX_TOOL_CALLS | 40 / 200 |
 * | TRIP_BUDGET_MONEY_USD / TRIP_BUDGET_MAX_MONEY_USD | 20000 / 1000000 |
 * | TRIP_INPUT_TIMEOUT_MS | 1800000 (30 min) |
 * | TRIP_APPROVAL_TIMEOUT_MS | 3600000 (1 h) |
 * | TRIP_MAX_INPUT_ROUNDS | 3 (1–10) |
 * | TRIP_MAX_REVISION_ROUNDS | 2 (0–5) |
 * | TRIP_MAX_REPAIRS | 2 (0–5): repair turns after a model's answer fails its schema |
 * | TRIPS_MAX_ACTIVE_RUNS_PER_CALLER | 20: unfinished runs one caller may have; more starts answer 429 |
 * | TRIP_RETRY_MODEL, TRIP_RETRY_TOOL_READ, TRIP_RETRY_TOOL_WRITE | DEFAULT_RETRY_POLICIES; a JSON object overrides some fields, e.g. `{"maxAttempts":6}` |
 * | TRIPS_CLIENT_KEYS | — : service clients, `name=<sha256 hex of the key>` separated by commas (see api/caller.ts) |
 */
import { z } from 'zod';
import { BUDGET_NAMES, budgetLimitsSchema, type BudgetLimits } from '../agents/budgets';
import {
  checkWriteRetryWindow,
  DEFAULT_RETRY_POLICIES,
  retryPolicySchema,
  type RetryPolicies,
  type RetryPolicy,
} from '../agents/retry';
import { ValidationError } from '../domain/errors';

export interface TripSettings {
  /** What a run gets when its request names no budget. */
  budgetDefaults: BudgetLimits;
  /** What no request may exceed (`resolveLimits` caps overrides with these). */
  budgetMaxima: BudgetLimits;
  inputTimeoutMs: number;
  approvalTimeoutMs: number;
  maxInputRounds: number;
  maxRevisionRounds: number;
  maxRepairs: number;
  retry: RetryPolicies;
  /** Service clients of the trips API: client name → SHA-256 (hex) of its key. */
  clientKeys: ReadonlyMap<string, string>;
  /** Unfinished runs one caller may have at once; a start beyond it answers 429. */
  maxActiveRunsPerCaller: number;
}

const int = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);
const money = (fallback: number) => z.coerce.number().positive().max(100_000_000).default(fallback);

const HOUR = 3_600_000;
/** A week: a wait or a run longer than this is a mistake in the settings, not a plan. */
const MAX_DURATION_MS = 7 * 24 * HOUR;

const envSchema = z.object({
  TRIP_BUDGET_STEPS: int(1, 100_000, 80),
  TRIP_BUDGET_TOKENS: int(1, 100_000_000, 200_000),
  TRIP_BUDGET_WALL_TIME_MS: int(1_000, MAX_DURATION_MS, 2 * HOUR),
  TRIP_BUDGET_TOOL_CALLS: int(1, 100_000, 40),
  TRIP_BUDGET_MONEY_USD: money(20_000),
  TRIP_BUDGET_MAX_STEPS: int(1, 100_000, 400),
  TRIP_BUDGET_MAX_TOKENS: int(1, 100_000_000, 2_000_000),
  TRIP_BUDGET_MAX_WALL_TIME_MS: int(1_000, MAX_DURATION_MS, 24 * HOUR),
  TRIP_BUDGET_MAX_TOOL_CALLS: int(1, 100_000, 200),
  TRIP_BUDGET_MAX_MONEY_USD: money(1_000_000),
  TRIP_INPUT_TIMEOUT_MS: int(1_000, MAX_DURATION_MS, HOUR / 2),
  TRIP_APPROVAL_TIMEOUT_MS: int(1_000, MAX_DURATION_MS, HOUR),
  TRIP_MAX_INPUT_ROUNDS: int(1, 10, 3),
  TRIP_MAX_REVISION_ROUNDS: int(0, 5, 2),
  TRIP_MAX_REPAIRS: int(0, 5, 2),
  TRIPS_MAX_ACTIVE_RUNS_PER_CALLER: int(1, 10_000, 20),
  TRIP_RETRY_MODEL: z.string().optional(),
  TRIP_RETRY_TOOL_READ: z.string().optional(),
  TRIP_RETRY_TOOL_WRITE: z.string().optional(),
  TRIPS_CLIENT_KEYS: z.string().optional(),
});
type TripEnv = z.infer<typeof envSchema>;

const RETRY_SETTINGS = {
  model: 'TRIP_RETRY_MODEL',
  toolRead: 'TRIP_RETRY_TOOL_READ',
  toolWrite: 'TRIP_RETRY_TOOL_WRITE',
} as const satisfies Record<keyof RetryPolicies, keyof TripEnv>;

/** A client name and the SHA-256 of its key: `name=64 hex digits`. */
const CLIENT_KEY_ENTRY = /^([A-Za-z0-9._-]{1,64})=([0-9a-fA-F]{64})$/;

/**
 * Reads the trip settings, failing fast with the names of bad settings. When
 * `pendingStaleAfterMs` (the tool layer's MCP_PENDING_STALE_MS) is given, the write retry policy
 * must keep retrying for longer than it (see `checkWriteRetryWindow`).
 */
export function loadTripSettings(
  env: NodeJS.ProcessEnv = process.env,
  options: { pendingStaleAfterMs?: number } = {},
): TripSettings {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    fail(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), issue: issue.message })));
  }
  const values = parsed.data;

  const budgetDefaults = budgetLimitsSchema.parse({
    steps: values.TRIP_BUDGET_STEPS,
    tokens: values.TRIP_BUDGET_TOKENS,
    wallTimeMs: values.TRIP_BUDGET_WALL_TIME_MS,
    toolCalls: values.TRIP_BUDGET_TOOL_CALLS,
    money: values.TRIP_BUDGET_MONEY_USD,
  });
  const budgetMaxima = budgetLimitsSchema.parse({
    steps: values.TRIP_BUDGET_MAX_STEPS,
    tokens: values.TRIP_BUDGET_MAX_TOKENS,
    wallTimeMs: values.TRIP_BUDGET_MAX_WALL_TIME_MS,
    toolCalls: values.TRIP_BUDGET_MAX_TOOL_CALLS,
    money: values.TRIP_BUDGET_MAX_MONEY_USD,
  });
  // A default above its maximum would be silently capped on every run: say so instead.
  const inverted = BUDGET_NAMES.filter((name) => budgetDefaults[name] > budgetMaxima[name]);
  if (inverted.length > 0) {
    fail(
      inverted.map((name) => ({
        path: `TRIP_BUDGET_${budgetSettingSuffix(name)}`,
        issue: `the default (${budgetDefaults[name]}) is above TRIP_BUDGET_MAX_${budgetSettingSuffix(name)} (${budgetMaxima[name]})`,
      })),
    );
  }

  const retry = {} as RetryPolicies;
  for (const [kind, setting] of Object.entries(RETRY_SETTINGS) as [keyof RetryPolicies, keyof TripEnv][]) {
    retry[kind] = retryPolicy(setting, values[setting] as string | undefined, DEFAULT_RETRY_POLICIES[kind]);
  }
  if (options.pendingStaleAfterMs !== undefined) {
    try {
      checkWriteRetryWindow(retry.toolWrite, options.pendingStaleAfterMs);
    } catch (error) {
      fail([{ path: 'TRIP_RETRY_TOOL_WRITE', issue: (error as Error).message }]);
    }
  }

  return {
    budgetDefaults,
    budgetMaxima,
    inputTimeoutMs: values.TRIP_INPUT_TIMEOUT_MS,
    approvalTimeoutMs: values.TRIP_APPROVAL_TIMEOUT_MS,
    maxInputRounds: values.TRIP_MAX_INPUT_ROUNDS,
    maxRevisionRounds: values.TRIP_MAX_REVISION_ROUNDS,
    maxRepairs: values.TRIP_MAX_REPAIRS,
    maxActiveRunsPerCaller: values.TRIPS_MAX_ACTIVE_RUNS_PER_CALLER,
    retry,
    clientKeys: clientKeys(values.TRIPS_CLIENT_KEYS),
  };
}

function budgetSettingSuffix(name: (typeof BUDGET_NAMES)[number]): string {
  return {
    steps: 'STEPS',
    tokens: 'TOKENS',
    wallTimeMs: 'WALL_TIME_MS',
    toolCalls: 'TOOL_CALLS',
    money: 'MONEY_USD',
  }[name];
}

/** The default policy with the fields a JSON setting overrides. */
function retryPolicy(setting: string, text: string | undefined, fallback: RetryPolicy): RetryPolicy {
  if (text === undefined) return { ...fallback };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    fail([{ path: setting, issue: 'not valid JSON (e.g. {"maxAttempts":6})' }]);
  }
  const parsed = retryPolicySchema.partial().strict().safeParse(json);
  if (!parsed.success) {
    fail(
      parsed.error.issues.map((issue) => ({
        path: [setting, ...issue.path].join('.'),
        issue: issue.message,
      })),
    );
  }
  return { ...fallback, ...parsed.data };
}

function clientKeys(text: string | undefined): Map<string, string> {
  const keys = new Map<string, string>();
  for (const entry of (text ?? '').split(',').map((part) => part.trim())) {
    if (entry === '') continue;
    const match = CLIENT_KEY_ENTRY.exec(entry);
    if (!match) {
      fail([{ path: 'TRIPS_CLIENT_KEYS', issue: 'each entry is name=<SHA-256 of the key, 64 hex digits>' }]);
    }
    if (keys.has(match[1]))
      fail([{ path: 'TRIPS_CLIENT_KEYS', issue: `client "${match[1]}" is listed twice` }]);
    keys.set(match[1], match[2].toLowerCase());
  }
  return keys;
}

function fail(details: { path: string; issue: string }[]): never {
  throw new ValidationError(
    `Invalid trip settings: ${details.map((d) => `${d.path}: ${d.issue}`).join('; ')}`,
    details,
  );
}
