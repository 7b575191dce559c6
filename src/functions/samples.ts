/**
 * Sample functions kept as living documentation of what the host runs: the classic
 * `helloSequence`, an orchestration that shows fan-out with retries, a durable timer and an
 * external event raced against a timeout, and the classic HTTP starter.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityHandler, OrchestrationContext, OrchestrationHandler } from 'durable-functions';

const sayHello: ActivityHandler = (city: string): string => `Hello ${city}!`;
df.app.activity('sayHello', { handler: sayHello });

const helloSequence: OrchestrationHandler = function* (context: OrchestrationContext) {
  const outputs: string[] = [];
  outputs.push((yield context.df.callActivity('sayHello', 'Tokyo')) as string);
  outputs.push((yield context.df.callActivity('sayHello', 'Seattle')) as string);
  outputs.push((yield context.df.callActivity('sayHello', 'London')) as string);
  return outputs;
};
df.app.orchestration('helloSequence', helloSequence);

interface GreetingRoundInput {
  cities?: string[];
  /** How long to wait for the `approval` event before giving up. */
  approvalTimeoutSeconds?: number;
  /** A short durable timer between the fan-out and the approval wait. */
  coolDownSeconds?: number;
}

const measureGreeting: ActivityHandler = (city: string) => ({
  city,
  greeting: `Hello ${city}!`,
  letters: city.length,
});
df.app.activity('measureGreeting', { handler: measureGreeting });

/** Fan-out/fan-in with retries, a durable timer, then an approval raced against a timeout. */
const greetingRound: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input: GreetingRoundInput = context.df.getInput<GreetingRoundInput | undefined>() ?? {};
  const cities = input.cities?.length ? input.cities : ['Tokyo', 'Seattle', 'London'];
  const retry = new df.RetryOptions(1000, 3);
  retry.backoffCoefficient = 2;

  context.df.setCustomStatus({ stage: 'greeting', cities: cities.length });
  const greetings = (yield context.df.Task.all(
    cities.map((city) => context.df.callActivityWithRetry('measureGreeting', retry, city)),
  )) as { city: string; greeting: string; letters: number }[];

  const now = context.df.currentUtcDateTime.getTime();
  context.df.setCustomStatus({ stage: 'cooling-down' });
  yield context.df.createTimer(new Date(now + (input.coolDownSeconds ?? 1) * 1000));

  context.df.setCustomStatus({ stage: 'awaiting-approval' });
  const deadline = context.df.currentUtcDateTime.getTime() + (input.approvalTimeoutSeconds ?? 300) * 1000;
  const timeout = context.df.createTimer(new Date(deadline));
  const approval = context.df.waitForExternalEvent('approval');
  const winner = (yield context.df.Task.any([approval, timeout])) as unknown;
  if (winner === approval) timeout.cancel();

  const approved =
    winner === approval && (approval.result as { approved?: boolean } | undefined)?.approved === true;
  context.df.setCustomStatus({ stage: 'done' });
  return {
    greetings,
    totalLetters: greetings.reduce((sum, g) => sum + g.letters, 0),
    approval: winner === approval ? (approved ? 'approved' : 'rejected') : 'timed-out',
  };
};
df.app.orchestration('greetingRound', greetingRound);

/** The classic starter: POST /api/orchestrators/{orchestratorName} with an optional JSON body. */
async function httpStart(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const client = df.getClient(context);
  const text = await request.text();
  let input: unknown;
  if (text.trim()) {
    try {
      input = JSON.parse(text);
    } catch {
      return {
        status: 400,
        jsonBody: { error: { code: 'invalid_json', message: 'The request body is not valid JSON.' } },
      };
    }
  }
  const name = request.params.orchestratorName ?? '';
  try {
    const instanceId = await client.startNew(name, input === undefined ? {} : { input });
    context.log(`Started orchestration '${name}' with ID '${instanceId}'.`);
    return client.createCheckStatusResponse(request, instanceId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      status: 400,
      jsonBody: {
        error: { code: 'start_failed', message: `Could not start orchestration '${name}': ${message}` },
      },
    };
  }
}
app.http('httpStart', {
  route: 'orchestrators/{orchestratorName}',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: httpStart,
});

app.http('health', {
  route: 'health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => ({ status: 200, jsonBody: { status: 'ok' } }),
});
