/**
 * The durable engine wired to a loaded app: it runs the app's orchestrations, activities and
 * entities through the invoker, with the concurrency and limits of host.json and the options.
 */
import type { Logger } from '../telemetry/logger';
import type { LoadedApp } from './app-loader';
import { DurableEngine, type InstanceLimits } from './durable/engine';
import type { DurableStore } from './durable/store';
import type { FunctionInvoker } from './invoker';

export interface AppEngineOptions {
  maxConcurrentActivities?: number;
  maxConcurrentOrchestrations?: number;
  limits?: Partial<InstanceLimits>;
}

export function createAppEngine(
  app: LoadedApp,
  invoker: FunctionInvoker,
  store: DurableStore,
  options: AppEngineOptions,
  log: Logger,
): DurableEngine {
  const kindOf = (name: string) => app.functions.get(name)?.kind;
  const entityFunctions = new Map(
    [...app.functions.values()]
      .filter((fn) => fn.kind === 'entity')
      .map((fn) => [fn.name.toLowerCase(), fn.name]),
  );
  return new DurableEngine({
    store,
    logger: log.child('durable'),
    isOrchestration: (name) => kindOf(name) === 'orchestration',
    isActivity: (name) => kindOf(name) === 'activity',
    runOrchestrator: async (name, binding, invocation) =>
      (
        await invoker.invoke(app.functions.get(name)!, {
          inputs: [binding],
          traceParent: invocation.traceParent,
        })
      ).result,
    runActivity: async (name, input, invocation) =>
      (
        await invoker.invoke(app.functions.get(name)!, {
          inputs: [input],
          traceParent: invocation.traceParent,
        })
      ).result,
    // The SDK lower-cases entity names in entity ids; the function keeps the name it registered.
    entityFunction: (name) => entityFunctions.get(name.toLowerCase()),
    runEntity: async (functionName, binding, invocation) =>
      (
        await invoker.invoke(app.functions.get(functionName)!, {
          inputs: [binding],
          traceParent: invocation.traceParent,
        })
      ).result,
    maxConcurrentActivities:
      options.maxConcurrentActivities ?? app.hostJson.maxConcurrentActivityFunctions ?? 10,
    maxConcurrentOrchestrations:
      options.maxConcurrentOrchestrations ?? app.hostJson.maxConcurrentOrchestratorFunctions ?? 10,
    // host.json's localHost section, then the options (the CLI's flags) over it.
    limits: { ...app.hostJson.limits, ...options.limits },
  });
}
