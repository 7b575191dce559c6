import { context, trace, TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { parentContext, traceHeadersFor } from '../../../src/tools/trace-context';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

// No OpenTelemetry SDK is registered in unit tests: these cover the fallback that keeps traces
// connected when telemetry is off, and the parsing of explicit traceparents.
describe('trace context for tool calls', () => {
  it('continues an explicit traceparent', () => {
    const ctx = parentContext(TRACEPARENT);
    expect(trace.getSpanContext(ctx)).toMatchObject({
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
    expect(traceHeadersFor(ctx)).toEqual({ traceparent: TRACEPARENT });
  });

  it('keeps the unsampled flag', () => {
    const unsampled = TRACEPARENT.replace(/-01$/, '-00');
    expect(traceHeadersFor(parentContext(unsampled))).toEqual({ traceparent: unsampled });
  });

  it.each(['garbage', '00-00000000000000000000000000000000-00f067aa0ba902b7-01', TRACEPARENT.toUpperCase()])(
    'ignores an invalid traceparent (%s)',
    (value) => {
      expect(parentContext(value)).toBe(context.active());
      expect(traceHeadersFor(parentContext(value))).toEqual({});
    },
  );

  it('sends nothing when there is no trace at all', () => {
    expect(traceHeadersFor(parentContext(undefined))).toEqual({});
  });
});
