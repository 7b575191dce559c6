/**
 * A small structured logger for hosts, servers and CLIs. Readable lines by default; one JSON object
 * per line when `LOG_FORMAT=json` (or `setLogFormat('json')`). Writes to stderr so stdout stays free
 * for protocols (MCP stdio) and program output.
 *
 * Each line carries the active span's `trace_id` and `span_id` and the run's `run_id` when there
 * are any, and is also emitted as an OpenTelemetry log record (a no-op unless a logger provider is
 * registered — with Application Insights it is, so lines arrive as traces tied to their operation).
 */
import { context, trace } from '@opentelemetry/api';
import { logs, SeverityNumber, type AnyValueMap } from '@opentelemetry/api-logs';
import { runIdFrom } from './run-context';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  child(name: string): Logger;
}

const levelOrder: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

interface LogSettings {
  format: 'text' | 'json';
  level: LogLevel;
  sink: (line: string) => void;
}

const settings: LogSettings = {
  format: process.env.LOG_FORMAT === 'json' ? 'json' : 'text',
  level: parseLevel(process.env.LOG_LEVEL) ?? 'info',
  sink: (line) => process.stderr.write(line + '\n'),
};

function parseLevel(value: string | undefined): LogLevel | undefined {
  const lower = value?.toLowerCase();
  return lower === 'debug' || lower === 'info' || lower === 'warn' || lower === 'error' ? lower : undefined;
}

export function configureLogging(options: Partial<LogSettings>): void {
  Object.assign(settings, options);
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (typeof value === 'string') return /\s|=|"/.test(value) ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** The logger name OpenTelemetry's diagnostics are written under (see setup.ts). */
export const DIAGNOSTICS_LOGGER = 'otel';

const severity: Record<LogLevel, SeverityNumber> = {
  debug: SeverityNumber.DEBUG,
  info: SeverityNumber.INFO,
  warn: SeverityNumber.WARN,
  error: SeverityNumber.ERROR,
};

/** trace_id, span_id and run_id of the active context, when there are any. */
function correlation(): LogFields {
  const active = context.active();
  const spanContext = trace.getSpanContext(active);
  const runId = runIdFrom(active);
  return {
    ...(spanContext && trace.isSpanContextValid(spanContext)
      ? { trace_id: spanContext.traceId, span_id: spanContext.spanId }
      : {}),
    ...(runId === undefined ? {} : { run_id: runId }),
  };
}

/** JSON for a field value; its type when it cannot be serialised (a cycle, a BigInt). */
function jsonOrType(value: unknown): string {
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

/** Log record attributes: primitives as they are, anything else as JSON. */
function recordAttributes(name: string, fields: LogFields): AnyValueMap {
  const attributes: AnyValueMap = { 'waypoint.logger': name };
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (value instanceof Error) {
      attributes[`${key}.message`] = value.message;
      attributes[`${key}.type`] = value.name;
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      attributes[key] = value;
    } else {
      attributes[key] = jsonOrType(value);
    }
  }
  return attributes;
}

function write(name: string, level: LogLevel, message: string, given: LogFields | undefined): void {
  if (levelOrder[level] < levelOrder[settings.level]) return;
  const time = new Date().toISOString();
  const ids = correlation();
  const fields = { ...given, ...ids };
  // The SDK's own diagnostics stay out of the export pipeline they report on (no feedback loop).
  if (name !== DIAGNOSTICS_LOGGER) {
    // The record takes its trace and span ids from the active context itself.
    logs.getLogger('waypoint').emit({
      severityNumber: severity[level],
      severityText: level.toUpperCase(),
      body: message,
      attributes: {
        ...recordAttributes(name, given ?? {}),
        ...(ids.run_id === undefined ? {} : { 'waypoint.run.id': ids.run_id as string }),
      },
    });
  }
  if (settings.format === 'json') {
    const normalized: LogFields = {};
    for (const [key, value] of Object.entries(fields ?? {})) {
      normalized[key] = value instanceof Error ? { message: value.message, stack: value.stack } : value;
    }
    settings.sink(JSON.stringify({ time, level, logger: name, msg: message, ...normalized }));
    return;
  }
  const extras = Object.entries(fields ?? {})
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${formatValue(value)}`)
    .join(' ');
  settings.sink(
    `${time.slice(11, 23)} ${level.toUpperCase().padEnd(5)} [${name}] ${message}${extras ? ' ' + extras : ''}`,
  );
}

export function createLogger(name: string): Logger {
  return {
    debug: (message, fields) => write(name, 'debug', message, fields),
    info: (message, fields) => write(name, 'info', message, fields),
    warn: (message, fields) => write(name, 'warn', message, fields),
    error: (message, fields) => write(name, 'error', message, fields),
    child: (child) => createLogger(`${name}:${child}`),
  };
}
