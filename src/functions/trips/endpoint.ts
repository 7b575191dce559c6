/**
 * One trips API route as an HTTP function: the request's span, the checks every request passes
 * before its handler (origin, caller, content type), the durable client, and the error answers.
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import { withRunId } from '../../telemetry/run-context';
import { resolveCaller } from '../../travel/api/caller';
import { checkBrowserOrigin } from '../../travel/api/origin';
import { requireJsonContent } from '../../travel/api/request-body';
import { isRunId } from '../../travel/api/run-id';
import { recogniseCapacity } from '../durable-client-capacity';
import { traceDurableClient } from '../durable-client-tracing';
import { preferInProcess } from '../durable-client-transport';
import { callerPolicy, originPolicy } from './config';
import { errorResponse } from './error-response';
import { inRequestSpan, recordCaller } from './request-span';
import type { ApiRoute } from './routes';

/** The HTTP function that answers `route`. */
export function endpoint(
  route: ApiRoute,
): (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
  return (request, context) =>
    inRequestSpan(request, context, route, async () => withApiHeaders(await handle(route, request, context)));
}

/** Runs the route's handler after the checks every request passes; every error becomes its answer. */
async function handle(
  route: ApiRoute,
  request: HttpRequest,
  context: InvocationContext,
): Promise<HttpResponseInit> {
  try {
    // Every POST changes state: refuse another site's page first, and a body not sent as JSON
    // (which a browser sends cross-site without asking) before the handler reads anything.
    checkBrowserOrigin(request.method, request.headers.get('origin'), request.url, originPolicy);
    const caller = resolveCaller((name) => request.headers.get(name), callerPolicy);
    if (request.method === 'POST') requireJsonContent(request.headers);
    recordCaller(caller.id);
    const client = recogniseCapacity(traceDurableClient(preferInProcess(df.getClient(context))));
    // A request about a run works (and logs) in the run's name.
    const runId = request.params.id;
    return await (runId && isRunId(runId)
      ? withRunId(runId, () => route.handler(request, client, caller, context))
      : route.handler(request, client, caller, context));
  } catch (error) {
    return errorResponse(error, request);
  }
}

/** API answers are per caller and change with the run: never cached, never sniffed. */
function withApiHeaders(response: HttpResponseInit): HttpResponseInit {
  return {
    ...response,
    headers: {
      ...(response.headers as Record<string, string> | undefined),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    },
  };
}
