/**
 * Failure details as the Durable extension writes them on TaskFailed, SubOrchestrationInstanceFailed
 * and a failed ExecutionCompleted (`FailureDetails`, PascalCase), which durable-functions 3.5 turns
 * into a `TaskFailedError` (`failureDetails.errorType`, `.properties`, `.isCausedBy()`); older SDKs
 * read the `Reason` text the same events keep. How the SDK produces and reads them
 * (durable-functions 3.5.0, lib/src): an activity that throws, with an ExceptionPropertiesProvider
 * registered, carries a JSON payload `{errorType, errorMessage, isNonRetriable, properties,
 * stackTrace}` as its error message (app.js, wrapActivityHandler), which the extension parses; an
 * orchestrator that rethrows a TaskFailedError reports its details (`failureDetails` in its state),
 * which reach the parent unchanged. Stack traces stay in the log here, as everywhere in this host:
 * history is readable through the management API.
 */
import { errorMessage, withoutStack } from './failure-text';
import type { FailureInfo } from './history';

export interface FailureDetailsWire {
  ErrorType: string;
  ErrorMessage: string;
  IsNonRetriable: boolean;
  Properties?: Record<string, unknown>;
  InnerFailure?: FailureDetailsWire;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The SDK's structured failure payload in an activity error's message, if that is what it is. */
function structuredPayload(message: string): Json | undefined {
  if (!message.startsWith('{')) return undefined;
  try {
    const payload = JSON.parse(message) as unknown;
    return isObject(payload) &&
      typeof payload.errorType === 'string' &&
      typeof payload.errorMessage === 'string'
      ? payload
      : undefined;
  } catch {
    return undefined;
  }
}

/** The name an error goes by (`PaymentDeclinedError`), as the extension reports the exception type. */
function errorTypeOf(error: unknown): string {
  if (error instanceof Error) return error.name || error.constructor.name || 'Error';
  return 'Error';
}

/** A thrown activity error, as the Durable extension reports it to the orchestration. */
export function activityFailure(activity: string, error: unknown): FailureInfo {
  const raw = errorMessage(error);
  const payload = structuredPayload(raw);
  const message = withoutStack(payload ? (payload.errorMessage as string) : raw);
  return {
    reason: `Activity function '${activity}' failed: ${message}`,
    details: '',
    structured: {
      ErrorType: payload ? (payload.errorType as string) : errorTypeOf(error),
      ErrorMessage: message,
      IsNonRetriable: payload?.isNonRetriable === true,
      ...(payload && isObject(payload.properties) ? { Properties: payload.properties } : {}),
    },
  };
}

/** Failure details an SDK reported (PascalCase), without stack traces, inner failures included. */
export function fromReportedDetails(reported: unknown): FailureDetailsWire | undefined {
  if (!isObject(reported) || typeof reported.ErrorType !== 'string') return undefined;
  const inner = fromReportedDetails(reported.InnerFailure);
  return {
    ErrorType: reported.ErrorType,
    ErrorMessage: withoutStack(typeof reported.ErrorMessage === 'string' ? reported.ErrorMessage : ''),
    IsNonRetriable: reported.IsNonRetriable === true,
    ...(isObject(reported.Properties) ? { Properties: reported.Properties } : {}),
    ...(inner ? { InnerFailure: inner } : {}),
  };
}

/**
 * An orchestrator that threw: the details it reported (a rethrown TaskFailedError keeps the
 * failed task's type and properties, so its parent sees them), else an Error with its message.
 */
export function orchestratorFailure(orchestration: string, message: string, reported?: unknown): FailureInfo {
  const text = withoutStack(message);
  return {
    reason: `Orchestrator function '${orchestration}' failed: ${text}`,
    details: '',
    structured: fromReportedDetails(reported) ?? {
      ErrorType: 'Error',
      ErrorMessage: text,
      IsNonRetriable: false,
    },
  };
}

/** The details a failure event carries: its own, or ones made from its reason and type. */
export function detailsOf(failure: FailureInfo): FailureDetailsWire {
  return (
    failure.structured ?? {
      ErrorType: failure.errorType ?? 'Error',
      ErrorMessage: failure.reason,
      IsNonRetriable: false,
    }
  );
}
