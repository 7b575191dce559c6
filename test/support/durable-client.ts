/**
 * The real DurableClient pointed at a loopback server that stands in for the Durable extension's
 * RPC endpoint (`${base}/rpc/`): an invocation as the Functions host gives one to a function with
 * a durableClient input, and the client df.getClient builds from it.
 */
import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';

/** An HTTP invocation whose durableClient input points at `base`. */
export function durableInvocation(base: string): InvocationContext {
  const binding = df.input.durableClient();
  const context = new InvocationContext({
    options: { trigger: { type: 'httpTrigger', name: 'request' }, extraInputs: [binding], extraOutputs: [] },
  });
  context.extraInputs.set(binding, {
    taskHubName: 'hub',
    creationUrls: {},
    managementUrls: {},
    baseUrl: `${base}/runtime/webhooks/durabletask`,
    requiredQueryStringParameters: 'code=key',
    rpcBaseUrl: `${base}/rpc/`,
  });
  return context;
}

/** A DurableClient as df.getClient builds it inside a function with a durableClient input. */
export function durableClientAt(base: string): df.DurableClient {
  return df.getClient(durableInvocation(base));
}
