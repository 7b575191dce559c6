/**
 * Reads an app's host.json as the Functions host and the Durable extension do: app settings named
 * `AzureFunctionsJobHost__<path>` override host.json values (the documented override, which
 * Core Tools applies from local.settings.json too), and a task hub name written `%SETTING%` is
 * resolved from the app settings. The local host keeps its Durable state in its own SQLite
 * store whatever `storageProvider` says; it reads the hub name (status URLs), the route prefix,
 * the concurrency limits and its own `localHost` section.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InstanceLimits } from './durable/limits';

export interface HostJson {
  routePrefix: string;
  hubName: string;
  /** Why the hub name is what it is, for the start-up log (e.g. an unset `%SETTING%`). */
  hubNameNote?: string;
  /** extensions.durableTask.storageProvider.type, as configured (the local host does not use it). */
  storageProvider?: string;
  maxConcurrentActivityFunctions?: number;
  maxConcurrentOrchestratorFunctions?: number;
  /** The `localHost` section: the engine's limits (see docs/local-host.md). */
  limits: Partial<InstanceLimits>;
}

export class HostJsonError extends Error {}

/** Durable's default hub when none is configured (DurableTaskOptions: WEBSITE_SITE_NAME, else TestHubName). */
const DEFAULT_HUB = 'TestHubName';
const OVERRIDE_PREFIX = 'azurefunctionsjobhost__';

/** The `localHost` keys, each the name of an engine limit. */
const LIMIT_KEYS: readonly (keyof InstanceLimits)[] = [
  'maxHistoryEvents',
  'maxPendingActions',
  'maxQueuedEvents',
  'maxActiveInstances',
];

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A key of `object` matched without case, as .NET configuration matches them. */
function keyOf(object: Json, name: string): string | undefined {
  return Object.keys(object).find((key) => key.toLowerCase() === name.toLowerCase());
}

function child(object: Json | undefined, name: string): unknown {
  if (!object) return undefined;
  const key = keyOf(object, name);
  return key === undefined ? undefined : object[key];
}

/**
 * Lays `AzureFunctionsJobHost__a__b=value` settings over the JSON (path matched without case).
 * Values stay strings, as configuration values are; readers below convert what they need.
 */
export function applyHostOverrides(json: Json, settings: NodeJS.ProcessEnv): Json {
  const result = structuredClone(json);
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined || !name.toLowerCase().startsWith(OVERRIDE_PREFIX)) continue;
    const path = name.slice(OVERRIDE_PREFIX.length).split('__').filter(Boolean);
    if (path.length === 0) continue;
    let node = result;
    for (const segment of path.slice(0, -1)) {
      const key = keyOf(node, segment) ?? segment;
      if (!isObject(node[key])) node[key] = {};
      node = node[key] as Json;
    }
    const last = path[path.length - 1];
    node[keyOf(node, last) ?? last] = value;
  }
  return result;
}

/** `%NAME%` as a whole string is an app setting reference (Durable's TryResolveWholeString). */
function resolveHubName(
  configured: unknown,
  settings: NodeJS.ProcessEnv,
): Pick<HostJson, 'hubName' | 'hubNameNote'> {
  if (configured === undefined || configured === null || configured === '') {
    return { hubName: settings.WEBSITE_SITE_NAME || DEFAULT_HUB };
  }
  if (typeof configured !== 'string')
    throw new HostJsonError('extensions.durableTask.hubName must be a string.');
  const reference = /^%([^%]+)%$/.exec(configured);
  if (!reference) return { hubName: configured };
  const setting = reference[1];
  const value = settings[setting];
  if (value) return { hubName: value };
  // In Azure an unresolved hub name stops the Durable extension; locally the name only labels
  // status URLs, so the host runs on with Durable's default and says why.
  return {
    hubName: DEFAULT_HUB,
    hubNameNote: `host.json names the task hub ${configured} and ${setting} is not set: using ${DEFAULT_HUB} (in Azure the app would not start)`,
  };
}

function positiveInteger(path: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 1) {
    throw new HostJsonError(`${path} must be a whole number of at least 1, not ${JSON.stringify(value)}.`);
  }
  return number;
}

function readLimits(section: unknown): Partial<InstanceLimits> {
  if (section === undefined) return {};
  if (!isObject(section)) throw new HostJsonError('localHost must be an object.');
  const limits: Partial<InstanceLimits> = {};
  for (const key of Object.keys(section)) {
    const limit = LIMIT_KEYS.find((name) => name.toLowerCase() === key.toLowerCase());
    if (!limit) {
      throw new HostJsonError(
        `localHost.${key} is not a setting; the settings are ${LIMIT_KEYS.join(', ')}.`,
      );
    }
    const value = positiveInteger(`localHost.${key}`, section[key]);
    if (value !== undefined) limits[limit] = value;
  }
  return limits;
}

/** Interprets host.json's content with the settings' overrides applied. */
export function interpretHostJson(json: Json, settings: NodeJS.ProcessEnv): HostJson {
  const effective = applyHostOverrides(json, settings);
  const extensions = child(effective, 'extensions');
  const http = isObject(extensions) ? child(extensions, 'http') : undefined;
  const durable = isObject(extensions) ? child(extensions, 'durableTask') : undefined;
  const durableTask = isObject(durable) ? durable : undefined;
  const provider = child(durableTask, 'storageProvider');
  const providerType = isObject(provider) ? child(provider, 'type') : undefined;
  const prefix = isObject(http) ? child(http, 'routePrefix') : undefined;
  const activities = positiveInteger(
    'extensions.durableTask.maxConcurrentActivityFunctions',
    child(durableTask, 'maxConcurrentActivityFunctions'),
  );
  const orchestrations = positiveInteger(
    'extensions.durableTask.maxConcurrentOrchestratorFunctions',
    child(durableTask, 'maxConcurrentOrchestratorFunctions'),
  );
  return {
    routePrefix: (typeof prefix === 'string' ? prefix : 'api').replace(/^\/+|\/+$/g, ''),
    ...resolveHubName(child(durableTask, 'hubName'), settings),
    ...(typeof providerType === 'string' ? { storageProvider: providerType } : {}),
    ...(activities !== undefined ? { maxConcurrentActivityFunctions: activities } : {}),
    ...(orchestrations !== undefined ? { maxConcurrentOrchestratorFunctions: orchestrations } : {}),
    limits: readLimits(child(effective, 'localHost')),
  };
}

/** Reads `<appDir>/host.json` (defaults when there is none) with the settings' overrides. */
export function readHostJson(appDir: string, settings: NodeJS.ProcessEnv = process.env): HostJson {
  const path = join(appDir, 'host.json');
  if (!existsSync(path)) return interpretHostJson({}, settings);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HostJsonError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isObject(json)) throw new HostJsonError(`${path} must hold a JSON object.`);
  try {
    return interpretHostJson(json, settings);
  } catch (error) {
    if (error instanceof HostJsonError) throw new HostJsonError(`${path}: ${error.message}`);
    throw error;
  }
}
