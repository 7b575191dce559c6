import { describe, expect, it } from 'vitest';
import {
  listQuerySchema,
  runSummarySchema,
  runtimeStatusesFor,
  selectRuns,
  toRunSummary,
} from '../../../../src/travel/api/listing';
import { toRunResource, tripRunOf } from '../../../../src/travel/api/run-resource';
import { plannerInput, snapshot, tripStatus } from './fixtures';

function run(id: string, createdAt: string, status: 'running' | 'completed' | 'needs_input') {
  const instanceId = `trip-${id.padStart(32, '0')}`;
  const completed = status === 'completed';
  return toRunResource(
    tripRunOf(
      snapshot({
        instanceId,
        runtimeStatus: completed ? 'Completed' : 'Running',
        input: plannerInput({ createdAt }),
        customStatus: tripStatus({ status }),
        output: completed ? tripStatus({ status }) : null,
      }),
    )!,
  );
}

describe('listQuerySchema', () => {
  it('defaults the limit and reads one status or several', () => {
    expect(listQuerySchema.parse({})).toEqual({ limit: 20, view: 'full' });
    expect(listQuerySchema.parse({ status: 'needs_input, awaiting_approval', limit: '5' })).toEqual({
      status: ['needs_input', 'awaiting_approval'],
      limit: 5,
      view: 'full',
    });
    expect(listQuerySchema.parse({ view: 'summary' })).toEqual({ limit: 20, view: 'summary' });
  });

  it('refuses unknown statuses, bad limits and unknown parameters', () => {
    for (const query of [
      { status: 'done' },
      { status: '' },
      { limit: '0' },
      { limit: '101' },
      { limit: 'ten' },
      { owner: 'someone' },
      { view: 'brief' },
    ])
      expect(listQuerySchema.safeParse(query).success).toBe(false);
  });
});

describe('runtimeStatusesFor', () => {
  it('asks Durable for every instance when no status is given', () => {
    expect(runtimeStatusesFor(undefined)).toBeUndefined();
  });

  it('maps run statuses to the runtime statuses they can have', () => {
    expect(runtimeStatusesFor(['pending'])).toEqual(['Pending']);
    expect(runtimeStatusesFor(['needs_input'])).toEqual(['Running', 'ContinuedAsNew', 'Suspended']);
    expect(runtimeStatusesFor(['failed'])).toEqual(['Failed', 'Completed']);
    expect(runtimeStatusesFor(['cancelled'])?.sort()).toEqual(['Canceled', 'Completed', 'Terminated']);
    expect(runtimeStatusesFor(['completed', 'budget_exceeded'])).toEqual(['Completed']);
  });
});

describe('selectRuns', () => {
  const runs = [
    run('1', '2026-11-29T10:00:00.000Z', 'completed'),
    run('2', '2026-11-29T12:00:00.000Z', 'running'),
    run('3', '2026-11-29T11:00:00.000Z', 'needs_input'),
    run('4', '2026-11-29T12:00:00.000Z', 'completed'),
  ];

  it('lists newest first, ties by id, at most limit', () => {
    expect(selectRuns(runs, { limit: 20, view: 'full' }).map((r) => r.id.slice(-1))).toEqual([
      '2',
      '4',
      '3',
      '1',
    ]);
    expect(selectRuns(runs, { limit: 2, view: 'full' }).map((r) => r.id.slice(-1))).toEqual(['2', '4']);
  });

  it('filters by status', () => {
    expect(
      selectRuns(runs, { status: ['completed'], limit: 20, view: 'full' }).map((r) => r.id.slice(-1)),
    ).toEqual(['4', '1']);
    expect(selectRuns(runs, { status: ['needs_input', 'running'], limit: 20, view: 'full' })).toHaveLength(2);
    expect(selectRuns(runs, { status: ['cancelled'], limit: 20, view: 'full' })).toEqual([]);
  });
});

describe('toRunSummary', () => {
  const quote = {
    id: 'q1',
    round: 1,
    items: [
      {
        kind: 'flight' as const,
        offerId: 'FL-1',
        description: 'SEA → FTE',
        price: { amount: 3911.48, currency: 'USD' },
      },
      {
        kind: 'hotel' as const,
        offerId: 'HT-1',
        description: 'Corvus Suites',
        price: { amount: 1056.25, currency: 'USD' },
      },
    ],
    total: { amount: 4967.73, currency: 'USD' },
  };
  const understood = {
    origin: { query: 'Seattle', name: 'Seattle', country: 'United States', airport: 'SEA' },
    destination: { query: 'El Calafate', name: 'El Calafate', country: 'Argentina', airport: 'FTE' },
    startDate: '2027-03-10',
    endDate: '2027-03-14',
    travellers: 2,
  };

  function resource(status: NonNullable<Parameters<typeof tripStatus>[0]>) {
    const completed = status.status === 'completed';
    return toRunResource(
      tripRunOf(
        snapshot({
          runtimeStatus: completed ? 'Completed' : 'Running',
          customStatus: tripStatus(status),
          output: completed ? tripStatus(status) : null,
        }),
      )!,
    );
  }

  it('names every stop of a trip with several, in order', () => {
    const rome = { query: 'Rome', name: 'Rome', country: 'Italy', airport: 'FCO' };
    const florence = { query: 'Florence', name: 'Florence', country: 'Italy', airport: 'FLR' };
    const summary = toRunSummary(
      resource({
        status: 'running',
        request: { ...understood, destination: rome, legs: [{ place: rome }, { place: florence }] },
      }),
    );
    expect(runSummarySchema.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject({ origin: 'Seattle', destination: 'Rome', stops: ['Rome', 'Florence'] });
    expect(toRunSummary(resource({ status: 'running', request: understood })).stops).toBeUndefined();
  });

  it('says where, when, who, the quoted total and that a booked trip is booked', () => {
    const summary = toRunSummary(
      resource({
        status: 'completed',
        request: understood,
        quote,
        result: {
          bookings: [
            { item: 'flight', offerId: 'FL-1', bookingId: 'BK-1', status: 'confirmed' },
            { item: 'hotel', offerId: 'HT-1', bookingId: 'BK-2', status: 'confirmed' },
          ],
          approval: { approved: true },
        },
      }),
    );
    expect(runSummarySchema.parse(summary)).toEqual(summary);
    expect(summary).toEqual({
      id: 'trip-0123456789abcdef0123456789abcdef',
      status: 'completed',
      createdAt: '2026-11-29T10:00:00.000Z',
      updatedAt: '2026-11-29T10:00:02.000Z',
      request: 'Plan 4 days hiking in Patagonia for two',
      origin: 'Seattle',
      destination: 'El Calafate',
      startDate: '2027-03-10',
      endDate: '2027-03-14',
      travellers: 2,
      total: { amount: 4967.73, currency: 'USD' },
      booked: true,
      links: { self: '/api/trips/trip-0123456789abcdef0123456789abcdef' },
    });
  });

  it('falls back to the fields given, says what the run waits for, and is not booked while a booking failed', () => {
    const waiting = toRunSummary(resource({ status: 'awaiting_approval', quote }));
    expect(waiting).toMatchObject({
      destination: 'El Calafate',
      travellers: 2,
      waitingFor: 'approval',
      booked: false,
    });
    expect(waiting.origin).toBeUndefined();
    const failed = toRunSummary(
      resource({
        status: 'completed',
        result: {
          bookings: [
            { item: 'flight', offerId: 'FL-1', bookingId: 'BK-1', status: 'confirmed' },
            { item: 'hotel', offerId: 'HT-1', status: 'failed', error: 'sold out' },
          ],
        },
      }),
    );
    expect(failed.booked).toBe(false);
    expect(failed.total).toBeUndefined();
  });

  it('cuts a long request and is far smaller than the run resource', () => {
    const long = toRunResource(
      tripRunOf(
        snapshot({
          input: plannerInput({ body: { request: 'x'.repeat(2000) } }),
          customStatus: tripStatus({ request: understood }),
        }),
      )!,
    );
    const summary = toRunSummary(long);
    expect(summary.request).toHaveLength(160);
    expect(summary.request.endsWith('…')).toBe(true);
    expect(JSON.stringify(summary).length).toBeLessThan(JSON.stringify(long).length / 4);
  });
});
