/**
 * Invokes a captured function as the Node worker does: an InvocationContext carrying the
 * function's binding options, extra input values set by name, pre- and post-invocation hooks that
 * may replace inputs, handler or result, then the handler itself.
 */
import { randomUUID } from 'node:crypto';
import type { InvocationContext, LogLevel as FunctionsLogLevel } from '@azure/functions';
import type { Logger } from '../telemetry/logger';
import type { LoadedApp, LoadedFunction } from './app-loader';
import type { BindingInfo, FunctionCallback } from './functions-core-shim';

export interface InvokeOptions {
  inputs: unknown[];
  /** Values of extra input bindings, keyed by binding type (e.g. durableClient). */
  extraInputsByType?: Record<string, unknown>;
  traceParent?: string | null;
  invocationId?: string;
}

export interface FunctionInvoker {
  invoke(
    fn: LoadedFunction,
    options: InvokeOptions,
  ): Promise<{ result: unknown; context: InvocationContext }>;
  /** Shared across invocations, as the worker's appHookData is. */
  readonly appHookData: Record<string, unknown>;
}

/**
 * `around` wraps every invocation (the host runs each inside its in-process scope, so the app's
 * calls to the host itself stay in-process).
 */
export function createInvoker(
  app: LoadedApp,
  logger: Logger,
  around: <T>(body: () => Promise<T>) => Promise<T> = (body) => body(),
): FunctionInvoker {
  const appHookData: Record<string, unknown> = {};
  const { InvocationContext } = app.functionsLibrary;

  async function runHooks(name: string, context: Record<string, unknown>): Promise<void> {
    for (const hook of app.hooks.get(name) ?? []) await hook(context);
  }

  return {
    appHookData,
    invoke: (fn, options) => around(() => invoke(fn, options)),
  };

  async function invoke(
    fn: LoadedFunction,
    options: InvokeOptions,
  ): Promise<{ result: unknown; context: InvocationContext }> {
    const invocationId = options.invocationId ?? randomUUID();
    const functionLogger = logger.child(fn.name);
    const context = new InvocationContext({
      invocationId,
      functionName: fn.name,
      logHandler: (level: FunctionsLogLevel, ...args: unknown[]) => logUser(functionLogger, level, args),
      ...(options.traceParent ? { traceContext: { traceParent: options.traceParent, attributes: {} } } : {}),
      options: toEffectiveOptions(fn.metadata.bindings),
    });
    for (const [bindingName, binding] of Object.entries(fn.metadata.bindings)) {
      const value = options.extraInputsByType?.[binding.type];
      if (binding.direction === 'in' && bindingName !== fn.triggerName && value !== undefined) {
        context.extraInputs.set(bindingName, value);
      }
    }

    const hookData: Record<string, unknown> = {};
    const pre: Record<string, unknown> = {
      invocationContext: context,
      inputs: options.inputs,
      functionCallback: fn.callback,
      hookData,
      appHookData,
    };
    await runHooks('preInvocation', pre);

    const post: Record<string, unknown> = {
      invocationContext: context,
      inputs: pre.inputs,
      hookData,
      appHookData,
    };
    try {
      post.result = await (pre.functionCallback as FunctionCallback)(...(pre.inputs as unknown[]), context);
    } catch (error) {
      post.error = error;
    }
    await runHooks('postInvocation', post);
    if (post.error instanceof Error) throw post.error;
    if (post.error !== undefined && post.error !== null) {
      throw new Error(typeof post.error === 'string' ? post.error : JSON.stringify(post.error));
    }
    return { result: post.result, context };
  }
}

/** The `options` an InvocationContext exposes, rebuilt from the registered bindings. */
function toEffectiveOptions(bindings: Record<string, BindingInfo>) {
  type Binding = { name: string; type: string; [key: string]: unknown };
  let trigger: Binding | undefined;
  let returnBinding: Binding | undefined;
  const extraInputs: Binding[] = [];
  const extraOutputs: Binding[] = [];
  for (const [name, binding] of Object.entries(bindings)) {
    const value = { ...binding, name };
    if (binding.type.toLowerCase().endsWith('trigger')) trigger = value;
    else if (name === '$return') returnBinding = value;
    else if (binding.direction === 'in') extraInputs.push(value);
    else extraOutputs.push(value);
  }
  return { trigger: trigger!, return: returnBinding, extraInputs, extraOutputs };
}

function logUser(logger: Logger, level: FunctionsLogLevel, args: unknown[]): void {
  const message = args
    .map((arg) => (typeof arg === 'string' ? arg : arg instanceof Error ? arg.stack : JSON.stringify(arg)))
    .join(' ');
  switch (level) {
    case 'trace':
    case 'debug':
      logger.debug(message);
      return;
    case 'warning':
      logger.warn(message);
      return;
    case 'error':
    case 'critical':
      logger.error(message);
      return;
    case 'none':
      return;
    default:
      logger.info(message);
  }
}
