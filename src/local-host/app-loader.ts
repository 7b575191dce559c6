/**
 * Loads a Node.js Functions app (v4 programming model) the way the Functions host does: read its
 * package.json `main` (a file or a glob), load every match with our `@azure/functions-core`
 * stand-in in place, and read host.json. Refuses, at start and by name, functions this host cannot
 * run, so nothing is silently ignored; a function switched off with the Functions setting
 * `AzureWebJobs.<name>.Disabled` is left out, so the rest of such an app still runs.
 */
import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { captureRegistrations, type CapturedApp, type CapturedFunction } from './functions-core-shim';
import { HostJsonError, readHostJson, type HostJson } from './host-json';

export type { HostJson } from './host-json';

export type FunctionKind = 'http' | 'orchestration' | 'activity' | 'entity';

export interface LoadedFunction extends CapturedFunction {
  name: string;
  kind: FunctionKind;
  triggerName: string;
}

export interface LoadedApp {
  appDir: string;
  entryFiles: string[];
  /** The functions the host runs: every registered function that is not disabled. */
  functions: Map<string, LoadedFunction>;
  /** Functions switched off by `AzureWebJobs.<name>.Disabled`, in registration order. */
  disabled: string[];
  hooks: CapturedApp['hooks'];
  hostJson: HostJson;
  /** The app's own copy of @azure/functions, so requests and contexts are its classes. */
  functionsLibrary: typeof import('@azure/functions');
}

export class AppLoadError extends Error {}

const triggerKinds: Record<string, FunctionKind> = {
  httpTrigger: 'http',
  orchestrationTrigger: 'orchestration',
  activityTrigger: 'activity',
  entityTrigger: 'entity',
};

const supportedExtraBindings = new Set(['durableClient', 'orchestrationClient', 'http']);

/**
 * Apps are modules: loading one twice in a process would register nothing the second time, so
 * what an app registered is kept; which functions run is decided again on every load.
 */
const loaded = new Map<
  string,
  Omit<LoadedApp, 'functions' | 'disabled' | 'hostJson'> & { captured: CapturedApp }
>();

/**
 * Loads the app in `appDirInput`. `settings` are the app settings (the environment, where the host
 * has already put local.settings.json's Values), read for `AzureWebJobs.<name>.Disabled`.
 */
export function loadFunctionApp(appDirInput: string, settings: NodeJS.ProcessEnv = process.env): LoadedApp {
  const appDir = resolve(appDirInput);
  const registered = loaded.get(appDir) ?? register(appDir);
  loaded.set(appDir, registered);
  const { captured } = registered;

  const functions = new Map<string, LoadedFunction>();
  const disabled: string[] = [];
  const problems: string[] = [];
  for (const [name, fn] of captured.functions) {
    if (isDisabled(settings, name)) {
      disabled.push(name);
      continue;
    }
    const bindings = Object.entries(fn.metadata.bindings);
    const trigger = bindings.find(([, binding]) => binding.type.toLowerCase().endsWith('trigger'));
    if (!trigger) {
      problems.push(`Function "${name}" has no trigger binding.`);
      continue;
    }
    const [triggerName, triggerBinding] = trigger;
    const kind = triggerKinds[triggerBinding.type];
    if (!kind) {
      problems.push(
        `Function "${name}" uses trigger "${triggerBinding.type}", which the local host cannot run; ${disableHint(name)}.`,
      );
      continue;
    }
    for (const [bindingName, binding] of bindings) {
      if (bindingName === triggerName) continue;
      if (!supportedExtraBindings.has(binding.type)) {
        problems.push(
          `Function "${name}" uses a "${binding.type}" binding (${bindingName}), which the local host cannot provide; ${disableHint(name)}.`,
        );
      }
    }
    functions.set(name, { ...fn, name, kind, triggerName });
  }
  if (problems.length > 0) {
    throw new AppLoadError(
      `The app in ${appDir} uses features the local host does not support:\n  ${problems.join('\n  ')}\n` +
        `Settings go in local.settings.json "Values" or the environment; a disabled function is left out, as in Azure.`,
    );
  }
  const { captured: _captured, ...app } = registered;
  // Read on every load: host.json's values depend on the settings (overrides, %SETTING% names).
  let hostJson: HostJson;
  try {
    hostJson = readHostJson(appDir, settings);
  } catch (error) {
    if (error instanceof HostJsonError) throw new AppLoadError(error.message);
    throw error;
  }
  return { ...app, functions, disabled, hostJson };
}

function register(
  appDir: string,
): Omit<LoadedApp, 'functions' | 'disabled' | 'hostJson'> & { captured: CapturedApp } {
  const packageJsonPath = join(appDir, 'package.json');
  if (!existsSync(packageJsonPath)) {
    throw new AppLoadError(`No package.json in ${appDir}: is this a Functions app folder?`);
  }
  const packageJson = JSON.parse(readFileSync(packageJsonPath, 'utf8')) as { main?: string };
  if (!packageJson.main) {
    throw new AppLoadError(
      `${packageJsonPath} has no "main": the Functions host needs it to find your functions.`,
    );
  }
  const entryFiles = expandMain(appDir, packageJson.main);
  if (entryFiles.length === 0) {
    throw new AppLoadError(
      `"main" (${packageJson.main}) in ${packageJsonPath} matches no file. Did you build the app (npm run build)?`,
    );
  }

  const appRequire = createRequire(packageJsonPath);
  const captured = captureRegistrations(() => {
    for (const file of entryFiles) appRequire(file);
  });
  const functionsLibrary = appRequire('@azure/functions') as typeof import('@azure/functions');

  return {
    appDir,
    entryFiles,
    captured,
    hooks: captured.hooks,
    functionsLibrary,
  };
}

function disableHint(name: string): string {
  return `to run the rest of the app without it, set AzureWebJobs.${name}.Disabled to true`;
}

/**
 * `AzureWebJobs.<name>.Disabled` set to true (or 1) switches a function off, as in Azure.
 * `AzureWebJobs__<name>__Disabled` is the same setting spelled for shells that cannot export a
 * name with dots (double underscores are the Functions host's hierarchy separator).
 */
export function isDisabled(settings: NodeJS.ProcessEnv, name: string): boolean {
  const value = settings[`AzureWebJobs.${name}.Disabled`] ?? settings[`AzureWebJobs__${name}__Disabled`];
  return value !== undefined && /^(true|1)$/i.test(value.trim());
}

/**
 * Expands `main`: a file, or a glob with `*`, `**` and `{a,b}` as the Functions host allows. The
 * result stays inside the app folder: a `main` that points outside it is refused, and the glob
 * walk does not follow symbolic links to folders (a link loop would otherwise crash the start).
 */
export function expandMain(appDir: string, main: string): string[] {
  const root = realpathSync(appDir);
  const inside = (path: string): boolean => path === root || path.startsWith(root + sep);
  const outside = (): AppLoadError =>
    new AppLoadError(
      `"main" (${main}) points outside the app folder ${appDir}; the host loads only files inside it.`,
    );
  if (!/[*?{]/.test(main)) {
    const file = resolve(root, main);
    if (!inside(file)) throw outside();
    if (!existsSync(file)) return [];
    if (!inside(realpathSync(file))) throw outside();
    return [file];
  }
  const relativeMain = main.replace(/^\.\//, '');
  if (isAbsolute(relativeMain) || relativeMain.split('/').includes('..')) throw outside();
  const pattern = globToRegExp(relativeMain);
  const matches: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (
        (entry.isFile() || (entry.isSymbolicLink() && isFileInside(full, inside))) &&
        pattern.test(relative(root, full).split(sep).join('/'))
      ) {
        matches.push(full);
      }
    }
  };
  walk(root);
  return matches.sort();
}

/** A symlinked entry is loaded only when it is a file whose target lies inside the app folder. */
function isFileInside(path: string, inside: (path: string) => boolean): boolean {
  try {
    const target = realpathSync(path);
    return inside(target) && statSync(target).isFile();
  } catch {
    return false;
  }
}

function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '*') {
      if (glob[i + 1] === '*') {
        source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += glob[i + 2] === '/' ? 2 : 1;
      } else {
        source += '[^/]*';
      }
    } else if (char === '?') source += '[^/]';
    else if (char === '{') source += '(?:';
    else if (char === '}') source += ')';
    else if (char === ',') source += '|';
    else source += char.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
