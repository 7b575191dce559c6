/** Answers typed at the trip CLI's prompts, in the traveller's words. */
import { beforeAll, describe, expect, it } from 'vitest';
import { readAnswer } from '../../../src/cli/trip-answers';
import { tripInputBodySchema } from '../../../src/travel/schemas';

const TODAY = '2026-11-29';

describe('readAnswer', () => {
  beforeAll(() => void readAnswer('travellers', '2 adults', TODAY), 120_000);

  it.each([
    ['startDate', '15 January 2027', { startDate: '2027-01-15' }],
    ['startDate', '2027-01-15', { startDate: '2027-01-15' }],
    ['startDate', '3 June', { startDate: '2027-06-03' }],
    ['startDate', '3-10 June 2027', { startDate: '2027-06-03', endDate: '2027-06-10' }],
    ['startDate', 'vom 3. bis 10. Juni 2027', { startDate: '2027-06-03', endDate: '2027-06-10' }],
    ['endDate', '22 January 2027', { endDate: '2027-01-22' }],
    ['startDate', 'next Friday', { startDate: '2026-12-04' }],
    ['travellers', '2', { travellers: 2 }],
    ['travellers', '2 adults and a child of 5', { travellers: 3 }],
    ['travellers', 'two adults and a baby', { travellers: 3 }],
    ['budget', '£2,000', { budget: { amount: 2000, currency: 'GBP' } }],
    ['budget', '3000 EUR', { budget: { amount: 3000, currency: 'EUR' } }],
    ['budget', '4.500 €', { budget: { amount: 4500, currency: 'EUR' } }],
    ['budget', '2500', { budget: { amount: 2500, currency: 'USD' } }],
    [
      'travellerNames',
      'Ada Lovelace and Grace Hopper',
      {
        travellerNames: [
          { firstName: 'Ada', lastName: 'Lovelace' },
          { firstName: 'Grace', lastName: 'Hopper' },
        ],
      },
    ],
    [
      'travellerNames',
      'Ada Lovelace, Grace Brewster Hopper',
      {
        travellerNames: [
          { firstName: 'Ada', lastName: 'Lovelace' },
          { firstName: 'Grace', lastName: 'Brewster Hopper' },
        ],
      },
    ],
    ['destination', 'Zermatt', { destination: 'Zermatt' }],
  ] as const)('%s: "%s"', (field, text, fields) => {
    const reading = readAnswer(field, text, TODAY);
    expect(reading).toEqual({ fields });
    // What is sent is what the trips API accepts.
    expect(tripInputBodySchema.safeParse(fields).success).toBe(true);
  });

  it('says what it needs when it cannot read the answer', () => {
    expect(readAnswer('startDate', 'soon', TODAY)).toEqual({
      error: 'Please give a date, e.g. 15 January 2027 or 2027-01-15.',
    });
    expect(readAnswer('budget', 'not much', TODAY)).toEqual({
      error: 'Please give an amount with its currency, e.g. £2,000 or 3000 EUR.',
    });
    expect(readAnswer('travellerNames', 'Ada', TODAY)).toMatchObject({
      error: expect.stringMatching(/first and last names/),
    });
  });
});
