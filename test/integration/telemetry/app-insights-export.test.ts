import { networkInterfaces } from 'node:os';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { startMcpHttpServer } from '../../../src/mcp-servers/http/node-http-server';
import { SqliteIdempotencyStore } from '../../../src/stores/sqlite/idempotency-store';
import {
  endChatSpan,
  endInvokeAgentSpan,
  startChatSpan,
  startInvokeAgentSpan,
} from '../../../src/telemetry/genai';
import { configureLogging, createLogger } from '../../../src/telemetry/logger';
import { withRunId } from '../../../src/telemetry/run-context';
import { loadTelemetrySettings } from '../../../src/telemetry/settings';
import { initTelemetry, shutdownTelemetry } from '../../../src/telemetry/setup';
import { ToolClient } from '../../../src/tools/tool-client';
import { futureDate } from '../tools/support/tool-servers';
import {
  IN_LOOPBACK_NAMESPACE,
  runAgainInLoopbackNamespace,
  startIngestionEndpoint,
} from './support/loopback-namespace';

/**
 * Application Insights export with the real `useAzureMonitor`, captured by a local HTTPS ingestion
 * endpoint. The distro also calls the cloud metadata address, so the test runs in a network
 * namespace that has only loopback: this file starts itself again under `unshare -n` (as root, as
 * here and in CI; see support/loopback-namespace.ts), and the inner run does the work.
 */
interface Envelope {
  name: string;
  tags: Record<string, string>;
  data: {
    baseType: string;
    baseData: { name?: string; message?: string; type?: string; properties?: Record<string, string> };
  };
}

runAgainInLoopbackNamespace(
  'Application Insights export',
  'test/integration/telemetry/app-insights-export.test.ts',
  120_000,
);

describe.runIf(IN_LOOPBACK_NAMESPACE)('Application Insights export, inside the namespace', () => {
  it('sends one operation per run: Request and RemoteDependency items with the GenAI properties', async () => {
    // Nothing can leave the machine: loopback is the only interface.
    const interfaces = Object.keys(networkInterfaces());
    expect(interfaces).toEqual(['lo']);

    const { ingestion, connectionString } = await startIngestionEndpoint();
    const flights = await startMcpHttpServer({ server: 'flights' });
    const idempotency = SqliteIdempotencyStore.open(':memory:');
    configureLogging({ level: 'info' });
    let traceId = '';
    try {
      const telemetry = initTelemetry({
        settings: loadTelemetrySettings({
          APPLICATIONINSIGHTS_CONNECTION_STRING: connectionString,
          WAYPOINT_ENVIRONMENT: 'test',
        }),
        azureMonitor: {
          enableLiveMetrics: false,
          enableStandardMetrics: false,
          enablePerformanceCounters: false,
          azureMonitorExporterOptions: { disableOfflineStorage: true },
        },
      });
      expect(telemetry.exporters).toEqual(['azure-monitor']);
      const client = new ToolClient({
        servers: { flights: flights.url },
        allowList: { flights: ['flights.*'] },
        idempotency,
        // Generous: the first call of a cold process on a busy machine; this test is not about timeouts.
        callTimeoutMs: 30_000,
        pendingStaleAfterMs: 40_000,
      });

      // A run as the trips API and the agent runtime will trace it: the request is the root.
      const tracer = trace.getTracer('test');
      const root = tracer.startSpan('POST /api/trips', { kind: SpanKind.SERVER });
      traceId = root.spanContext().traceId;
      await withRunId('run-ai-1', () =>
        context.with(trace.setSpan(context.active(), root), async () => {
          const agent = startInvokeAgentSpan({ name: 'flights', provider: 'openai', model: 'gpt-4o-mini' });
          await context.with(trace.setSpan(context.active(), agent), async () => {
            const chat = startChatSpan({ provider: 'openai', model: 'gpt-4o-mini', agentName: 'flights' });
            endChatSpan(chat, {
              responseModel: 'gpt-4o-mini-2024-07-18',
              finishReasons: ['tool_calls'],
              usage: { inputTokens: 812, outputTokens: 57 },
            });
            const result = await client.callTool({
              agent: 'flights',
              tool: 'flights.search_flights',
              arguments: {
                origin: 'EZE',
                destination: 'Punta Arenas',
                departDate: futureDate(),
                passengers: 2,
              },
              toolCallId: 'call_abc',
            });
            expect(result.ok).toBe(true);
            createLogger('agents').info('flights found', { count: 3 });
          });
          endInvokeAgentSpan(agent, { usage: { inputTokens: 812, outputTokens: 57 } });
        }),
      );
      root.end();
      await client.close();
      await shutdownTelemetry(); // flushes
    } finally {
      await flights.close();
      await idempotency.close();
      await ingestion.close();
    }

    const envelopes = ingestion.requests
      .filter((request) => request.path.startsWith('/v2.1/track'))
      .flatMap((request) => JSON.parse(request.body.toString()) as Envelope[]);
    const byName = (name: string) => envelopes.find((e) => e.data.baseData.name === name);

    const request = byName('POST /api/trips');
    const mcpServer = byName('tools/call search_flights');
    const chat = byName('chat gpt-4o-mini');
    const tool = byName('execute_tool search_flights');
    const agent = byName('invoke_agent flights');
    expect(request?.data.baseType).toBe('RequestData');
    expect(mcpServer?.data.baseType).toBe('RequestData');
    expect(chat?.data.baseType).toBe('RemoteDependencyData');
    expect(tool?.data.baseType).toBe('RemoteDependencyData');
    expect(agent?.data.baseType).toBe('RemoteDependencyData');

    // One operation id for the whole run, the MCP server's side included.
    const spans = [request, mcpServer, chat, tool, agent];
    expect(new Set(spans.map((e) => e?.tags['ai.operation.id']))).toEqual(
      new Set([request!.tags['ai.operation.id']]),
    );
    // Application Insights' operation id is the W3C trace id.
    expect(request?.tags['ai.operation.id']).toBe(traceId);
    expect(request?.tags['ai.cloud.role']).toBe('waypoint-agents');

    expect(chat?.data.baseData.properties).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.usage.input_tokens': '812',
      'gen_ai.usage.output_tokens': '57',
      'waypoint.run.id': 'run-ai-1',
    });
    expect(tool?.data.baseData.properties).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search_flights',
      'gen_ai.tool.call.id': 'call_abc',
      'gen_ai.tool.type': 'function',
      'mcp.method.name': 'tools/call',
    });
    expect(agent?.data.baseData.properties).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'flights',
    });
    expect(mcpServer?.data.baseData.properties).toMatchObject({ 'gen_ai.tool.name': 'search_flights' });

    // The log line arrives as a trace (Message) item in the same operation, with the run id.
    const message = envelopes.find(
      (e) => e.data.baseType === 'MessageData' && e.data.baseData.message === 'flights found',
    );
    expect(message?.tags['ai.operation.id']).toBe(request?.tags['ai.operation.id']);
    expect(message?.data.baseData.properties).toMatchObject({ 'waypoint.run.id': 'run-ai-1', count: '3' });
  }, 60_000);
});
