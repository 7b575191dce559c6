/**
 * A small structured logger for hosts, servers and CLIs. Readable lines by default; one JSON object
 * per line when `LOG_FORMAT=json` (or `setLogFormat('json')`). Writes to stderr so stdout stays free
 * for protocols (MCP stdio) and program output.
 */
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

function write(name: string, level: LogLevel, message: string, fields: LogFields | undefined): void {
  if (levelOrder[level] < levelOrder[settings.level]) return;
  const time = new Date().toISOString();
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
