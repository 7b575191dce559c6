import {
  metrics,
  type Attributes,
  type Counter,
  type Histogram,
  type MeterProvider,
} from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_PROVIDER_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOKEN_TYPE,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_MCP_METHOD_NAME,
  ATTR_WAYPOINT_BUDGET_NAME,
  ATTR_WAYPOINT_COST_KIND,
  ATTR_WAYPOINT_CURRENCY,
  ATTR_WAYPOINT_RETRY_KIND,
  ATTR_WAYPOINT_RETRY_NAME,
  ATTR_WAYPOINT_RUN_STATUS,
  ATTR_WAYPOINT_TOOL_SERVER,
  METRIC,
} from './semconv';

/** The GenAI conventions' advised buckets for `gen_ai.client.token.usage`. */
const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
/** The GenAI conventions' advised buckets for `gen_ai.client.operation.duration`, in seconds. */
const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
/** The MCP conventions' advised buckets for `mcp.{client,server}.operation.duration`, in seconds. */
export const MCP_DURATION_BUCKETS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30, 60, 120, 300];
const RUN_DURATION_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 14400, 86400];
const STEP_BUCKETS = [1, 2, 4, 8, 16, 32, 64, 128, 256];

export interface ModelUsage {
  provider: string;
  /** `chat` for model turns. */
  operation: string;
  requestModel: string;
  responseModel?: string | undefined;
  inputTokens?: number | undefined;
  outputTokens?: number | undefined;
}

/**
 * The metrics the issue lists, as typed recording functions. Instruments are created from the
 * global MeterProvider on first use after it changes, so they work once `initTelemetry` has run and
 * are no-ops before (the metrics API, unlike tracing, has no proxy that would pick up a later SDK).
 */
export interface WaypointMetrics {
  runStarted(attributes?: Attributes): void;
  /** A run reached a final status (`completed`, `failed`, `budget_exceeded`, `cancelled`). */
  runCompleted(run: { status: string; durationMs: number; steps: number }): void;
  /** `gen_ai.client.token.usage` (input and output separately) and `gen_ai.client.operation.duration`. */
  modelCall(usage: ModelUsage & { durationMs: number; errorType?: string | undefined }): void;
  /** Money in US dollars (the unit); `currency` stays as an attribute for the queries that group by it. */
  cost(amount: number, attributes: { currency: 'USD'; kind: 'model' | 'trip' | (string & {}) }): void;
  /** `mcp.client.operation.duration` per tool, and `waypoint.tool.errors` when it failed. */
  toolCall(call: { tool: string; server: string; durationMs: number; errorType?: string | undefined }): void;
  /** The MCP server side of a tool call. */
  toolServed(call: { tool: string; durationMs: number; errorType?: string | undefined }): void;
  retry(attributes: { kind: 'activity' | 'tool' | 'model' | (string & {}); name: string }): void;
  budgetBreach(budget: string): void;
  /** A side-effecting call answered from its idempotency record instead of calling the server. */
  idempotentReplay(tool: string): void;
}

interface Instruments {
  runsStarted: Counter;
  runsCompleted: Counter;
  runDuration: Histogram;
  runSteps: Histogram;
  tokenUsage: Histogram;
  operationDuration: Histogram;
  cost: Counter;
  mcpClientDuration: Histogram;
  mcpServerDuration: Histogram;
  toolErrors: Counter;
  retries: Counter;
  budgetBreaches: Counter;
  idempotentReplays: Counter;
}

let cached: { provider: MeterProvider; instruments: Instruments } | undefined;

function instruments(): Instruments {
  const provider = metrics.getMeterProvider();
  if (cached?.provider === provider) return cached.instruments;
  const meter = provider.getMeter('waypoint');
  const created: Instruments = {
    runsStarted: meter.createCounter(METRIC.runsStarted, { description: 'Runs started.', unit: '{run}' }),
    runsCompleted: meter.createCounter(METRIC.runsCompleted, {
      description: 'Runs that reached a final status, by status.',
      unit: '{run}',
    }),
    runDuration: meter.createHistogram(METRIC.runDuration, {
      description: 'Wall time of a run from start to its final status.',
      unit: 's',
      advice: { explicitBucketBoundaries: RUN_DURATION_BUCKETS },
    }),
    runSteps: meter.createHistogram(METRIC.runSteps, {
      description: 'Steps (model turns, tool calls, validations) a run took.',
      unit: '{step}',
      advice: { explicitBucketBoundaries: STEP_BUCKETS },
    }),
    tokenUsage: meter.createHistogram(METRIC.tokenUsage, {
      description: 'Number of input and output tokens used.',
      unit: '{token}',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    operationDuration: meter.createHistogram(METRIC.operationDuration, {
      description: 'GenAI operation duration.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    cost: meter.createCounter(METRIC.cost, {
      description: 'Money spent or quoted, by kind (model tokens, trip), in US dollars.',
      unit: '{USD}',
    }),
    mcpClientDuration: meter.createHistogram(METRIC.mcpClientOperationDuration, {
      description: 'Duration of MCP requests as seen by the tool client.',
      unit: 's',
      advice: { explicitBucketBoundaries: MCP_DURATION_BUCKETS },
    }),
    mcpServerDuration: meter.createHistogram(METRIC.mcpServerOperationDuration, {
      description: 'Duration of MCP requests as seen by the server.',
      unit: 's',
      advice: { explicitBucketBoundaries: MCP_DURATION_BUCKETS },
    }),
    toolErrors: meter.createCounter(METRIC.toolErrors, {
      description: 'Tool calls that failed, by tool and error.type.',
      unit: '{call}',
    }),
    retries: meter.createCounter(METRIC.retries, {
      description: 'Retries scheduled, by kind.',
      unit: '{retry}',
    }),
    budgetBreaches: meter.createCounter(METRIC.budgetBreaches, {
      description: 'Runs stopped by a budget, by budget.',
      unit: '{breach}',
    }),
    idempotentReplays: meter.createCounter(METRIC.idempotentReplays, {
      description: 'Side-effecting tool calls answered from their idempotency record.',
      unit: '{call}',
    }),
  };
  cached = { provider, instruments: created };
  return created;
}

const seconds = (ms: number) => Math.max(0, ms) / 1000;

/** Waypoint's metric instruments (see WaypointMetrics). Cheap to call; call it at the point of use. */
export function waypointMetrics(): WaypointMetrics {
  const i = instruments();
  return {
    runStarted: (attributes = {}) => i.runsStarted.add(1, attributes),
    runCompleted: ({ status, durationMs, steps }) => {
      const attributes = { [ATTR_WAYPOINT_RUN_STATUS]: status };
      i.runsCompleted.add(1, attributes);
      i.runDuration.record(seconds(durationMs), attributes);
      i.runSteps.record(steps, attributes);
    },
    modelCall: (usage) => {
      const attributes: Attributes = {
        [ATTR_GEN_AI_OPERATION_NAME]: usage.operation,
        [ATTR_GEN_AI_PROVIDER_NAME]: usage.provider,
        [ATTR_GEN_AI_REQUEST_MODEL]: usage.requestModel,
        ...(usage.responseModel ? { [ATTR_GEN_AI_RESPONSE_MODEL]: usage.responseModel } : {}),
      };
      if (usage.inputTokens !== undefined)
        i.tokenUsage.record(usage.inputTokens, { ...attributes, [ATTR_GEN_AI_TOKEN_TYPE]: 'input' });
      if (usage.outputTokens !== undefined)
        i.tokenUsage.record(usage.outputTokens, { ...attributes, [ATTR_GEN_AI_TOKEN_TYPE]: 'output' });
      i.operationDuration.record(seconds(usage.durationMs), {
        ...attributes,
        ...(usage.errorType ? { [ATTR_ERROR_TYPE]: usage.errorType } : {}),
      });
    },
    cost: (amount, { currency, kind }) => {
      if (amount > 0)
        i.cost.add(amount, { [ATTR_WAYPOINT_CURRENCY]: currency, [ATTR_WAYPOINT_COST_KIND]: kind });
    },
    toolCall: ({ tool, server, durationMs, errorType }) => {
      const attributes = {
        [ATTR_MCP_METHOD_NAME]: 'tools/call',
        [ATTR_GEN_AI_TOOL_NAME]: tool,
        [ATTR_WAYPOINT_TOOL_SERVER]: server,
        ...(errorType ? { [ATTR_ERROR_TYPE]: errorType } : {}),
      };
      i.mcpClientDuration.record(seconds(durationMs), attributes);
      if (errorType) i.toolErrors.add(1, attributes);
    },
    toolServed: ({ tool, durationMs, errorType }) =>
      i.mcpServerDuration.record(seconds(durationMs), {
        [ATTR_MCP_METHOD_NAME]: 'tools/call',
        [ATTR_GEN_AI_TOOL_NAME]: tool,
        ...(errorType ? { [ATTR_ERROR_TYPE]: errorType } : {}),
      }),
    retry: ({ kind, name }) =>
      i.retries.add(1, { [ATTR_WAYPOINT_RETRY_KIND]: kind, [ATTR_WAYPOINT_RETRY_NAME]: name }),
    budgetBreach: (budget) => i.budgetBreaches.add(1, { [ATTR_WAYPOINT_BUDGET_NAME]: budget }),
    idempotentReplay: (tool) => i.idempotentReplays.add(1, { [ATTR_GEN_AI_TOOL_NAME]: tool }),
  };
}
