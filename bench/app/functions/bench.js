// Workloads for bench/run.mjs. Activities do no work, so the figures measure the host itself.
const { app } = require('@azure/functions');
const df = require('durable-functions');

df.app.activity('noop', { handler: (n) => n });

/** Input: number of activities, called one after another. */
df.app.orchestration('sequential', function* (context) {
  const steps = context.df.getInput();
  let sum = 0;
  for (let i = 0; i < steps; i++) sum += yield context.df.callActivity('noop', 1);
  return sum;
});

/** Input: number of activities, all scheduled at once and awaited together. */
df.app.orchestration('fanOutFanIn', function* (context) {
  const width = context.df.getInput();
  const results = yield context.df.Task.all(
    Array.from({ length: width }, (_, i) => context.df.callActivity('noop', i)),
  );
  return results.length;
});

/** Parks at an external event, then runs one activity with what it received. */
df.app.orchestration('parked', function* (context) {
  const value = yield context.df.waitForExternalEvent('go');
  return yield context.df.callActivity('noop', value);
});

app.http('benchStart', {
  extraInputs: [df.input.durableClient()],
  route: 'start/{name}',
  methods: ['POST'],
  handler: async (request, context) => {
    const client = df.getClient(context);
    const body = await request.text();
    const instanceId = await client.startNew(request.params.name, body ? { input: JSON.parse(body) } : {});
    return client.createCheckStatusResponse(request, instanceId);
  },
});
