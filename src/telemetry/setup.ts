/**
 * Telemetry start-up: one `initTelemetry()` before anything else is imported (src/telemetry/init.ts
 * is that first import), one `shutdownTelemetry()` that flushes. Exporters:
 *
 * - Application Insights (`useAzureMonitor`) when APPLICATIONINSIGHTS_CONNECTION_STRING is set,
 *   with Entra ID ingestion via APPLICATIONINSIGHTS_AUTHENTICATION_STRING;
 * - OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set (beside Application Insights, too);
 * - the local trace store (SQLite) outside Azure when there is no connection string.
 *
 * Safe to call from both the Function app and the local host in one process: the first call wins.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  context,
  diag,
  DiagLogLevel,
  metrics,
  propagation,
  trace,
  type Context,
  type DiagLogger,
} from '@opentelemetry/api';
import { logs } from '@opentelemetry/api-logs';
import type { TokenCredential } from '@azure/identity';
import type { AzureMonitorOpenTelemetryOptions } from '@azure/monitor-opentelemetry';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPLogExporter as OtlpJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OtlpProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as OtlpJsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OtlpProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OtlpJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
  type Resource,
} from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider, type LogRecordProcessor } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader, type MetricReader } from '@opentelemetry/sdk-metrics';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { AzureMonitorAttributeCopies } from './azure-monitor-copies';
import { createLogger, DIAGNOSTICS_LOGGER } from './logger';
import { runIdFrom } from './run-context';
import {
  ATTR_DEPLOYMENT_ENVIRONMENT_NAME,
  ATTR_SERVICE_INSTANCE_ID,
  ATTR_SERVICE_NAME,
  ATTR_SERVICE_VERSION,
  ATTR_WAYPOINT_RUN_ID,
} from './semconv';
import { loadTelemetrySettings, type SamplerSetting, type TelemetrySettings } from './settings';
import { ContextualIdGenerator } from './span-ids';
import { TraceStore, TraceStoreSpanProcessor } from './trace-store';

export type ExporterName = 'azure-monitor' | 'otlp' | 'trace-store';

export interface TelemetryOptions {
  /** Defaults to `loadTelemetrySettings(process.env)`. */
  settings?: TelemetrySettings;
  /** Added to the tracer provider (tests: an in-memory exporter's processor). */
  spanProcessors?: SpanProcessor[];
  /** Added to the meter provider (tests: an in-memory metric reader). */
  metricReaders?: MetricReader[];
  /** Added to the logger provider (tests: an in-memory log exporter's processor). */
  logRecordProcessors?: LogRecordProcessor[];
  /** Entra ID credential for Application Insights ingestion; defaults to the managed identity the authentication string names. */
  credential?: TokenCredential;
  /** Merged into useAzureMonitor's options (tests turn off live metrics and offline storage). */
  azureMonitor?: Partial<AzureMonitorOpenTelemetryOptions>;
}

export interface Telemetry {
  readonly settings: TelemetrySettings;
  readonly exporters: readonly ExporterName[];
  /** The local trace store when it is on: the trace API reads runs' trees from it. */
  readonly traceStore: TraceStore | undefined;
  /** Exports everything finished so far (e.g. before reading the trace store). */
  forceFlush(): Promise<void>;
}

interface Active extends Telemetry {
  shutdown(): Promise<void>;
}

const logger = createLogger('telemetry');
let active: Active | undefined;

/**
 * Sets up tracing, metrics and (with Application Insights) logs export, once per process. Later
 * calls return the running setup unchanged. With `OTEL_SDK_DISABLED=true` nothing is registered
 * and every helper stays a no-op.
 */
export function initTelemetry(options: TelemetryOptions = {}): Telemetry {
  if (active) return active;
  const settings = options.settings ?? loadTelemetrySettings();
  if (settings.disabled) {
    active = inert(settings);
    return active;
  }
  diag.setLogger(diagLogger(), DiagLogLevel.WARN);
  const resource = serviceResource(settings);
  active = settings.azureMonitor
    ? startWithAzureMonitor(settings, resource, options)
    : startWithOpenTelemetrySdk(settings, resource, options);
  logger.info('telemetry started', {
    service: settings.serviceName,
    exporters: active.exporters.join(',') || 'none',
    traceStore: active.traceStore ? settings.traceStore?.path : undefined,
  });
  if (active.exporters.length === 0 && !options.spanProcessors?.length) {
    logger.warn('no telemetry exporter is configured: spans propagate but are not recorded', {
      hint: 'set APPLICATIONINSIGHTS_CONNECTION_STRING or OTEL_EXPORTER_OTLP_ENDPOINT',
    });
  }
  return active;
}

/** The running setup, if `initTelemetry` was called. */
export function currentTelemetry(): Telemetry | undefined {
  return active;
}

/** Flushes and stops every exporter, then unregisters the SDK so `initTelemetry` may run again. */
export async function shutdownTelemetry(): Promise<void> {
  const stopping = active;
  active = undefined;
  if (!stopping) return;
  try {
    await stopping.shutdown();
  } finally {
    trace.disable();
    metrics.disable();
    logs.disable();
    propagation.disable();
    context.disable();
    diag.disable();
  }
}

/**
 * Whether prompts, model answers, tool arguments and tool results may be recorded on spans
 * (`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true`). Off by default: they may hold
 * personal data.
 */
export function captureMessageContent(): boolean {
  if (active) return active.settings.captureMessageContent;
  return process.env.OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT?.trim().toLowerCase() === 'true';
}

/** Stamps `waypoint.run.id` from the context onto every span started for a run. */
export class RunIdSpanProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const runId = runIdFrom(parentContext);
    if (runId !== undefined) span.setAttribute(ATTR_WAYPOINT_RUN_ID, runId);
  }
  onEnd(): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}

function startWithOpenTelemetrySdk(
  settings: TelemetrySettings,
  resource: Resource,
  options: TelemetryOptions,
): Active {
  const exporters: ExporterName[] = [];
  const spanProcessors: SpanProcessor[] = [new RunIdSpanProcessor()];
  const otlp = otlpExport(settings);
  if (otlp.spanProcessor) spanProcessors.push(otlp.spanProcessor);
  if (otlp.spanProcessor || otlp.metricReader || otlp.logRecordProcessor) exporters.push('otlp');
  const traceStore = openTraceStore(settings);
  if (traceStore) {
    spanProcessors.push(new TraceStoreSpanProcessor(traceStore));
    exporters.push('trace-store');
  }
  spanProcessors.push(...(options.spanProcessors ?? []));

  const tracerProvider = new NodeTracerProvider({
    resource,
    sampler: sampler(settings.sampler),
    idGenerator: new ContextualIdGenerator(),
    spanProcessors,
  });
  // Registers the AsyncLocalStorage context manager and the W3C trace-context propagator globally.
  tracerProvider.register({ propagator: new W3CTraceContextPropagator() });

  const readers = [...(otlp.metricReader ? [otlp.metricReader] : []), ...(options.metricReaders ?? [])];
  const meterProvider = readers.length > 0 ? new MeterProvider({ resource, readers }) : undefined;
  if (meterProvider) metrics.setGlobalMeterProvider(meterProvider);

  // Log lines become OpenTelemetry log records through the logs API (logger.ts); the SDK exports them.
  const logProcessors = [
    ...(otlp.logRecordProcessor ? [otlp.logRecordProcessor] : []),
    ...(options.logRecordProcessors ?? []),
  ];
  const loggerProvider =
    logProcessors.length > 0 ? new LoggerProvider({ resource, processors: logProcessors }) : undefined;
  if (loggerProvider) logs.setGlobalLoggerProvider(loggerProvider);

  return {
    settings,
    exporters,
    traceStore,
    forceFlush: async () => {
      await Promise.all([
        tracerProvider.forceFlush(),
        meterProvider?.forceFlush(),
        loggerProvider?.forceFlush(),
      ]);
    },
    shutdown: async () => {
      // Shutting the processors down flushes them; the trace store closes with its processor.
      await Promise.all([tracerProvider.shutdown(), meterProvider?.shutdown(), loggerProvider?.shutdown()]);
    },
  };
}

function startWithAzureMonitor(
  settings: TelemetrySettings,
  resource: Resource,
  options: TelemetryOptions,
): Active {
  // Loaded only here: the distro pulls in the whole Node SDK and its instrumentations.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const distro = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  const azure = settings.azureMonitor!;
  const exporters: ExporterName[] = ['azure-monitor'];
  const otlp = otlpExport(settings);
  if (otlp.spanProcessor || otlp.metricReader || otlp.logRecordProcessor) exporters.push('otlp');
  const traceStore = openTraceStore(settings);
  if (traceStore) exporters.push('trace-store');
  const credential = options.credential ?? (azure.entra ? managedIdentity(azure.entra.clientId) : undefined);
  const base: AzureMonitorOpenTelemetryOptions = {
    azureMonitorExporterOptions: {
      connectionString: azure.connectionString,
      ...(credential ? { credential } : {}),
    },
    resource,
    ...azureSampling(settings.sampler),
    // Waypoint records its own SERVER spans (trips API, MCP tools/call); the http instrumentation
    // would add a second server span per request beside them. Azure SDK calls (Cosmos) stay traced.
    instrumentationOptions: { http: { enabled: false } },
    spanProcessors: [
      new RunIdSpanProcessor(),
      new AzureMonitorAttributeCopies(),
      ...(otlp.spanProcessor ? [otlp.spanProcessor] : []),
      ...(traceStore ? [new TraceStoreSpanProcessor(traceStore)] : []),
      ...(options.spanProcessors ?? []),
    ],
    metricReaders: [...(otlp.metricReader ? [otlp.metricReader] : []), ...(options.metricReaders ?? [])],
    // The distro exports log records to Application Insights itself; these go beside it.
    logRecordProcessors: [
      ...(otlp.logRecordProcessor ? [otlp.logRecordProcessor] : []),
      ...(options.logRecordProcessors ?? []),
    ],
  };
  const overrides = options.azureMonitor ?? {};
  distro.useAzureMonitor({
    ...base,
    ...overrides,
    azureMonitorExporterOptions: {
      ...base.azureMonitorExporterOptions,
      ...overrides.azureMonitorExporterOptions,
    },
    spanProcessors: [...(base.spanProcessors ?? []), ...(overrides.spanProcessors ?? [])],
    logRecordProcessors: [...(base.logRecordProcessors ?? []), ...(overrides.logRecordProcessors ?? [])],
  });
  if (!installIdGenerator(new ContextualIdGenerator())) {
    logger.warn(
      'the Azure Monitor distro’s tracer provider has no id generator to replace: spans recorded ahead of their children get random ids, so those children show without their parent',
    );
  }
  return {
    settings,
    exporters,
    traceStore,
    forceFlush: async () => {
      const provider = trace.getTracerProvider() as { forceFlush?: () => Promise<void> };
      const delegate = (
        provider as { getDelegate?: () => { forceFlush?: () => Promise<void> } }
      ).getDelegate?.();
      await (delegate ?? provider).forceFlush?.();
      const meterProvider = metrics.getMeterProvider() as { forceFlush?: () => Promise<void> };
      await meterProvider.forceFlush?.();
    },
    // shutdownAzureMonitor flushes and stops the SDK, including our extra processors and readers.
    shutdown: async () => {
      await distro.shutdownAzureMonitor();
    },
  };
}

/**
 * The Azure Monitor distro builds its own tracer provider and takes no id generator. Its provider
 * (sdk-trace-base's BasicTracerProvider) hands each tracer the config object it keeps, so setting
 * `idGenerator` there before Waypoint asks for its tracers makes them use ours; tracers made
 * already are updated too. Returns false when the provider is not shaped that way (a distro
 * upgrade): test/integration/telemetry checks the ids end to end.
 */
function installIdGenerator(generator: ContextualIdGenerator): boolean {
  const global = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const provider = (global.getDelegate?.() ?? global) as {
    _config?: { idGenerator?: unknown };
    _tracers?: Map<string, { _idGenerator?: unknown }>;
  };
  if (typeof provider._config !== 'object' || provider._config === null) return false;
  provider._config.idGenerator = generator;
  for (const tracer of provider._tracers?.values() ?? []) {
    if ('_idGenerator' in tracer) tracer._idGenerator = generator;
  }
  return true;
}

/**
 * Opens the local trace store. A store that cannot be opened (a read-only disk, a locked file)
 * costs the local trace view, not the app: it is logged and the app runs without it.
 */
function openTraceStore(settings: TelemetrySettings): TraceStore | undefined {
  if (!settings.traceStore) return undefined;
  try {
    return TraceStore.open(settings.traceStore);
  } catch (error) {
    logger.error('the local trace store could not be opened; running without it', {
      path: settings.traceStore.path,
      error,
    });
    return undefined;
  }
}

/** The OTLP/HTTP span processor, metric reader and log record processor, when an endpoint is configured. */
function otlpExport(settings: TelemetrySettings): {
  spanProcessor?: SpanProcessor;
  metricReader?: MetricReader;
  logRecordProcessor?: LogRecordProcessor;
} {
  const otlp = settings.otlp;
  if (!otlp) return {};
  const spanExporter =
    otlp.tracesUrl === undefined
      ? undefined
      : otlp.tracesProtocol === 'http/json'
        ? new OtlpJsonTraceExporter({ url: otlp.tracesUrl })
        : new OtlpProtoTraceExporter({ url: otlp.tracesUrl });
  const metricExporter =
    otlp.metricsUrl === undefined
      ? undefined
      : otlp.metricsProtocol === 'http/json'
        ? new OtlpJsonMetricExporter({ url: otlp.metricsUrl })
        : new OtlpProtoMetricExporter({ url: otlp.metricsUrl });
  const logExporter =
    otlp.logsUrl === undefined
      ? undefined
      : otlp.logsProtocol === 'http/json'
        ? new OtlpJsonLogExporter({ url: otlp.logsUrl })
        : new OtlpProtoLogExporter({ url: otlp.logsUrl });
  return {
    ...(spanExporter ? { spanProcessor: new BatchSpanProcessor(spanExporter) } : {}),
    ...(logExporter ? { logRecordProcessor: new BatchLogRecordProcessor(logExporter) } : {}),
    ...(metricExporter
      ? {
          metricReader: new PeriodicExportingMetricReader({
            exporter: metricExporter,
            exportIntervalMillis: settings.metricExportIntervalMs,
            exportTimeoutMillis: Math.min(30_000, settings.metricExportIntervalMs),
          }),
        }
      : {}),
  };
}

/**
 * service.name/version, the environment and the instance, over the SDK's defaults. A
 * `service.instance.id` from OTEL_RESOURCE_ATTRIBUTES wins; otherwise each process is a new
 * instance (a random UUID, as the conventions recommend; Application Insights' role instance).
 */
function serviceResource(settings: TelemetrySettings): Resource {
  const fromEnv = detectResources({ detectors: [envDetector] });
  return defaultResource()
    .merge(resourceFromAttributes({ [ATTR_SERVICE_INSTANCE_ID]: randomUUID() }))
    .merge(fromEnv)
    .merge(
      resourceFromAttributes({
        [ATTR_SERVICE_NAME]: settings.serviceName,
        [ATTR_SERVICE_VERSION]: packageVersion(),
        [ATTR_DEPLOYMENT_ENVIRONMENT_NAME]: settings.environment,
      }),
    );
}

export function sampler(setting: SamplerSetting): Sampler {
  switch (setting.kind) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(setting.ratio);
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(setting.ratio) });
    case 'parentbased_always_on':
    case 'rate_limited': // refused without Application Insights by the settings
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

/**
 * The distro samples by trace-id hash (the same decision in every service of a trace) or by rate.
 * Its default is 5 traces per second; a run's trace must be whole, so the default here is all.
 */
function azureSampling(
  setting: SamplerSetting,
): Pick<AzureMonitorOpenTelemetryOptions, 'samplingRatio' | 'tracesPerSecond'> {
  switch (setting.kind) {
    case 'rate_limited':
      return { tracesPerSecond: setting.tracesPerSecond };
    case 'traceidratio':
    case 'parentbased_traceidratio':
      return { samplingRatio: setting.ratio, tracesPerSecond: 0 };
    case 'always_off':
    case 'parentbased_always_off':
      return { samplingRatio: 0, tracesPerSecond: 0 };
    default:
      return { samplingRatio: 1, tracesPerSecond: 0 };
  }
}

function managedIdentity(clientId: string | undefined): TokenCredential {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { ManagedIdentityCredential } = require('@azure/identity') as typeof import('@azure/identity');
  return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
}

function inert(settings: TelemetrySettings): Active {
  return {
    settings,
    exporters: [],
    traceStore: undefined,
    forceFlush: async () => {},
    shutdown: async () => {},
  };
}

/** The SDK's own warnings (a failed export, a dropped batch) go to Waypoint's log. */
function diagLogger(): DiagLogger {
  const sdkLogger = createLogger(DIAGNOSTICS_LOGGER);
  const log =
    (write: (message: string) => void) =>
    (message: string, ...args: unknown[]) =>
      write(
        args.length
          ? `${message} ${args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ')}`
          : message,
      );
  return {
    error: log((m) => sdkLogger.error(m)),
    warn: log((m) => sdkLogger.warn(m)),
    info: log((m) => sdkLogger.info(m)),
    debug: log((m) => sdkLogger.debug(m)),
    verbose: log((m) => sdkLogger.debug(m)),
  };
}

let version: string | undefined;

/** package.json's version, found by walking up from this file (src/ or dist/src/). */
function packageVersion(): string {
  if (version !== undefined) return version;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    try {
      const parsed = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (parsed.name === 'waypoint' && typeof parsed.version === 'string') return (version = parsed.version);
    } catch {
      // not here: keep walking up
    }
    if (dirname(dir) === dir) return (version = 'unknown');
  }
}
