/** Builders for trip-run snapshots as the Durable client reports them. */
import { emptyUsage } from '../../../../src/agents/budgets';
import { DEFAULT_RETRY_POLICIES } from '../../../../src/agents/retry';
import type { DurableSnapshot } from '../../../../src/travel/api/run-resource';
import type { TripPlannerInput } from '../../../../src/travel/planner-input';
import type { TripStatus } from '../../../../src/travel/schemas';

export const limits = { steps: 80, tokens: 200_000, wallTimeMs: 7_200_000, toolCalls: 40, money: 20_000 };

export function plannerInput(overrides: Partial<TripPlannerInput> = {}): TripPlannerInput {
  return {
    owner: 'local-user',
    body: { request: 'Plan 4 days hiking in Patagonia for two', destination: 'El Calafate', travellers: 2 },
    requestHash: 'a'.repeat(64),
    createdAt: '2026-11-29T10:00:00.000Z',
    limits,
    retry: DEFAULT_RETRY_POLICIES,
    writeTools: ['bookings.book_flight'],
    inputTimeoutMs: 60_000,
    approvalTimeoutMs: 60_000,
    maxInputRounds: 3,
    maxRevisionRounds: 2,
    trace: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    ...overrides,
  };
}

export function tripStatus(overrides: Partial<TripStatus> = {}): TripStatus {
  return {
    status: 'running',
    progress: {
      step: 1,
      steps: [
        {
          id: 'route',
          kind: 'route',
          name: 'router',
          status: 'completed',
          startedAt: '2026-11-29T10:00:01.000Z',
        },
      ],
    },
    budgets: { limits, usage: { ...emptyUsage(), steps: 1, tokens: 420 } },
    updatedAt: '2026-11-29T10:00:02.000Z',
    ...overrides,
  };
}

export function snapshot(overrides: Partial<DurableSnapshot> = {}): DurableSnapshot {
  return {
    instanceId: 'trip-0123456789abcdef0123456789abcdef',
    name: 'tripPlanner',
    runtimeStatus: 'Running',
    createdTime: new Date('2026-11-29T10:00:00.000Z'),
    lastUpdatedTime: new Date('2026-11-29T10:00:02.000Z'),
    input: plannerInput(),
    customStatus: tripStatus(),
    output: null,
    ...overrides,
  };
}
