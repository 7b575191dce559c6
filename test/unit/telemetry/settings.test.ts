import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors';
import { loadTelemetrySettings } from '../../../src/telemetry/settings';

const AI =
  'InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/';

describe('telemetry settings', () => {
  it('defaults: the local trace store beside the durable store, sampling everything, content capture off', () => {
    expect(loadTelemetrySettings({})).toEqual({
      disabled: false,
      serviceName: 'waypoint-agents',
      environment: 'local',
      inAzure: false,
      sampler: { kind: 'parentbased_always_on' },
      azureMonitor: undefined,
      otlp: undefined,
      traceStore: { path: '.data/traces.sqlite', maxAgeMs: 72 * 3_600_000, maxSpans: 200_000 },
      metricExportIntervalMs: 60_000,
      captureMessageContent: false,
    });
  });

  it('chooses Application Insights (and no local store) when a connection string is set, with Entra ingestion', () => {
    const settings = loadTelemetrySettings({
      APPLICATIONINSIGHTS_CONNECTION_STRING: AI,
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING:
        'ClientId=11111111-2222-3333-4444-555555555555;Authorization=AAD',
      WEBSITE_INSTANCE_ID: 'abc',
      AZURE_FUNCTIONS_ENVIRONMENT: 'Production',
    });
    expect(settings.azureMonitor).toEqual({
      connectionString: AI,
      entra: { clientId: '11111111-2222-3333-4444-555555555555' },
    });
    expect(settings.traceStore).toBeUndefined();
    expect(settings).toMatchObject({ inAzure: true, environment: 'production' });
    expect(
      loadTelemetrySettings({
        APPLICATIONINSIGHTS_CONNECTION_STRING: AI,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD',
      }).azureMonitor?.entra,
    ).toEqual({ clientId: undefined });
  });

  it('adds OTLP with the standard endpoint rules, beside the local store', () => {
    const settings = loadTelemetrySettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318/',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: 'http://127.0.0.1:9090/custom',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_LOGS_PROTOCOL: 'http/json',
    });
    expect(settings.otlp).toEqual({
      tracesUrl: 'http://127.0.0.1:4318/v1/traces',
      metricsUrl: 'http://127.0.0.1:9090/custom',
      logsUrl: 'http://127.0.0.1:4318/v1/logs',
      tracesProtocol: 'http/json',
      metricsProtocol: 'http/protobuf',
      logsProtocol: 'http/json',
    });
    // Logs alone is OTLP too.
    expect(
      loadTelemetrySettings({ OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: 'http://127.0.0.1:4318/logs' }).otlp,
    ).toMatchObject({
      logsUrl: 'http://127.0.0.1:4318/logs',
      tracesUrl: undefined,
    });
    expect(settings.traceStore?.path).toBe('.data/traces.sqlite');
  });

  it('takes the trace store path, :memory: or off, and its bounds', () => {
    expect(loadTelemetrySettings({ WAYPOINT_TRACE_STORE: 'off' }).traceStore).toBeUndefined();
    expect(
      loadTelemetrySettings({
        WAYPOINT_TRACE_STORE: ':memory:',
        WAYPOINT_TRACE_STORE_MAX_AGE_HOURS: '1',
        WAYPOINT_TRACE_STORE_MAX_SPANS: '500',
      }).traceStore,
    ).toEqual({ path: ':memory:', maxAgeMs: 3_600_000, maxSpans: 500 });
    // Named explicitly, it is on even in Azure.
    expect(
      loadTelemetrySettings({ WEBSITE_INSTANCE_ID: 'x', WAYPOINT_TRACE_STORE: '/tmp/t.sqlite' }).traceStore
        ?.path,
    ).toBe('/tmp/t.sqlite');
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, { kind: 'always_off' }],
    [
      { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' },
      { kind: 'traceidratio', ratio: 0.25 },
    ],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio' }, { kind: 'parentbased_traceidratio', ratio: 1 }],
    [
      { OTEL_TRACES_SAMPLER: 'microsoft.fixed_percentage', OTEL_TRACES_SAMPLER_ARG: '0.5' },
      { kind: 'parentbased_traceidratio', ratio: 0.5 },
    ],
    [
      {
        OTEL_TRACES_SAMPLER: 'microsoft.rate_limited',
        OTEL_TRACES_SAMPLER_ARG: '2',
        APPLICATIONINSIGHTS_CONNECTION_STRING: AI,
      },
      { kind: 'rate_limited', tracesPerSecond: 2 },
    ],
  ])('reads the standard sampler variables %j', (env, sampler) => {
    expect(loadTelemetrySettings(env).sampler).toEqual(sampler);
  });

  it.each([
    [{ OTEL_TRACES_SAMPLER: 'sometimes' }, 'OTEL_TRACES_SAMPLER'],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1.5' }, 'OTEL_TRACES_SAMPLER_ARG'],
    [{ OTEL_TRACES_SAMPLER: 'microsoft.rate_limited' }, 'OTEL_TRACES_SAMPLER'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://collector:4317' }, 'OTEL_EXPORTER_OTLP_ENDPOINT'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL'],
    [{ APPLICATIONINSIGHTS_CONNECTION_STRING: 'just-a-key' }, 'APPLICATIONINSIGHTS_CONNECTION_STRING'],
    [
      {
        APPLICATIONINSIGHTS_CONNECTION_STRING: AI,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=Key',
      },
      'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
    ],
    [
      { OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'yes' },
      'OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT',
    ],
    [{ WAYPOINT_TRACE_STORE_MAX_SPANS: '10' }, 'WAYPOINT_TRACE_STORE_MAX_SPANS'],
  ])('refuses %j, naming the setting', (env, setting) => {
    let thrown: unknown;
    try {
      loadTelemetrySettings(env);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).message).toContain(setting);
  });

  it('treats empty variables as unset and honours OTEL_SDK_DISABLED and the content-capture opt-in', () => {
    const settings = loadTelemetrySettings({
      APPLICATIONINSIGHTS_CONNECTION_STRING: '',
      OTEL_SDK_DISABLED: 'TRUE',
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true',
      OTEL_SERVICE_NAME: 'waypoint-mcp',
    });
    expect(settings).toMatchObject({
      azureMonitor: undefined,
      disabled: true,
      captureMessageContent: true,
      serviceName: 'waypoint-mcp',
    });
  });
});
