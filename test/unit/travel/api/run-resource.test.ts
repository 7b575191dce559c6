import { describe, expect, it } from 'vitest';
import {
  isFinal,
  runResourceSchema,
  toRunResource,
  tripRunOf,
  type DurableSnapshot,
} from '../../../../src/travel/api/run-resource';
import { plannerInput, snapshot, tripStatus } from './fixtures';

function resourceOf(overrides: Partial<DurableSnapshot>) {
  const run = tripRunOf(snapshot(overrides));
  expect(run).toBeDefined();
  const resource = toRunResource(run!);
  // Every mapped resource satisfies the schema the CLI and the web UI read.
  expect(runResourceSchema.parse(resource)).toEqual(resource);
  return resource;
}

describe('tripRunOf', () => {
  it('accepts only trip orchestrations with a valid input', () => {
    expect(tripRunOf(snapshot({ name: 'helloSequence' }))).toBeUndefined();
    expect(tripRunOf(snapshot({ input: { owner: 'x' } }))).toBeUndefined();
    expect(tripRunOf(snapshot({ input: null }))).toBeUndefined();
    expect(tripRunOf(snapshot())?.input.owner).toBe('local-user');
  });

  it('reads inputs and statuses that a backend hands back as JSON text', () => {
    const run = tripRunOf(
      snapshot({ input: JSON.stringify(plannerInput()), customStatus: JSON.stringify(tripStatus()) }),
    );
    expect(run?.published?.status).toBe('running');
  });

  it('flags a published status that does not match the schema', () => {
    const run = tripRunOf(snapshot({ customStatus: { status: 'thinking' } }));
    expect(run?.publishedInvalid).toBe(true);
    expect(run?.published).toBeUndefined();
    expect(tripRunOf(snapshot({ customStatus: null }))?.publishedInvalid).toBe(false);
  });
});

describe('toRunResource', () => {
  it('maps a pending instance to pending, with the requested limits and no usage yet', () => {
    const resource = resourceOf({ runtimeStatus: 'Pending', customStatus: null });
    expect(resource.status).toBe('pending');
    expect(resource.progress).toEqual({ step: 0, steps: [] });
    expect(resource.budgets.limits).toEqual(plannerInput().limits);
    expect(resource.budgets.usage.steps).toBe(0);
    expect(resource.createdAt).toBe('2026-11-29T10:00:00.000Z');
  });

  it('takes a running instance’s status, progress and budgets from its custom status', () => {
    const resource = resourceOf({});
    expect(resource.status).toBe('running');
    expect(resource.progress.steps[0]).toMatchObject({ kind: 'route', status: 'completed' });
    expect(resource.budgets.usage.tokens).toBe(420);
    expect(resource.updatedAt).toBe('2026-11-29T10:00:02.000Z');
  });

  it('is running when a running instance has published nothing yet', () => {
    expect(resourceOf({ customStatus: null }).status).toBe('running');
  });

  it('shows the question only while the run waits for input', () => {
    const needsInput = {
      fields: [{ path: 'startDate', issue: 'missing' }],
      question: 'When?',
      expiresAt: '2026-11-29T10:30:00.000Z',
      round: 1,
    };
    expect(
      resourceOf({ customStatus: tripStatus({ status: 'needs_input', needsInput }) }).needsInput,
    ).toEqual(needsInput);
    expect(
      resourceOf({ customStatus: tripStatus({ status: 'running', needsInput }) }).needsInput,
    ).toBeUndefined();
  });

  it('keeps the request as sent and as understood', () => {
    const resource = resourceOf({
      customStatus: tripStatus({
        request: {
          destination: { query: 'El Calafate', name: 'El Calafate', country: 'Argentina', airport: 'FTE' },
        },
      }),
    });
    expect(resource.request).toEqual({
      text: 'Plan 4 days hiking in Patagonia for two',
      fields: { destination: 'El Calafate', travellers: 2 },
      understood: {
        destination: { query: 'El Calafate', name: 'El Calafate', country: 'Argentina', airport: 'FTE' },
      },
    });
  });

  it('maps a completed instance from its output, result and quote included', () => {
    const output = tripStatus({
      status: 'completed',
      quote: { id: 'q1', round: 1, items: [], total: { amount: 1200, currency: 'USD' } },
      result: { answer: 'Sunny.' },
    });
    const resource = resourceOf({ runtimeStatus: 'Completed', output, customStatus: tripStatus() });
    expect(resource.status).toBe('completed');
    expect(resource.result).toEqual({ answer: 'Sunny.' });
    expect(resource.quote?.total.amount).toBe(1200);
  });

  it('passes through the typed error of a run that ended as budget_exceeded', () => {
    const error = {
      code: 'budget_exceeded',
      message: 'The tokens budget ran out.',
      details: { budget: 'tokens', limit: 10, used: 12 },
    };
    const resource = resourceOf({
      runtimeStatus: 'Completed',
      output: tripStatus({ status: 'budget_exceeded', error }),
    });
    expect(resource.status).toBe('budget_exceeded');
    expect(resource.error).toEqual(error);
  });

  it('fails a completed instance whose output is not a trip status', () => {
    const resource = resourceOf({ runtimeStatus: 'Completed', output: 'done' });
    expect(resource.status).toBe('failed');
    expect(resource.error?.code).toBe('invalid_result');
  });

  it('maps a crashed orchestration to failed with a typed error and never its stack', () => {
    const resource = resourceOf({
      runtimeStatus: 'Failed',
      output:
        "Orchestrator function 'tripPlanner' failed: TypeError: x is undefined\n    at /home/app/dist/src/travel/trip-planner.js:10:5",
    });
    expect(resource.status).toBe('failed');
    expect(resource.error?.code).toBe('run_failed');
    expect(JSON.stringify(resource)).not.toMatch(/trip-planner\.js|TypeError|\bat \//);
    // What the run had done before it crashed is kept.
    expect(resource.progress.steps).toHaveLength(1);
  });

  it('maps a terminated instance to cancelled with its reason', () => {
    const resource = resourceOf({ runtimeStatus: 'Terminated', output: 'changed my mind' });
    expect(resource.status).toBe('cancelled');
    expect(resource.error).toEqual({ code: 'cancelled', message: 'Cancelled: changed my mind' });
    expect(resourceOf({ runtimeStatus: 'Terminated', output: null }).error?.message).toBe('Cancelled.');
  });

  it('gives the trace id of the request that started the run, and the links', () => {
    const resource = resourceOf({});
    expect(resource.traceId).toBe('0af7651916cd43dd8448eb211c80319c');
    expect(resource.links).toEqual({
      self: '/api/trips/trip-0123456789abcdef0123456789abcdef',
      input: '/api/trips/trip-0123456789abcdef0123456789abcdef/input',
      approval: '/api/trips/trip-0123456789abcdef0123456789abcdef/approval',
      cancel: '/api/trips/trip-0123456789abcdef0123456789abcdef/cancel',
      trace: '/api/trips/trip-0123456789abcdef0123456789abcdef/trace',
    });
    expect(resourceOf({ customStatus: tripStatus({ traceId: 'f'.repeat(32) }) }).traceId).toBe(
      'f'.repeat(32),
    );
    expect(
      resourceOf({ input: plannerInput({ trace: undefined }), customStatus: null }).traceId,
    ).toBeUndefined();
  });
});

describe('isFinal', () => {
  it('is true for the four end states only', () => {
    expect(['completed', 'failed', 'budget_exceeded', 'cancelled'].every((s) => isFinal(s as never))).toBe(
      true,
    );
    expect(
      ['pending', 'running', 'needs_input', 'awaiting_approval', 'booking'].some((s) => isFinal(s as never)),
    ).toBe(false);
  });
});
