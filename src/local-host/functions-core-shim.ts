/**
 * Stands in for `@azure/functions-core`, the module the Azure Functions Node worker provides to
 * the `@azure/functions` library at run time. Without it the library drops every registration
 * ("test mode"). Like the worker, we resolve that module name to our own object before the app
 * loads, so the app's unmodified `app.*` / `df.app.*` calls reach us. Nothing in node_modules is
 * patched.
 */
import Module from 'node:module';

/** A binding as the library describes it to the worker (RpcBindingInfo). */
export interface BindingInfo {
  type: string;
  direction: 'in' | 'out' | 'inout';
  [property: string]: unknown;
}

export interface FunctionMetadata {
  name: string;
  bindings: Record<string, BindingInfo>;
  retryOptions?: unknown;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: Record<string, unknown>) => unknown;

export interface CapturedFunction {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
}

export interface CapturedApp {
  functions: Map<string, CapturedFunction>;
  hooks: Map<string, HookCallback[]>;
  programmingModel:
    | { name?: string; version?: string; getCapabilities?: (c: unknown) => unknown }
    | undefined;
  systemLogs: { level: string; message: string }[];
}

class Disposable {
  #callOnDispose: () => void;
  constructor(callOnDispose: () => void) {
    this.#callOnDispose = callOnDispose;
  }
  dispose(): void {
    this.#callOnDispose();
  }
  static from(...items: { dispose(): unknown }[]): Disposable {
    return new Disposable(() => items.forEach((item) => item.dispose()));
  }
}

let capturing: CapturedApp | undefined;

function target(): CapturedApp {
  if (!capturing) {
    throw new Error('Functions were registered outside of app loading; register them at module load time.');
  }
  return capturing;
}

const coreApi = {
  version: '3.10.1',
  hostVersion: '4.1037.0',
  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable {
    const app = target();
    const key = metadata.name.toLowerCase();
    if ([...app.functions.keys()].some((name) => name.toLowerCase() === key)) {
      throw new Error(`A function named "${metadata.name}" is already registered.`);
    }
    app.functions.set(metadata.name, { metadata, callback });
    return new Disposable(() => app.functions.delete(metadata.name));
  },
  registerHook(hookName: string, callback: HookCallback): Disposable {
    const app = target();
    const list = app.hooks.get(hookName) ?? [];
    list.push(callback);
    app.hooks.set(hookName, list);
    return new Disposable(() => {
      const index = list.indexOf(callback);
      if (index >= 0) list.splice(index, 1);
    });
  },
  setProgrammingModel(programmingModel: CapturedApp['programmingModel']): void {
    target().programmingModel = programmingModel;
  },
  getProgrammingModel(): CapturedApp['programmingModel'] {
    return capturing?.programmingModel;
  },
  log(level: string, _category: string, message: string): void {
    capturing?.systemLogs.push({ level, message });
  },
  Disposable,
};

let installed = false;

/** Makes `require('@azure/functions-core')` return the host's object, for this process. */
export function installFunctionsCoreShim(): void {
  if (installed) return;
  installed = true;
  type RequireFn = (this: NodeJS.Module, id: string) => unknown;
  const prototype = Module.prototype as unknown as { require: RequireFn };
  const originalRequire = prototype.require;
  prototype.require = function requireWithFunctionsCore(this: NodeJS.Module, id: string): unknown {
    if (id === '@azure/functions-core') return coreApi;
    // eslint-disable-next-line prefer-rest-params
    return originalRequire.apply(this, arguments as unknown as [string]);
  };
}

/** Runs `load` with registrations captured into a fresh CapturedApp. */
export function captureRegistrations(load: () => void): CapturedApp {
  installFunctionsCoreShim();
  const app: CapturedApp = {
    functions: new Map(),
    hooks: new Map(),
    programmingModel: undefined,
    systemLogs: [],
  };
  capturing = app;
  try {
    load();
    // The worker asks for capabilities after loading; the library then locks app.setup().
    app.programmingModel?.getCapabilities?.({});
  } finally {
    capturing = undefined;
  }
  return app;
}
