/**
 * Sample functions kept as living documentation of what the host runs: the classic
 * `helloSequence`, an orchestration that shows fan-out with retries, a durable timer and an
 * external event raced against a timeout, and the classic HTTP starter.
 */
import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { ActivityHandler, OrchestrationContext, OrchestrationHandler } from 'durable-functions';
import { z } from 'zod';

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

/**
 * greetingRound's input, bounded: the starter is anonymous, so the work one request can cause
 * (activities fanned out, timers, waiting time) is capped here.
 */
const greetingRoundInput = z
  .object({
    cities: z.array(z.string().trim().min(1).max(80)).max(20).optional(),
    /** How long to wait for the `approval` event before giving up. */
    approvalTimeoutSeconds: z.number().int().min(1).max(86_400).optional(),
    /** A short durable timer between the fan-out and the approval wait. */
    coolDownSeconds: z.number().int().min(0).max(60).optional(),
  })
  .strict();
type GreetingRoundInput = z.infer<typeof greetingRoundInput>;

const measureGreeting: ActivityHandler = (city: string) => ({
  city,
  greeting: `Hello ${city}!`,
  letters: city.length,
});
df.app.activity('measureGreeting', { handler: measureGreeting });

/** Fan-out/fan-in with retries, a durable timer, then an approval raced against a timeout. */
const greetingRound: OrchestrationHandler = function* (context: OrchestrationContext) {
  // Also checked here: the management API can start it with any input (with a key).
  const input: GreetingRoundInput = greetingRoundInput.parse(context.df.getInput<unknown>() ?? {});
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

/**
 * The orchestrations the starter may start, each with its input schema. Only these: a route value
 * goes into the DurableClient's request URL, so it must never be anything but a known name.
 */
const startable: Record<string, z.ZodType> = {
  helloSequence: z.union([z.undefined(), z.null(), z.object({}).strict()]),
  greetingRound: greetingRoundInput.optional(),
};

function problem(status: number, code: string, message: string): HttpResponseInit {
  return { status, jsonBody: { error: { code, message } } };
}

/** The classic starter: POST /api/orchestrators/{orchestratorName} with an optional JSON body. */
async function httpStart(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
  const name = request.params.orchestratorName ?? '';
  const schema = Object.hasOwn(startable, name) ? startable[name] : undefined;
  if (!schema) {
    return problem(
      404,
      'unknown_orchestrator',
      `No startable orchestration '${name.slice(0, 80)}'; use one of: ${Object.keys(startable).join(', ')}.`,
    );
  }
  const text = await request.text();
  let input: unknown;
  if (text.trim()) {
    try {
      input = JSON.parse(text);
    } catch {
      return problem(400, 'invalid_json', 'The request body is not valid JSON.');
    }
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
    return problem(400, 'invalid_input', `Invalid input for '${name}': ${issues}`);
  }
  const client = df.getClient(context);
  try {
    const instanceId = await client.startNew(name, parsed.data === undefined ? {} : { input: parsed.data });
    context.log(`Started orchestration '${name}' with ID '${instanceId}'.`);
    return client.createCheckStatusResponse(request, instanceId);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // The host refuses starts past its instance limit; everything else is unexpected here.
    return problem(503, 'start_failed', `Could not start orchestration '${name}': ${message}`);
  }
}
app.http('httpStart', {
  route: 'api/orchestrators/{orchestratorName}',
  methods: ['POST'],
  authLevel: 'anonymous',
  extraInputs: [df.input.durableClient()],
  handler: httpStart,
});

app.http('health', {
  route: 'api/health',
  methods: ['GET'],
  authLevel: 'anonymous',
  handler: async () => ({ status: 200, jsonBody: { status: 'ok' } }),
});
