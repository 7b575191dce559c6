import { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { refuseUnresolvedKeyVaultReferences } from '../key-vault-reference';

/** How new root traces are sampled (the standard `OTEL_TRACES_SAMPLER` names). */
export type SamplerSetting =
  | { kind: 'always_on' | 'always_off' | 'parentbased_always_on' | 'parentbased_always_off' }
  | { kind: 'traceidratio' | 'parentbased_traceidratio'; ratio: number }
  /** Application Insights only (`microsoft.rate_limited`): at most this many traces per second. */
  | { kind: 'rate_limited'; tracesPerSecond: number };

export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TelemetrySettings {
  /** `OTEL_SDK_DISABLED=true`: no SDK at all; the OpenTelemetry API stays a no-op. */
  disabled: boolean;
  serviceName: string;
  environment: string;
  /** True when running in Azure (App Service / Functions set `WEBSITE_INSTANCE_ID`). */
  inAzure: boolean;
  sampler: SamplerSetting;
  /** Set when `APPLICATIONINSIGHTS_CONNECTION_STRING` is. */
  azureMonitor:
    | {
        connectionString: string;
        /** From `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`: Entra ID ingestion with a managed identity. */
        entra: { clientId: string | undefined } | undefined;
      }
    | undefined;
  /** Set when `OTEL_EXPORTER_OTLP_ENDPOINT` (or a per-signal endpoint) is. */
  otlp:
    | {
        tracesUrl: string | undefined;
        metricsUrl: string | undefined;
        logsUrl: string | undefined;
        tracesProtocol: OtlpProtocol;
        metricsProtocol: OtlpProtocol;
        logsProtocol: OtlpProtocol;
      }
    | undefined;
  /** The local trace store; undefined when off. */
  traceStore: { path: string; maxAgeMs: number; maxSpans: number } | undefined;
  /** `OTEL_METRIC_EXPORT_INTERVAL` in ms. */
  metricExportIntervalMs: number;
  /** `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`: prompts, answers, tool arguments and results on spans. */
  captureMessageContent: boolean;
}

export const DEFAULT_SERVICE_NAME = 'waypoint-agents';
export const DEFAULT_TRACE_STORE_PATH = '.data/traces.sqlite';
export const DEFAULT_TRACE_STORE_MAX_AGE_HOURS = 72;
export const DEFAULT_TRACE_STORE_MAX_SPANS = 200_000;

const booleanFlag = z
  .string()
  .trim()
  .toLowerCase()
  .refine((value) => value === 'true' || value === 'false', 'must be true or false')
  .transform((value) => value === 'true');

const protocol = z
  .string()
  .trim()
  .refine(
    (value) => value === 'http/protobuf' || value === 'http/json',
    'must be http/protobuf or http/json (grpc is not supported)',
  )
  .transform((value) => value as OtlpProtocol);

const httpUrl = z.url({ protocol: /^https?$/ });

const envSchema = z.object({
  OTEL_SDK_DISABLED: booleanFlag.default(false),
  OTEL_SERVICE_NAME: z.string().trim().min(1).default(DEFAULT_SERVICE_NAME),
  WAYPOINT_ENVIRONMENT: z.string().trim().min(1).optional(),
  AZURE_FUNCTIONS_ENVIRONMENT: z.string().trim().min(1).optional(),
  WEBSITE_INSTANCE_ID: z.string().optional(),
  OTEL_TRACES_SAMPLER: z.string().trim().toLowerCase().default('parentbased_always_on'),
  OTEL_TRACES_SAMPLER_ARG: z.string().trim().optional(),
  APPLICATIONINSIGHTS_CONNECTION_STRING: z
    .string()
    .trim()
    .regex(/(^|;)\s*(InstrumentationKey|ConnectionString)\s*=/i, 'must contain InstrumentationKey=…')
    .optional(),
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: z.string().trim().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: httpUrl.optional(),
  OTEL_EXPORTER_OTLP_PROTOCOL: protocol.default('http/protobuf'),
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: protocol.optional(),
  OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: protocol.optional(),
  OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: protocol.optional(),
  OTEL_METRIC_EXPORT_INTERVAL: z.coerce.number().int().positive().default(60_000),
  WAYPOINT_TRACE_STORE: z.string().trim().min(1).optional(),
  WAYPOINT_TRACE_STORE_MAX_AGE_HOURS: z.coerce.number().positive().default(DEFAULT_TRACE_STORE_MAX_AGE_HOURS),
  WAYPOINT_TRACE_STORE_MAX_SPANS: z.coerce.number().int().min(100).default(DEFAULT_TRACE_STORE_MAX_SPANS),
  OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: booleanFlag.default(false),
});

type Env = z.infer<typeof envSchema>;

/**
 * Reads the telemetry settings from the environment, failing fast with the names of bad settings.
 *
 * | key | default | meaning |
 * |---|---|---|
 * | APPLICATIONINSIGHTS_CONNECTION_STRING | — | export traces, metrics and logs to Application Insights |
 * | APPLICATIONINSIGHTS_AUTHENTICATION_STRING | — | `Authorization=AAD` (system-assigned identity) or `Authorization=AAD;ClientId=<id>` (user-assigned): Entra ID ingestion |
 * | OTEL_EXPORTER_OTLP_ENDPOINT | — | also export to an OTLP/HTTP collector (`…/v1/traces`, `…/v1/metrics`, `…/v1/logs`); per-signal `OTEL_EXPORTER_OTLP_{TRACES,METRICS,LOGS}_ENDPOINT` are full URLs |
 * | OTEL_EXPORTER_OTLP_PROTOCOL | `http/protobuf` | or `http/json`; headers, timeout and compression come from the standard `OTEL_EXPORTER_OTLP_*` variables |
 * | WAYPOINT_TRACE_STORE | `.data/traces.sqlite` outside Azure without App Insights, else off | the local trace store: a file, `:memory:`, or `off` |
 * | WAYPOINT_TRACE_STORE_MAX_AGE_HOURS | 72 | spans older than this are pruned |
 * | WAYPOINT_TRACE_STORE_MAX_SPANS | 200000 | at most this many spans are kept |
 * | OTEL_SERVICE_NAME | `waypoint-agents` | `service.name` (Application Insights: the cloud role name) |
 * | WAYPOINT_ENVIRONMENT | `AZURE_FUNCTIONS_ENVIRONMENT`, else `production` in Azure, `local` outside | `deployment.environment.name` |
 * | OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG | `parentbased_always_on` | standard samplers; also `microsoft.fixed_percentage` and (App Insights only) `microsoft.rate_limited` |
 * | OTEL_METRIC_EXPORT_INTERVAL | 60000 | ms between metric exports |
 * | OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT | false | record prompts, answers, tool arguments and results on spans |
 * | OTEL_SDK_DISABLED | false | no telemetry SDK at all |
 *
 * `OTEL_RESOURCE_ATTRIBUTES` is honoured too (it is merged into the resource).
 */
export function loadTelemetrySettings(env: NodeJS.ProcessEnv = process.env): TelemetrySettings {
  refuseUnresolvedKeyVaultReferences(env, Object.keys(envSchema.shape));
  const parsed = envSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), issue: issue.message })));
  }
  const values = parsed.data;
  const inAzure = values.WEBSITE_INSTANCE_ID !== undefined;
  const azureMonitor = values.APPLICATIONINSIGHTS_CONNECTION_STRING
    ? {
        connectionString: values.APPLICATIONINSIGHTS_CONNECTION_STRING,
        entra: parseAuthenticationString(values.APPLICATIONINSIGHTS_AUTHENTICATION_STRING),
      }
    : undefined;
  const sampler = parseSampler(values.OTEL_TRACES_SAMPLER, values.OTEL_TRACES_SAMPLER_ARG);
  if (sampler.kind === 'rate_limited' && !azureMonitor) {
    throw invalid([
      {
        path: 'OTEL_TRACES_SAMPLER',
        issue: 'microsoft.rate_limited needs APPLICATIONINSIGHTS_CONNECTION_STRING',
      },
    ]);
  }
  return {
    disabled: values.OTEL_SDK_DISABLED,
    serviceName: values.OTEL_SERVICE_NAME,
    environment:
      values.WAYPOINT_ENVIRONMENT ??
      values.AZURE_FUNCTIONS_ENVIRONMENT?.toLowerCase() ??
      (inAzure ? 'production' : 'local'),
    inAzure,
    sampler,
    azureMonitor,
    otlp: otlpSettings(values),
    traceStore: traceStoreSettings(values, inAzure, azureMonitor !== undefined),
    metricExportIntervalMs: values.OTEL_METRIC_EXPORT_INTERVAL,
    captureMessageContent: values.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT,
  };
}

function otlpSettings(values: Env): TelemetrySettings['otlp'] {
  const base = values.OTEL_EXPORTER_OTLP_ENDPOINT?.replace(/\/+$/, '');
  // The spec: the general endpoint gets the signal's path appended; a per-signal one is used as is.
  const tracesUrl = values.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (base && `${base}/v1/traces`);
  const metricsUrl = values.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT ?? (base && `${base}/v1/metrics`);
  const logsUrl = values.OTEL_EXPORTER_OTLP_LOGS_ENDPOINT ?? (base && `${base}/v1/logs`);
  if (!tracesUrl && !metricsUrl && !logsUrl) return undefined;
  return {
    tracesUrl,
    metricsUrl,
    logsUrl,
    tracesProtocol: values.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? values.OTEL_EXPORTER_OTLP_PROTOCOL,
    metricsProtocol: values.OTEL_EXPORTER_OTLP_METRICS_PROTOCOL ?? values.OTEL_EXPORTER_OTLP_PROTOCOL,
    logsProtocol: values.OTEL_EXPORTER_OTLP_LOGS_PROTOCOL ?? values.OTEL_EXPORTER_OTLP_PROTOCOL,
  };
}

/**
 * The local trace store is for machines without Application Insights: on by default outside
 * Azure when no connection string is set (beside OTLP, if that is on too). Naming a path turns it
 * on anywhere; `off` turns it off.
 */
function traceStoreSettings(
  values: Env,
  inAzure: boolean,
  azureMonitor: boolean,
): TelemetrySettings['traceStore'] {
  const configured = values.WAYPOINT_TRACE_STORE;
  if (configured?.toLowerCase() === 'off') return undefined;
  if (configured === undefined && (inAzure || azureMonitor)) return undefined;
  return {
    path: configured ?? DEFAULT_TRACE_STORE_PATH,
    maxAgeMs: values.WAYPOINT_TRACE_STORE_MAX_AGE_HOURS * 3_600_000,
    maxSpans: values.WAYPOINT_TRACE_STORE_MAX_SPANS,
  };
}

const SAMPLERS_WITHOUT_ARG = new Set([
  'always_on',
  'always_off',
  'parentbased_always_on',
  'parentbased_always_off',
]);

function parseSampler(name: string, arg: string | undefined): SamplerSetting {
  if (SAMPLERS_WITHOUT_ARG.has(name)) return { kind: name as 'always_on' };
  if (
    name === 'traceidratio' ||
    name === 'parentbased_traceidratio' ||
    name === 'microsoft.fixed_percentage'
  ) {
    // The spec's default ratio is 1.0 when the argument is missing.
    const ratio = arg === undefined ? 1 : Number(arg);
    if (!Number.isFinite(ratio) || ratio < 0 || ratio > 1) {
      throw invalid([{ path: 'OTEL_TRACES_SAMPLER_ARG', issue: 'must be a number from 0 to 1' }]);
    }
    // Application Insights' fixed percentage is a trace-id ratio that children follow.
    return { kind: name === 'traceidratio' ? 'traceidratio' : 'parentbased_traceidratio', ratio };
  }
  if (name === 'microsoft.rate_limited') {
    const tracesPerSecond = arg === undefined ? 5 : Number(arg);
    if (!Number.isFinite(tracesPerSecond) || tracesPerSecond <= 0) {
      throw invalid([
        { path: 'OTEL_TRACES_SAMPLER_ARG', issue: 'must be a positive number of traces per second' },
      ]);
    }
    return { kind: 'rate_limited', tracesPerSecond };
  }
  throw invalid([
    {
      path: 'OTEL_TRACES_SAMPLER',
      issue:
        'must be always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio, microsoft.fixed_percentage or microsoft.rate_limited',
    },
  ]);
}

/**
 * `APPLICATIONINSIGHTS_AUTHENTICATION_STRING`, as the Functions host reads it:
 * `Authorization=AAD` for the system-assigned identity, plus `;ClientId=<id>` for a user-assigned one.
 */
function parseAuthenticationString(value: string | undefined): { clientId: string | undefined } | undefined {
  if (value === undefined) return undefined;
  const fields = new Map<string, string>();
  for (const part of value.split(';')) {
    const [key, ...rest] = part.split('=');
    if (key?.trim()) fields.set(key.trim().toLowerCase(), rest.join('=').trim());
  }
  if (fields.get('authorization')?.toUpperCase() !== 'AAD') {
    throw invalid([
      {
        path: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
        issue: 'must be "Authorization=AAD" or "Authorization=AAD;ClientId=<client id>"',
      },
    ]);
  }
  const clientId = fields.get('clientid');
  return { clientId: clientId ? clientId : undefined };
}

function invalid(details: { path: string; issue: string }[]): ValidationError {
  return new ValidationError(
    `Invalid telemetry settings: ${details.map((d) => `${d.path}: ${d.issue}`).join('; ')}`,
    details,
  );
}

/** An empty variable means "not set", not "set to nothing". */
function withoutEmptyValues(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '',
    ),
  );
}
