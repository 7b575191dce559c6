/**
 * What Azure's scale controller learns about an app's Durable triggers: the Functions host's sync
 * of triggers (azure-functions-host, src/WebJobs.Script.WebHost/Management/FunctionsSyncManager.cs,
 * GetFunctionTriggers / ReadDurableTaskConfig / GetDurableV2Config) reads host.json from the
 * deployed package, not the app settings, and copies these values onto every orchestration,
 * activity and entity trigger it reports:
 *   extensions.durableTask.hubName                        → taskHubName (verbatim, `%SETTING%` included)
 *   extensions.durableTask.storageProvider                → storageProvider (the whole object)
 *   extensions.durableTask.storageProvider.connectionStringName → connection
 *   maxConcurrentOrchestratorFunctions / maxConcurrentActivityFunctions
 * Keys are matched without case, as the host does. With an extension bundle the Durable extension
 * is taken to be v2 or later. A missing hubName becomes the site name (we never rely on that).
 */
import { readdirSync } from 'node:fs';

export interface DurableTriggerView {
  type: string;
  functionName: string;
  taskHubName?: string;
  connection?: string;
  storageProvider?: Record<string, unknown>;
  maxConcurrentOrchestratorFunctions?: number;
  maxConcurrentActivityFunctions?: number;
}

const DURABLE_TRIGGERS = new Set(['orchestrationtrigger', 'activitytrigger', 'entitytrigger']);

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function get(object: unknown, key: string): unknown {
  if (!isObject(object)) return undefined;
  const found = Object.keys(object).find((name) => name.toLowerCase() === key.toLowerCase());
  return found === undefined ? undefined : object[found];
}

/** The trigger metadata the scale controller receives for one function's trigger binding. */
export function scaleControllerTrigger(
  hostJson: unknown,
  functionName: string,
  triggerType: string,
): DurableTriggerView {
  const view: DurableTriggerView = { type: triggerType, functionName };
  if (!DURABLE_TRIGGERS.has(triggerType.toLowerCase())) return view;
  const durable = get(get(hostJson, 'extensions'), 'durableTask');
  const hubName = get(durable, 'hubName');
  if (hubName !== undefined && hubName !== null) view.taskHubName = String(hubName as string);
  const provider = get(durable, 'storageProvider');
  if (isObject(provider)) {
    const connection = get(provider, 'connectionStringName');
    if (connection !== undefined && connection !== null) view.connection = String(connection as string);
    view.storageProvider = provider;
  }
  const orchestrators = get(durable, 'maxConcurrentOrchestratorFunctions');
  if (orchestrators !== undefined) view.maxConcurrentOrchestratorFunctions = Number(orchestrators);
  const activities = get(durable, 'maxConcurrentActivityFunctions');
  if (activities !== undefined) view.maxConcurrentActivityFunctions = Number(activities);
  return view;
}

/** Resolves a whole-string `%SETTING%` against app settings, as the platform's name resolver does. */
export function resolveSetting(value: string, settings: Record<string, string>): string | undefined {
  const reference = /^%([^%]+)%$/.exec(value);
  return reference ? settings[reference[1]] : value;
}

/**
 * The top-level entries of the project folder that the deployment package keeps: `.funcignore`
 * lines are gitignore patterns (Core Tools and azd read them so); ours are names and `*` globs,
 * which is all this understands (it throws on anything else, so a new kind of line is noticed).
 */
export function packagedEntries(projectDir: string, funcignore: string): string[] {
  const patterns = funcignore
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      if (/[!\\[\]?]/.test(line) || line.slice(0, -1).includes('/')) {
        throw new Error(`.funcignore line "${line}" is beyond this reader (names and * globs only)`);
      }
      const name = line.replace(/\/$/, '');
      return new RegExp(`^${name.replace(/[.+^${}()|]/g, '\\$&').replace(/\*/g, '.*')}$`);
    });
  return readdirSync(projectDir)
    .filter((entry) => !patterns.some((pattern) => pattern.test(entry)))
    .sort();
}
