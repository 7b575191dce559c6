/**
 * History events in the shape the Durable extension sends to the durable-functions SDK
 * (PascalCase, numeric EventType). Fields the SDK never reads (TaskScheduled, TimerCreated,
 * SubOrchestrationInstanceCreated) also carry the host's own bookkeeping under `Host*` keys.
 */
import { detailsOf, type FailureDetailsWire } from './failure-details';
import type { RetryOptionsWire } from './retry-policy';

export enum EventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionFailed = 2,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventSent = 14,
  EventRaised = 15,
  ContinueAsNew = 16,
  GenericEvent = 17,
  HistoryState = 18,
  ExecutionSuspended = 19,
  ExecutionResumed = 20,
}

export interface HistoryEvent {
  EventType: EventType;
  EventId: number;
  IsPlayed: boolean;
  Timestamp: string;
  [field: string]: unknown;
}

/** Where an execution stands after an episode (kept on its OrchestratorCompleted). */
export interface EpisodeEnd {
  actionsProcessed: number;
  nextSeq: number;
}

/** Retry bookkeeping carried on a scheduling event: which attempt this is, and since when. */
export interface RetryState {
  options: RetryOptionsWire;
  attempt: number;
  firstAttemptAt: number;
}

/** What a host-created timer is for, so its firing can be interpreted. */
export type TimerPurpose =
  /** A timer the orchestrator created; `path` locates its action (e.g. "4.1") to notice cancellation. */
  { kind: 'user'; path: string } | { kind: 'retry'; retryOf: number; final: boolean };

function event(
  type: EventType,
  timestamp: Date,
  fields: Record<string, unknown> = {},
  eventId = -1,
): HistoryEvent {
  return {
    EventType: type,
    EventId: eventId,
    IsPlayed: false,
    Timestamp: timestamp.toISOString(),
    ...fields,
  };
}

export const history = {
  orchestratorStarted: (at: Date) => event(EventType.OrchestratorStarted, at),
  /**
   * Ends an episode. The host notes where the execution stood after it (actions yielded, next
   * task id), so a rewind can return the instance to this point.
   */
  orchestratorCompleted: (at: Date, after?: EpisodeEnd) =>
    event(
      EventType.OrchestratorCompleted,
      at,
      after ? { HostActions: after.actionsProcessed, HostNextSeq: after.nextSeq } : {},
    ),
  executionStarted: (at: Date, name: string, input: string | null, parentInstanceId?: string) =>
    event(EventType.ExecutionStarted, at, {
      Name: name,
      Input: input,
      ...(parentInstanceId
        ? { ParentInstance: { OrchestrationInstance: { InstanceId: parentInstanceId } } }
        : {}),
    }),
  executionCompleted: (
    at: Date,
    status: 'Completed' | 'Failed',
    result: string | null,
    failure?: FailureInfo,
  ) =>
    event(EventType.ExecutionCompleted, at, {
      OrchestrationStatus: status,
      Result: result,
      ...(failure ? { FailureDetails: detailsOf(failure) } : {}),
    }),
  executionTerminated: (at: Date, reason: string) =>
    event(EventType.ExecutionTerminated, at, { Input: reason }),
  /** Written when a suspend takes effect, as DTFx's ExecutionSuspendedEvent (the SDK skips it). */
  executionSuspended: (at: Date, reason: string) =>
    event(EventType.ExecutionSuspended, at, { Reason: reason }),
  executionResumed: (at: Date, reason: string) => event(EventType.ExecutionResumed, at, { Reason: reason }),
  taskScheduled: (at: Date, id: number, name: string, input: string | null, retry?: RetryState) =>
    event(
      EventType.TaskScheduled,
      at,
      { Name: name, Input: input, ...(retry ? { HostRetry: retry } : {}) },
      id,
    ),
  taskCompleted: (at: Date, taskScheduledId: number, result: string) =>
    event(EventType.TaskCompleted, at, { TaskScheduledId: taskScheduledId, Result: result }),
  taskFailed: (at: Date, taskScheduledId: number, failure: FailureInfo) =>
    event(EventType.TaskFailed, at, {
      TaskScheduledId: taskScheduledId,
      Reason: failure.reason,
      Details: failure.details,
      FailureDetails: detailsOf(failure),
    }),
  subOrchestrationCreated: (
    at: Date,
    id: number,
    name: string,
    instanceId: string,
    input: string | null,
    retry?: RetryState,
  ) =>
    event(
      EventType.SubOrchestrationInstanceCreated,
      at,
      { Name: name, InstanceId: instanceId, Input: input, ...(retry ? { HostRetry: retry } : {}) },
      id,
    ),
  subOrchestrationCompleted: (at: Date, taskScheduledId: number, result: string) =>
    event(EventType.SubOrchestrationInstanceCompleted, at, {
      TaskScheduledId: taskScheduledId,
      Result: result,
    }),
  subOrchestrationFailed: (at: Date, taskScheduledId: number, failure: FailureInfo) =>
    event(EventType.SubOrchestrationInstanceFailed, at, {
      TaskScheduledId: taskScheduledId,
      Reason: failure.reason,
      Details: failure.details,
      FailureDetails: detailsOf(failure),
    }),
  timerCreated: (at: Date, id: number, fireAt: Date, purpose: TimerPurpose) =>
    event(EventType.TimerCreated, at, { FireAt: fireAt.toISOString(), HostPurpose: purpose }, id),
  timerFired: (at: Date, timerId: number, fireAt: string) =>
    event(EventType.TimerFired, at, { TimerId: timerId, FireAt: fireAt }),
  eventRaised: (at: Date, name: string, input: string | null) =>
    event(EventType.EventRaised, at, { Name: name, Input: input }),
  /**
   * An orchestration sent an entity an operation (callEntity or signalEntity). `Input` is the
   * request message as JSON text: the SDK maps a call's task to the request `id`, the name of the
   * EventRaised that carries the entity's response.
   */
  eventSent: (at: Date, id: number, entityId: string, request: EntityRequestMessage) =>
    event(EventType.EventSent, at, { InstanceId: entityId, Name: 'op', Input: JSON.stringify(request) }, id),
  /** An entity's answer to a callEntity: `{result (JSON text), exceptionType?}` as the SDK reads it. */
  entityResponse: (at: Date, requestId: string, response: EntityResponseMessage) =>
    event(EventType.EventRaised, at, { Name: requestId, Input: JSON.stringify(response) }),
};

/** The request an orchestration sends an entity (the extension's RequestMessage, camelCase). */
export interface EntityRequestMessage {
  id: string;
  op: string;
  signal: boolean;
  /** A lock request: the entities of the critical section (ids, sorted). */
  lockSet?: string[];
  input: string | null;
  parent: string;
  parentExecution: string;
}

export interface EntityResponseMessage {
  result?: string;
  exceptionType?: string;
}

/**
 * A failure as the events that report it carry it: `Reason` and `Details` (what SDKs before 3.5
 * read) and the structured FailureDetails (failure-details.ts); `errorType` names host failures.
 */
export interface FailureInfo {
  reason: string;
  details: string;
  errorType?: string;
  structured?: FailureDetailsWire;
}
