import { describe, expect, it } from 'vitest';
import {
  answerField,
  budgetMeters,
  exitCodeFor,
  parseAnswer,
  parseTripArgs,
  quoteText,
  UsageError,
} from '../../../src/cli/trip-format';
import { toRunResource, tripRunOf } from '../../../src/travel/api/run-resource';
import { snapshot } from '../travel/api/fixtures';

describe('parseTripArgs', () => {
  it('builds the trip request from the words and the options', () => {
    const options = parseTripArgs([
      'Hiking',
      'in',
      'Patagonia',
      '--travellers',
      '2',
      '--budget',
      '3000 eur',
      '--book',
      '--start',
      '2027-03-10',
      '--yes',
    ]);
    expect(options.body).toEqual({
      request: 'Hiking in Patagonia',
      travellers: 2,
      budget: { amount: 3000, currency: 'EUR' },
      startDate: '2027-03-10',
      book: true,
    });
    expect(options).toMatchObject({ yes: true, local: false, json: false });
  });

  it('reads --answers as validated fields', () => {
    expect(parseTripArgs(['x', '--answers', '{"travellers":3}']).answers).toEqual({ travellers: 3 });
    expect(() => parseTripArgs(['x', '--answers', '{"travellers":0}'])).toThrow(UsageError);
    expect(() => parseTripArgs(['x', '--answers', '{"colour":"red"}'])).toThrow(UsageError);
  });

  it('refuses bad usage', () => {
    for (const argv of [
      [],
      ['x', '--start', '2027-02-30'],
      ['x', '--unknown'],
      ['x', '--url', 'ftp://a'],
      ['x', '--url', 'http://a', '--local'],
    ])
      expect(() => parseTripArgs(argv), argv.join(' ')).toThrow(UsageError);
  });
});

describe('parseAnswer', () => {
  it('types answers by the field they fill', () => {
    expect(parseAnswer('travellers', ' 2 ')).toBe(2);
    expect(parseAnswer('budget', '$5,000')).toEqual({ amount: 5000, currency: 'USD' });
    expect(parseAnswer('budget', '€ 1200.50')).toEqual({ amount: 1200.5, currency: 'EUR' });
    expect(parseAnswer('budget.amount', '300 gbp')).toEqual({ amount: 300, currency: 'GBP' });
    expect(parseAnswer('travellerNames', 'Ada Lovelace, Grace Brewster Hopper')).toEqual([
      { firstName: 'Ada', lastName: 'Lovelace' },
      { firstName: 'Grace', lastName: 'Brewster Hopper' },
    ]);
    expect(parseAnswer('startDate', '2027-03-10')).toBe('2027-03-10');
  });

  it('names only fields a traveller can give', () => {
    expect(answerField('budget.currency')).toBe('budget');
    expect(answerField('route')).toBeUndefined();
  });
});

describe('terminal rendering', () => {
  it('shows budget meters', () => {
    const resource = toRunResource(tripRunOf(snapshot())!);
    expect(budgetMeters(resource)).toBe('steps 1/80 · tokens 420/200k · tools 0/40 · $0.0000/$20,000 · 0s');
  });

  it('shows a quote with its total and budget', () => {
    const text = quoteText({
      id: 'q1',
      round: 1,
      items: [
        {
          kind: 'flight',
          offerId: 'f1',
          description: 'EZE → FTE',
          price: { amount: 1234.5, currency: 'USD' },
        },
      ],
      total: { amount: 1234.5, currency: 'USD' },
      budget: { amount: 3000, currency: 'USD' },
    });
    expect(text.split('\n')).toEqual([
      'flight EZE → FTE  1,234.5 USD',
      'total  1,234.5 USD',
      'budget 3,000 USD',
    ]);
  });

  it('exits 0 only for completed runs', () => {
    expect(exitCodeFor('completed')).toBe(0);
    for (const status of ['failed', 'budget_exceeded', 'cancelled'] as const)
      expect(exitCodeFor(status)).toBe(1);
  });
});
