import { describe, expect, it } from 'vitest';
import {
  inputReplayKey,
  inputRequestHash,
  inputRoundQuerySchema,
  roundToAnswer,
} from '../../../../src/travel/api/input-round';
import type { RunResource } from '../../../../src/travel/api/run-resource';

function asking(round: number | undefined, status: RunResource['status'] = 'needs_input'): RunResource {
  return {
    status,
    ...(round === undefined
      ? {}
      : { needsInput: { fields: [], question: 'When?', expiresAt: '2027-01-01T00:00:00.000Z', round } }),
  } as RunResource;
}

describe('the round an answer is for', () => {
  it('is the round the run asks now, unless the client names one', () => {
    expect(roundToAnswer(asking(2), undefined)).toBe(2);
    expect(roundToAnswer(asking(2), 2)).toBe(2);
  });

  it('refuses an answer to a round answered already, or never asked (409)', () => {
    expect(() => roundToAnswer(asking(2), 1)).toThrow(
      expect.objectContaining({ status: 409, code: 'round_already_answered' }),
    );
    expect(() => roundToAnswer(asking(2), 3)).toThrow(
      expect.objectContaining({ status: 409, code: 'round_not_asked' }),
    );
  });

  it('refuses any answer while the run asks nothing (409)', () => {
    expect(() => roundToAnswer(asking(undefined, 'running'), undefined)).toThrow(
      expect.objectContaining({ status: 409, code: 'not_waiting_for_input' }),
    );
    expect(() => roundToAnswer(asking(1, 'completed'), 1)).toThrow(
      expect.objectContaining({ code: 'not_waiting_for_input' }),
    );
  });

  it('reads ?round as a whole number from 1', () => {
    expect(inputRoundQuerySchema.parse('3')).toBe(3);
    expect(inputRoundQuerySchema.parse(undefined)).toBeUndefined();
    for (const bad of ['0', '-1', '1.5', 'x', '', '01', '9999999']) {
      expect(inputRoundQuerySchema.safeParse(bad).success).toBe(false);
    }
  });
});

describe('Idempotency-Key on an answer', () => {
  it('is scoped to the run and the caller', () => {
    const key = inputReplayKey('trip-a', 'ada', 'k1');
    expect(inputReplayKey('trip-a', 'ada', 'k1')).toBe(key);
    expect(inputReplayKey('trip-b', 'ada', 'k1')).not.toBe(key);
    expect(inputReplayKey('trip-a', 'grace', 'k1')).not.toBe(key);
    // No way to forge a collision by moving characters between the parts.
    expect(inputReplayKey('trip-a', 'ada"', 'k1')).not.toBe(inputReplayKey('trip-a', 'ada', '"k1'));
  });

  it('matches an honest repeat and not another answer', () => {
    const hash = inputRequestHash(1, { destination: 'Lisbon', travellers: 2 });
    expect(inputRequestHash(1, { travellers: 2, destination: 'Lisbon' })).toBe(hash);
    expect(inputRequestHash(1, { destination: 'Porto', travellers: 2 })).not.toBe(hash);
    expect(inputRequestHash(undefined, { destination: 'Lisbon', travellers: 2 })).not.toBe(hash);
  });
});
