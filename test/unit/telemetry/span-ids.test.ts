import { context, ROOT_CONTEXT, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ContextualIdGenerator,
  contextWithParent,
  deriveSpanId,
  deriveTraceId,
  hasIdentity,
  parseTraceparent,
  startSpanWithId,
  traceparentOf,
} from '../../../src/telemetry/span-ids';

describe('derived ids', () => {
  it('are a function of their parts only, in the W3C formats', () => {
    const id = deriveSpanId('invoke_agent', 'trip-1:flights:0');
    expect(id).toMatch(/^[0-9a-f]{16}$/);
    expect(deriveSpanId('invoke_agent', 'trip-1:flights:0')).toBe(id);
    expect(deriveSpanId('invoke_agent', 'trip-1:flights:1')).not.toBe(id);
    expect(deriveTraceId('trip-1')).toMatch(/^[0-9a-f]{32}$/);
    expect(deriveTraceId('trip-1')).toBe(deriveTraceId('trip-1'));
  });

  it('are the 64-bit FNV-1a + splitmix64 hash they always were (ids of stored traces stay valid)', () => {
    // The reference: the same hash in BigInt arithmetic, byte by byte.
    const reference = (text: string, seed = 0xcbf29ce484222325n): string => {
      const mask = 0xffffffffffffffffn;
      let h = seed;
      for (const byte of new TextEncoder().encode(text)) h = ((h ^ BigInt(byte)) * 0x100000001b3n) & mask;
      h = ((h ^ (h >> 30n)) * 0xbf58476d1ce4e5b9n) & mask;
      h = ((h ^ (h >> 27n)) * 0x94d049bb133111ebn) & mask;
      return (h ^ (h >> 31n)).toString(16).padStart(16, '0');
    };
    const samples = ['', 'a', 'trip-1:flights:0', 'Zürich → Köln 東京 🏔️', 'x'.repeat(1_000)];
    for (let i = 0; i < 200; i++)
      samples.push(
        String.fromCharCode(...Array.from({ length: i % 37 }, (_, k) => (i * 131 + k * 7919) % 0x2fff)),
      );
    for (const sample of samples) {
      expect(deriveSpanId(sample)).toBe(reference(`string:${sample}`));
      expect(deriveTraceId(sample, 3)).toBe(
        reference(`string:${sample}\u0000number:3`) +
          reference(`string:${sample}\u0000number:3`, 0xcbf29ce484222325n ^ 0x9e3779b97f4a7c15n),
      );
    }
    expect(deriveSpanId('invoke_agent', 'trip-1:flights:0')).toBe(
      reference('string:invoke_agent\u0000string:trip-1:flights:0'),
    );
  });

  it('keep parts apart: joining never makes two lists collide', () => {
    expect(deriveSpanId('ab', 'c')).not.toBe(deriveSpanId('a', 'bc'));
    expect(deriveSpanId(1, 'x')).not.toBe(deriveSpanId('1', 'x'));
  });

  it('spread: 5,000 neighbouring inputs give 5,000 ids', () => {
    const ids = new Set<string>();
    for (let turn = 0; turn < 5_000; turn++) ids.add(deriveSpanId('chat', 'trip-1:hotels:0', turn));
    expect(ids.size).toBe(5_000);
  });

  it('round-trip through a traceparent', () => {
    const traceId = deriveTraceId('run');
    const spanId = deriveSpanId('span');
    expect(parseTraceparent(traceparentOf(traceId, spanId))).toEqual({ traceId, spanId, sampled: true });
    expect(parseTraceparent('00-' + '0'.repeat(32) + '-' + spanId + '-01')).toBeUndefined();
    expect(parseTraceparent('garbage')).toBeUndefined();
  });
});

describe('ContextualIdGenerator', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({
    idGenerator: new ContextualIdGenerator(),
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
  });

  it('gives a span the id it was started with, and only that span', () => {
    const tracer = provider.getTracer('test');
    const traceId = deriveTraceId('run-1');
    const identity = { spanId: deriveSpanId('root', 'run-1'), traceId };
    const root = startSpanWithId(tracer, 'root', { root: true }, ROOT_CONTEXT, identity);
    expect(hasIdentity(root, identity)).toBe(true);
    expect(root.spanContext().traceId).toBe(traceId);
    // A child started normally inside gets a random id.
    const child = tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root));
    expect(child.spanContext().spanId).not.toBe(identity.spanId);
    expect(child.spanContext().traceId).toBe(traceId);
    child.end();
    root.end();
  });

  it('lets a child name a parent that is recorded later, under the parent’s own id', () => {
    exporter.reset();
    const tracer = provider.getTracer('test');
    const traceId = deriveTraceId('run-2');
    const agentId = deriveSpanId('invoke_agent', 'run-2:flights:0');
    // The turn is recorded first, under the agent that is not recorded yet...
    const turn = tracer.startSpan('chat', {}, contextWithParent(traceId, agentId, ROOT_CONTEXT));
    turn.end();
    // ...and the agent later, with the id the turn pointed at.
    const agent = startSpanWithId(tracer, 'invoke_agent flights', {}, ROOT_CONTEXT, {
      spanId: agentId,
      traceId,
    });
    agent.end();
    const [chat, invoke] = exporter.getFinishedSpans();
    expect(chat.parentSpanContext?.spanId).toBe(invoke.spanContext().spanId);
    expect(invoke.spanContext().traceId).toBe(chat.spanContext().traceId);
  });
});
