import { describe, expect, it } from 'vitest';
import { listQuerySchema, runtimeStatusesFor, selectRuns } from '../../../../src/travel/api/listing';
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
    expect(listQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(listQuerySchema.parse({ status: 'needs_input, awaiting_approval', limit: '5' })).toEqual({
      status: ['needs_input', 'awaiting_approval'],
      limit: 5,
    });
  });

  it('refuses unknown statuses, bad limits and unknown parameters', () => {
    for (const query of [
      { status: 'done' },
      { status: '' },
      { limit: '0' },
      { limit: '101' },
      { limit: 'ten' },
      { owner: 'someone' },
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
    expect(selectRuns(runs, { limit: 20 }).map((r) => r.id.slice(-1))).toEqual(['2', '4', '3', '1']);
    expect(selectRuns(runs, { limit: 2 }).map((r) => r.id.slice(-1))).toEqual(['2', '4']);
  });

  it('filters by status', () => {
    expect(selectRuns(runs, { status: ['completed'], limit: 20 }).map((r) => r.id.slice(-1))).toEqual([
      '4',
      '1',
    ]);
    expect(selectRuns(runs, { status: ['needs_input', 'running'], limit: 20 })).toHaveLength(2);
    expect(selectRuns(runs, { status: ['cancelled'], limit: 20 })).toEqual([]);
  });
});
