/**
 * The Azure Monitor exporter turns some standard attributes into fields of its own (the
 * dependency's target, the request's URL) and drops them from `customDimensions`: `error.type`,
 * `server.address`, `server.port`, `network.transport`, `http.route` among them. Queries across
 * runs need them as dimensions ("failed tool calls by error.type"), so this processor copies
 * each, as the span ends, under a `waypoint.` name the exporter keeps (`waypoint.error.type`,
 * …). It is registered only with Application Insights: other backends keep the originals.
 */
import type { Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR_ERROR_TYPE, ATTR_NETWORK_TRANSPORT, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT } from './semconv';

/** Attributes the exporter (1.18) consumes or drops, that Waypoint's queries read. */
export const COPIED_FOR_AZURE_MONITOR = [
  ATTR_ERROR_TYPE,
  ATTR_SERVER_ADDRESS,
  ATTR_SERVER_PORT,
  ATTR_NETWORK_TRANSPORT,
  'http.route',
] as const;

/** The name a copy goes by: `waypoint.error.type` for `error.type`. */
export const azureMonitorCopyOf = (attribute: string): string => `waypoint.${attribute}`;

export class AzureMonitorAttributeCopies implements SpanProcessor {
  onStart(_span: Span, _parentContext: Context): void {}

  /** Runs before the span is ended, while it still takes attributes. */
  onEnding(span: Span): void {
    const attributes = (span as unknown as ReadableSpan).attributes;
    for (const name of COPIED_FOR_AZURE_MONITOR) {
      const value = attributes[name];
      if (value !== undefined) span.setAttribute(azureMonitorCopyOf(name), value);
    }
  }

  onEnd(): void {}
  async forceFlush(): Promise<void> {}
  async shutdown(): Promise<void> {}
}
