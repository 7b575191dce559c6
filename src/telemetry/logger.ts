/**
 * A small structured logger for hosts, servers and CLIs. Readable lines by default; one JSON object
 * per line when `LOG_FORMAT=json` (or `setLogFormat('json')`). Writes to stderr so stdout stays free
 * for protocols (MCP stdio) and program output.
 *
 * One correlation vocabulary on every line that belongs to a run: `trace_id` and `span_id` (the
 * active span's, or given as fields, as the host's access lines do from the app's
 * `traceresponse`) and `waypoint.run.id` (the context's run, or a `runId` field). Each line is
 * also an OpenTelemetry log record in that same context, through the logs API: the SDK's
 * LoggerProvider (setup.ts) exports it over OTLP and, with Application Insights, as a trace in the
 * run's operation.
 */
import { context, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { logs, SeverityNumber, type AnyValueMap } from '@opentelemetry/api-logs';
import { runIdFrom } from './run-context';
import { ATTR_WAYPOINT_RUN_ID } from './semconv';

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

interface Correlation {
  fields: LogFields;
  /** The context the log record is emitted in (it takes its trace and span ids from it). */
  context: Context;
}

const HEX_TRACE = /^[0-9a-f]{32}$/;
const HEX_SPAN = /^[0-9a-f]{16}$/;

/**
 * `trace_id`, `span_id` and `waypoint.run.id` for a line: given as fields (a line about a request
 * whose span the logger cannot see), else from the active context. A `runId` or `run_id` field is
 * the run's id under its one name.
 */
function correlation(given: LogFields): Correlation {
  const active = context.active();
  const fields: LogFields = { ...given };
  const explicitRun = fields.runId ?? fields.run_id ?? fields[ATTR_WAYPOINT_RUN_ID];
  delete fields.runId;
  delete fields.run_id;
  const runId = typeof explicitRun === 'string' ? explicitRun : runIdFrom(active);
  let traceId =
    typeof fields.trace_id === 'string' && HEX_TRACE.test(fields.trace_id) ? fields.trace_id : undefined;
  let spanId =
    typeof fields.span_id === 'string' && HEX_SPAN.test(fields.span_id) ? fields.span_id : undefined;
  let recordContext = active;
  if (traceId && spanId) {
    recordContext = trace.setSpanContext(active, {
      traceId,
      spanId,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  } else {
    const spanContext = trace.getSpanContext(active);
    if (spanContext && trace.isSpanContextValid(spanContext)) {
      traceId = spanContext.traceId;
      spanId = spanContext.spanId;
    }
  }
  delete fields.trace_id;
  delete fields.span_id;
  delete fields[ATTR_WAYPOINT_RUN_ID];
  return {
    fields: {
      ...fields,
      ...(traceId && spanId ? { trace_id: traceId, span_id: spanId } : {}),
      ...(runId === undefined ? {} : { [ATTR_WAYPOINT_RUN_ID]: runId }),
    },
    context: recordContext,
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
  const { fields, context: recordContext } = correlation(given ?? {});
  // The SDK's own diagnostics stay out of the export pipeline they report on (no feedback loop).
  if (name !== DIAGNOSTICS_LOGGER) {
    const { trace_id: _trace, span_id: _span, ...attributes } = fields;
    logs.getLogger('waypoint').emit({
      severityNumber: severity[level],
      severityText: level.toUpperCase(),
      body: message,
      attributes: recordAttributes(name, attributes),
      context: recordContext,
    });
  }
  if (settings.format === 'json') {
    const normalized: LogFields = {};
    for (const [key, value] of Object.entries(fields)) {
      normalized[key] = value instanceof Error ? { message: value.message, stack: value.stack } : value;
    }
    settings.sink(JSON.stringify({ time, level, logger: name, msg: message, ...normalized }));
    return;
  }
  const extras = Object.entries(fields)
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
