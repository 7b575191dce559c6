/** The chaos report's arithmetic: what counts as lost, stuck, missing, duplicate, unapproved or mispriced. */
import { describe, expect, it } from 'vitest';
import type { RunResource } from '../../src/travel/api/run-resource';
import type { Booking } from '../../src/stores/types';
import { AnswerTally } from './client';
import { chaosFigures, violations } from './report';
import type { RunRecord } from './traveller';

const id = (n: number) => `trip-${String(n).padStart(32, '0')}`;

function run(
  n: number,
  status: string,
  approved: boolean | undefined,
  items = ['flight', 'hotel'],
): RunRecord {
  return {
    caller: `caller-${n % 2}`,
    key: `k${n}`,
    id: id(n),
    lost: false,
    anomalies: [],
    last: {
      status,
      quote: {
        items: items.map((kind) => ({
          kind,
          offerId: `${kind}-${n}`,
          description: kind,
          price: { amount: 100, currency: 'USD' },
        })),
        total: { amount: 100 * items.length, currency: 'USD' },
      },
      ...(approved === undefined ? {} : { result: { approval: { approved } } }),
    } as unknown as RunResource,
  };
}

function booking(n: number, kind: 'flight' | 'hotel', amount = 100, suffix = ''): Booking {
  return {
    bookingId: `BK-${n}-${kind}${suffix}`,
    kind,
    status: 'confirmed',
    idempotencyKey: `wp:${id(n)}:book/${kind}/${kind}-${n}${suffix}`,
    requestHash: 'h',
    details: { offerId: `${kind}-${n}` },
    total: { amount, currency: 'USD' },
    createdAt: '2027-01-01T00:00:00.000Z',
  };
}

const figuresOf = (records: RunRecord[], bookings: Booking[]) =>
  chaosFigures({
    records,
    bookings,
    kills: { total: 10, afterApproval: 2 },
    tally: new AnswerTally(),
    model: { requests: 0, rateLimited: 0, serverError: 0, malformed: 0 },
    mcpFaults: '',
    seconds: 1,
  });

const goals = { minRuns: 1, minCallers: 1, minKills: 1 };

describe('chaos figures', () => {
  it('hold when every approved item is booked once at its price and nothing else is', () => {
    const f = figuresOf(
      [run(1, 'completed', true), run(2, 'completed', false)],
      [booking(1, 'flight'), booking(1, 'hotel')],
    );
    expect(f.bookings).toMatchObject({
      expected: 2,
      found: 2,
      missing: 0,
      duplicates: 0,
      withoutApproval: 0,
    });
    expect(violations(f, goals)).toEqual([]);
  });

  it('count a second booking of an item, a missing one, one without approval and one off its quote', () => {
    const f = figuresOf(
      [
        run(1, 'completed', true),
        run(2, 'completed', true),
        run(3, 'completed', false),
        run(4, 'completed', true, ['flight']),
      ],
      [
        booking(1, 'flight'),
        booking(1, 'hotel'),
        booking(1, 'hotel', 100, '-again'),
        booking(2, 'flight'),
        booking(3, 'flight'),
        booking(4, 'flight', 101),
      ],
    );
    expect(f.bookings.duplicates).toBe(1);
    expect(f.bookings.missing).toBe(1);
    expect(f.bookings.withoutApproval).toBe(1);
    expect(f.bookings.priceMismatches).toHaveLength(1);
    expect(violations(f, goals)).toHaveLength(4);
  });

  it('count runs lost and stuck, and a booking of no known run as unapproved', () => {
    const lost = { ...run(5, 'running', undefined), lost: true };
    const stuck = run(6, 'awaiting_approval', undefined);
    const f = figuresOf([run(1, 'completed', false), lost, stuck], [booking(9, 'flight')]);
    expect(f.runs).toMatchObject({ started: 3, terminal: 1, lost: 1, stuck: 1 });
    expect(f.bookings.withoutApproval).toBe(1);
    expect(violations(f, { ...goals, minKills: 11 })).toEqual(
      expect.arrayContaining([
        'only 10 kills (goal 11)',
        '1 runs lost',
        '1 runs stuck (not terminal at the end)',
      ]),
    );
  });
});
