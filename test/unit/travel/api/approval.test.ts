import { describe, expect, it } from 'vitest';
import { approvalEventFor } from '../../../../src/travel/api/approval';
import type { Quote } from '../../../../src/travel/schemas';

const quote = (id: string, round: number): Quote => ({
  id,
  round,
  items: [],
  total: { amount: 100, currency: 'USD' },
});

describe('what an approval approves', () => {
  it('names the only quote there has been when the client did not', () => {
    expect(approvalEventFor({ approved: true }, quote('q1', 1))).toEqual({ approved: true, quoteId: 'q1' });
  });

  it('refuses an approval of another quote than the current one', () => {
    expect(() => approvalEventFor({ approved: true, quoteId: 'q1' }, quote('q2', 2))).toThrow(
      expect.objectContaining({ status: 409, code: 'quote_changed' }),
    );
  });

  it('refuses an unnamed approval once the price changed, but takes a rejection', () => {
    expect(() => approvalEventFor({ approved: true }, quote('q2', 2))).toThrow(
      expect.objectContaining({ status: 409, code: 'quote_changed' }),
    );
    expect(approvalEventFor({ approved: false, note: 'no' }, quote('q2', 2))).toEqual({
      approved: false,
      quoteId: 'q2',
      note: 'no',
    });
    expect(approvalEventFor({ approved: true, quoteId: 'q2' }, quote('q2', 2)).quoteId).toBe('q2');
  });

  it('has nothing to approve without a quote', () => {
    expect(() => approvalEventFor({ approved: true }, undefined)).toThrow(
      expect.objectContaining({ status: 409 }),
    );
  });
});
