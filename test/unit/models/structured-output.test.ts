import { describe, expect, it } from 'vitest';
import { parseJsonAnswer } from '../../../src/models/structured-output';

describe('parseJsonAnswer', () => {
  it.each([
    ['{"a":1}', { a: 1 }],
    ['  [1,2] \n', [1, 2]],
    ['null', null],
    ['"text"', 'text'],
    ['```json\n{"a":1}\n```', { a: 1 }],
    ['```\n{"a":1}```', { a: 1 }],
  ])('parses %j', (text, value) => {
    expect(parseJsonAnswer(text)).toEqual(value);
  });

  it.each(['', '   ', '{"a":', 'Sure! Here is the plan: {"a":1}', '```json\n{"a":\n```'])(
    'returns undefined for %j instead of throwing',
    (text) => {
      expect(parseJsonAnswer(text)).toBeUndefined();
    },
  );
});
