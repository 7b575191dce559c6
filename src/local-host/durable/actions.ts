/**
 * The durable-functions SDK's wire shapes between the host and an orchestrator: the binding the
 * extension hands the orchestrator function, the state it returns, and the actions in that state.
 * Pure: no I/O, no engine state.
 */
import type { HistoryEvent } from './history';
import type { RetryOptionsWire } from './retry-policy';

/** The binding object the Durable extension hands an orchestrator function. */
export interface OrchestrationBinding {
  /** Events in the SDK's view (see replay-state.ts): played ones first, then this episode's. */
  history: readonly SdkHistoryEvent[];
  input: unknown;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId: string | null;
  upperSchemaVersion: number;
  upperSchemaVersionNew: number;
  longRunningTimerIntervalDuration: string;
  maximumShortTimerDuration: string;
  defaultHttpAsyncRequestSleepTimeMillseconds: number;
}

/**
 * A history event as the SDK receives it: the host's `Host*` bookkeeping left out and the
 * timestamp already a Date (the SDK converts every string `Timestamp` it finds, on every replay).
 */
export type SdkHistoryEvent = Omit<HistoryEvent, 'Timestamp'> & { Timestamp: Date };

/** What the SDK's orchestrator handler returns (OrchestratorState). */
export interface OrchestratorState {
  isDone: boolean;
  actions: unknown[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  /** With durable-functions 3.5, set when the orchestrator threw a TaskFailedError: its details (PascalCase). */
  failureDetails?: unknown;
}

export interface Action {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  instanceId?: string;
  retryOptions?: RetryOptionsWire;
  fireAt?: string | Date;
  isCanceled?: boolean;
  externalEventName?: string;
  /** Entity actions: the operation name (the target is `instanceId`, `@name@key`). */
  operation?: string;
  /** LockEntities: the request id the grant answers to, and the entities (sorted, distinct). */
  lockRequestId?: string;
  lockSet?: { name: string; key: string }[];
  compoundActions?: Action[];
}

export enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  WhenAny = 11,
  WhenAll = 12,
  LockEntities = 13,
  ReleaseEntities = 14,
}

/** Actions the host cannot run, with the name the failure message uses. */
export const unsupportedActions: Partial<Record<number, string>> = {
  [ActionType.CallHttp]: 'callHttp (durable HTTP)',
};

/** The SDK's marker before the JSON state in the message of an error an orchestrator threw. */
export const outOfProcMarker = '$OutOfProcData$:';

/** The action at a path such as "4.1" (top-level index, then compound children). */
export function actionAt(top: readonly Action[], path: string): Action | undefined {
  const [first, ...rest] = path.split('.').map(Number);
  let action: Action | undefined = top[first];
  for (const index of rest) action = action?.compoundActions?.[index];
  return action;
}

/** Adds the leaf actions (not WhenAll/WhenAny) under `action` to `into`. */
export function collectLeaves(action: Action, into: Set<Action>): void {
  if (action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny) {
    for (const child of action.compoundActions ?? []) collectLeaves(child, into);
  } else {
    into.add(action);
  }
}

/** What must stay the same on replay: the action's type and target, compounds included. */
export function signature(action: Action): string {
  if (action.compoundActions)
    return `${action.actionType}[${action.compoundActions.map(signature).join(',')}]`;
  if (action.lockSet)
    return `${action.actionType}:${action.lockSet.map((e) => `${e.name}@${e.key}`).join(',')}`;
  const target =
    action.functionName ??
    action.externalEventName ??
    (action.operation !== undefined ? `${action.instanceId}#${action.operation}` : '');
  return `${action.actionType}:${target}`;
}

/** Activity inputs arrive JSON-encoded when they are strings (the SDK's processInput), raw otherwise. */
export function activityInputJson(input: unknown): string | null {
  if (input === undefined) return null;
  if (typeof input === 'string') return input;
  return JSON.stringify(input);
}
