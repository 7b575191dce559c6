import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterEach, describe, expect, it } from 'vitest';
import { TransientError } from '../../../src/domain/errors';
import {
  endChatSpan,
  endExecuteToolSpan,
  endInvokeAgentSpan,
  errorTypeOf,
  startChatSpan,
  startExecuteToolSpan,
  startInvokeAgentSpan,
} from '../../../src/telemetry/genai';
import { MCP_DURATION_BUCKETS, waypointMetrics } from '../../../src/telemetry/metrics';
import { withRunId } from '../../../src/telemetry/run-context';
import { loadTelemetrySettings } from '../../../src/telemetry/settings';
import { captureMessageContent, initTelemetry, shutdownTelemetry } from '../../../src/telemetry/setup';

/** Collects metrics on demand. */
class TestMetricReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function start(env: Record<string, string> = {}) {
  const exporter = new InMemorySpanExporter();
  const reader = new TestMetricReader();
  initTelemetry({
    settings: loadTelemetrySettings({ WAYPOINT_TRACE_STORE: 'off', ...env }),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
    metricReaders: [reader],
  });
  const span = (name: string) => {
    const found = exporter.getFinishedSpans().find((s) => s.name === name);
    if (!found)
      throw new Error(
        `no span ${name}; have ${exporter
          .getFinishedSpans()
          .map((s) => s.name)
          .join(', ')}`,
      );
    return found;
  };
  return { exporter, reader, span };
}

afterEach(async () => {
  await shutdownTelemetry();
});

describe('GenAI span helpers', () => {
  it('are no-ops before telemetry is initialised', () => {
    const agent = startInvokeAgentSpan({ name: 'flights', provider: 'openai' });
    const chat = startChatSpan(
      { provider: 'openai', model: 'gpt-4o' },
      trace.setSpan(context.active(), agent),
    );
    expect(agent.isRecording()).toBe(false);
    expect(() => endChatSpan(chat, { usage: { inputTokens: 1, outputTokens: 1 } })).not.toThrow();
    expect(() => endInvokeAgentSpan(agent)).not.toThrow();
    expect(() =>
      waypointMetrics().runCompleted({ status: 'completed', durationMs: 5, steps: 2 }),
    ).not.toThrow();
  });

  it('name and attribute invoke_agent, chat and execute_tool spans by the current conventions', () => {
    const { span } = start();
    const agent = withRunId('run-42', () =>
      startInvokeAgentSpan(
        {
          name: 'flights',
          id: 'agent-flights',
          provider: 'azure.ai.openai',
          model: 'gpt-4o',
          conversationId: 'run-42',
        },
        TRACEPARENT,
      ),
    );
    const agentContext = trace.setSpan(context.active(), agent);
    const chat = startChatSpan(
      {
        provider: 'azure.ai.openai',
        model: 'gpt-4o',
        agentName: 'flights',
        maxTokens: 800,
        temperature: 0.2,
      },
      agentContext,
    );
    endChatSpan(chat, {
      responseModel: 'gpt-4o-2024-11-20',
      responseId: 'chatcmpl-1',
      finishReasons: ['tool_calls'],
      usage: { inputTokens: 1200, outputTokens: 85 },
    });
    const tool = startExecuteToolSpan(
      { tool: 'search_flights', callId: 'call_9', arguments: { from: 'EZE' } },
      agentContext,
    );
    endExecuteToolSpan(tool, { result: { offers: [] } });
    endInvokeAgentSpan(agent, { usage: { inputTokens: 1200, outputTokens: 85 } });

    const agentSpan = span('invoke_agent flights');
    expect(agentSpan.kind).toBe(SpanKind.INTERNAL);
    expect(agentSpan.spanContext().traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(agentSpan.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(agentSpan.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.provider.name': 'azure.ai.openai',
      'gen_ai.agent.name': 'flights',
      'gen_ai.agent.id': 'agent-flights',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.conversation.id': 'run-42',
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 85,
      'waypoint.run.id': 'run-42',
    });

    const chatSpan = span('chat gpt-4o');
    expect(chatSpan.kind).toBe(SpanKind.CLIENT);
    expect(chatSpan.parentSpanContext?.spanId).toBe(agentSpan.spanContext().spanId);
    expect(chatSpan.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'azure.ai.openai',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.agent.name': 'flights',
      'gen_ai.request.max_tokens': 800,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.response.model': 'gpt-4o-2024-11-20',
      'gen_ai.response.id': 'chatcmpl-1',
      'gen_ai.response.finish_reasons': ['tool_calls'],
      'gen_ai.usage.input_tokens': 1200,
      'gen_ai.usage.output_tokens': 85,
    });
    expect(Object.keys(chatSpan.attributes)).not.toContain('gen_ai.system');

    const toolSpan = span('execute_tool search_flights');
    expect(toolSpan.kind).toBe(SpanKind.INTERNAL);
    expect(toolSpan.attributes).toEqual({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'search_flights',
      'gen_ai.tool.call.id': 'call_9',
      'gen_ai.tool.type': 'function',
    });
  });

  it('record a failed model call with error.type, ERROR status and the exception', () => {
    const { span } = start();
    const chat = startChatSpan({ provider: 'openai', model: 'gpt-4o-mini' });
    endChatSpan(chat, { error: new TransientError('rate limited', { retryAfterMs: 1000 }) });
    const failed = span('chat gpt-4o-mini');
    expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: 'rate limited' });
    expect(failed.attributes['error.type']).toBe('transient');
    expect(failed.events.map((event) => event.name)).toEqual(['exception']);
    expect(errorTypeOf(new TypeError('x'))).toBe('TypeError');
    expect(errorTypeOf('plain')).toBe('_OTHER');
  });

  it('record content only when content capture is on', async () => {
    let harness = start();
    expect(captureMessageContent()).toBe(false);
    const quiet = startChatSpan({
      provider: 'openai',
      model: 'm',
      inputMessages: [{ role: 'user', content: 'secret' }],
    });
    endChatSpan(quiet, { outputMessages: [{ role: 'assistant', content: 'answer' }] });
    const quietAttributes = harness.span('chat m').attributes;
    expect(quietAttributes['gen_ai.input.messages']).toBeUndefined();
    expect(quietAttributes['gen_ai.output.messages']).toBeUndefined();
    await shutdownTelemetry();
    harness = start({ OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' });
    expect(captureMessageContent()).toBe(true);
    const loud = startChatSpan({
      provider: 'openai',
      model: 'm',
      systemInstructions: 'be brief',
      inputMessages: [{ role: 'user', content: 'hi' }],
    });
    endChatSpan(loud, { outputMessages: [{ role: 'assistant', content: 'hello' }] });
    const tool = startExecuteToolSpan({ tool: 't', arguments: { a: 1 } });
    endExecuteToolSpan(tool, { result: { ok: true } });
    expect(harness.span('chat m').attributes).toMatchObject({
      'gen_ai.system_instructions': 'be brief',
      'gen_ai.input.messages': '[{"role":"user","content":"hi"}]',
      'gen_ai.output.messages': '[{"role":"assistant","content":"hello"}]',
    });
    expect(harness.span('execute_tool t').attributes).toMatchObject({
      'gen_ai.tool.call.arguments': '{"a":1}',
      'gen_ai.tool.call.result': '{"ok":true}',
    });
  });

  it('record gen_ai.client.token.usage per token type, equal to the reported usage', async () => {
    const { reader } = start();
    const chat = startChatSpan({ provider: 'openai', model: 'gpt-4o-mini' });
    endChatSpan(chat, { responseModel: 'gpt-4o-mini', usage: { inputTokens: 321, outputTokens: 12 } });
    waypointMetrics().runCompleted({ status: 'budget_exceeded', durationMs: 2_500, steps: 7 });
    waypointMetrics().budgetBreach('tokens');

    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const usage = all.find((m) => m.descriptor.name === 'gen_ai.client.token.usage') as HistogramMetricData;
    expect(usage.descriptor.unit).toBe('{token}');
    const byType = Object.fromEntries(
      usage.dataPoints.map((p) => [p.attributes['gen_ai.token.type'], p.value.sum]),
    );
    expect(byType).toEqual({ input: 321, output: 12 });
    expect(usage.dataPoints[0].attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
    });
    const names = all.map((m) => m.descriptor.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'gen_ai.client.operation.duration',
        'waypoint.runs.completed',
        'waypoint.run.duration',
        'waypoint.run.steps',
        'waypoint.budget.breaches',
      ]),
    );
    const completed = all.find((m) => m.descriptor.name === 'waypoint.runs.completed');
    expect(completed?.dataPoints[0]).toMatchObject({
      value: 1,
      attributes: { 'waypoint.run.status': 'budget_exceeded' },
    });
  });

  it('record MCP durations with the MCP conventions’ buckets, and cost in US dollars', async () => {
    const { reader } = start();
    waypointMetrics().toolCall({ tool: 'get_forecast', server: 'weather', durationMs: 40_000 });
    waypointMetrics().toolServed({ tool: 'get_forecast', durationMs: 90 });
    waypointMetrics().cost(0.25, { currency: 'USD', kind: 'model' });
    const { resourceMetrics } = await reader.collect();
    const all = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
    for (const name of ['mcp.client.operation.duration', 'mcp.server.operation.duration']) {
      const histogram = all.find((m) => m.descriptor.name === name) as HistogramMetricData;
      expect(histogram.dataPoints[0].value.buckets.boundaries).toEqual(MCP_DURATION_BUCKETS);
    }
    // 40 s falls in the (30, 60] bucket: the GenAI buckets (…, 40.96, …) would put it elsewhere.
    const client = all.find(
      (m) => m.descriptor.name === 'mcp.client.operation.duration',
    ) as HistogramMetricData;
    expect(client.dataPoints[0].value.buckets.counts[MCP_DURATION_BUCKETS.indexOf(60)]).toBe(1);
    const cost = all.find((m) => m.descriptor.name === 'waypoint.cost');
    expect(cost?.descriptor.unit).toBe('{USD}');
  });
});
