/**
 * Trace context on the DurableClient's own requests. The durable-functions SDK (pinned at 3.5.0)
 * talks to the Durable extension over axios without a `traceparent`, so the extension (and the
 * local host) cannot tie the orchestration it starts to the caller's span. An axios request
 * interceptor adds the active W3C context to every request of a client; starting an orchestration
 * (with the run id as W3C baggage, when the context has one), and starting an orchestration
 * and raising an event get the Durable Task tracing specification's PRODUCER spans
 * (`create_orchestration:{name}`, `orchestration_event:{name}`), whose context is what they send.
 */
import {
  context,
  createContextKey,
  isSpanContextValid,
  SpanKind,
  SpanStatusCode,
  trace,
  type Context,
  type SpanContext,
} from '@opentelemetry/api';
import type { DurableClient } from 'durable-functions';
import { createLogger } from '../telemetry/logger';
import { traceHeadersFor } from '../telemetry/propagation';

const log = createLogger('durable-client-tracing');

/** The slice of an axios instance this module uses (the SDK does not type `axiosInstance`). */
interface InterceptableAxios {
  interceptors: {
    request: {
      use(onFulfilled: (config: { headers: HeaderBag }) => { headers: HeaderBag }): number;
    };
  };
}

/** axios' AxiosHeaders: set() is how a header is written so it survives axios' merging. */
interface HeaderBag {
  set(name: string, value: string): unknown;
}

const instrumented = new WeakSet<object>();
let warned = false;

/**
 * Makes every request `client` sends carry the active span's `traceparent` (and `tracestate`),
 * as the Durable extension reads them to correlate the orchestration it starts. Idempotent per
 * client. Only trace context is sent (not baggage), and nothing when no span is active. If the
 * SDK's axios instance is not where 3.5.0 keeps it, the client is left as it is and a warning
 * logged once: requests still work, only uncorrelated.
 */
export function traceDurableClient<T extends DurableClient>(client: T): T {
  if (instrumented.has(client)) return client;
  const axios = (client as unknown as { axiosInstance?: unknown }).axiosInstance;
  if (!isInterceptable(axios)) {
    if (!warned) {
      warned = true;
      log.warn(
        'DurableClient has no axiosInstance with interceptors; orchestrations it starts are not correlated to the caller’s trace',
      );
    }
    return client;
  }
  axios.interceptors.request.use((config) => {
    const headers = traceHeadersFor();
    if (headers.traceparent) config.headers.set('traceparent', headers.traceparent);
    if (headers.tracestate) config.headers.set('tracestate', headers.tracestate);
    // The run the call is for (W3C baggage `waypoint.run.id`): the host's access line names it.
    if (headers.baggage) config.headers.set('baggage', headers.baggage);
    return config;
  });
  const startNew = client.startNew.bind(client);
  client.startNew = (name, options) =>
    inProducerSpan(
      `create_orchestration:${name}`,
      {
        'durabletask.type': 'orchestration',
        'durabletask.task.name': name,
        ...(options?.instanceId ? { 'durabletask.task.instance_id': options.instanceId } : {}),
        ...(options?.version ? { 'durabletask.task.version': options.version } : {}),
      },
      () => startNew(name, options),
    );
  const raiseEvent = client.raiseEvent.bind(client);
  client.raiseEvent = (instanceId, eventName, eventData, options) =>
    inProducerSpan(
      `orchestration_event:${eventName}`,
      {
        'durabletask.type': 'event',
        'durabletask.event.name': eventName,
        'durabletask.event.target_instance_id': instanceId,
      },
      () => raiseEvent(instanceId, eventName, eventData, options),
    );
  instrumented.add(client);
  return client;
}

const CALLER = createContextKey('waypoint.durable-client.caller');

/**
 * Runs `send` (a client call such as raiseEvent) with its PRODUCER span placed under `parent` —
 * another trace's span, e.g. the run's wait that the event ends — and linked to the span active
 * now (the request that sent it).
 */
export function sendInTraceOf<T>(parent: Context, send: () => Promise<T>): Promise<T> {
  const caller = trace.getSpanContext(context.active());
  const placed = caller && isSpanContextValid(caller) ? parent.setValue(CALLER, caller) : parent;
  return context.with(placed, send);
}

/**
 * Runs `send` inside a PRODUCER span under the active one (none without an active span: a client
 * outside any trace does not start one). The span ends when the backend has accepted or refused.
 */
async function inProducerSpan<T>(
  name: string,
  attributes: Record<string, string>,
  send: () => Promise<T>,
): Promise<T> {
  const active = trace.getSpanContext(context.active());
  if (!active || !isSpanContextValid(active)) return send();
  const caller = context.active().getValue(CALLER) as SpanContext | undefined;
  return trace
    .getTracer('waypoint.durable-client')
    .startActiveSpan(
      name,
      { kind: SpanKind.PRODUCER, attributes, ...(caller ? { links: [{ context: caller }] } : {}) },
      async (span) => {
        try {
          const result = await send();
          if (typeof result === 'string' && name.startsWith('create_orchestration:')) {
            span.setAttribute('durabletask.task.instance_id', result);
          }
          return result;
        } catch (error) {
          span.setStatus({
            code: SpanStatusCode.ERROR,
            message: error instanceof Error ? error.message : String(error),
          });
          span.setAttribute('error.type', error instanceof Error ? error.name : 'Error');
          throw error;
        } finally {
          span.end();
        }
      },
    );
}

function isInterceptable(value: unknown): value is InterceptableAxios {
  const use = (value as { interceptors?: { request?: { use?: unknown } } } | undefined)?.interceptors?.request
    ?.use;
  return typeof use === 'function';
}
