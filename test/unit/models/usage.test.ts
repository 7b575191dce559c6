import { describe, expect, it } from 'vitest';
import { WaypointError } from '../../../src/domain/errors';
import { countRequestTokens } from '../../../src/models/tokens';
import type { ModelRequest } from '../../../src/models/types';
import {
  checkedUsage,
  INPUT_ALLOWANCE_FACTOR,
  INPUT_ALLOWANCE_SLACK,
  MAX_TOKENS_PER_CALL,
  usageProblem,
} from '../../../src/models/usage';

const request: ModelRequest = {
  agent: 'router',
  instructions: 'You route travel requests.',
  messages: [{ role: 'user', content: 'Lisbon from London for a week from 3 June, 2 adults' }],
  tools: [],
};
const source = { provider: 'openai', model: 'gpt-4o' };

describe('usageProblem', () => {
  it('accepts ordinary usage', () => {
    expect(usageProblem({ inputTokens: 120, outputTokens: 30 }, request)).toBeUndefined();
    expect(usageProblem({ inputTokens: 0, outputTokens: 0 }, request)).toBeUndefined();
  });

  it('refuses negative, fractional, non-numeric and absurd counts', () => {
    expect(usageProblem({ inputTokens: -750_000, outputTokens: 10 }, request)).toMatch(/negative/);
    expect(usageProblem({ inputTokens: 10, outputTokens: -1 }, request)).toMatch(/negative/);
    expect(usageProblem({ inputTokens: 1.5, outputTokens: 1 }, request)).toMatch(/whole number/);
    expect(usageProblem({ inputTokens: '12', outputTokens: 1 }, request)).toMatch(/whole number/);
    expect(usageProblem({ inputTokens: Number.NaN, outputTokens: 1 }, request)).toMatch(/whole number/);
    expect(usageProblem({ inputTokens: 1, outputTokens: Infinity }, request)).toMatch(/whole number/);
    expect(usageProblem({ inputTokens: 1, outputTokens: MAX_TOKENS_PER_CALL + 1 }, request)).toMatch(/above/);
  });

  it('bounds the output by the request’s maxOutputTokens and the input by our own count', () => {
    expect(
      usageProblem({ inputTokens: 10, outputTokens: 200 }, { ...request, maxOutputTokens: 100 }),
    ).toBeUndefined();
    expect(
      usageProblem({ inputTokens: 10, outputTokens: 201 }, { ...request, maxOutputTokens: 100 }),
    ).toMatch(/maxOutputTokens/);
    const ours = countRequestTokens(request);
    const ceiling = ours * INPUT_ALLOWANCE_FACTOR + INPUT_ALLOWANCE_SLACK;
    expect(usageProblem({ inputTokens: ceiling, outputTokens: 1 }, request)).toBeUndefined();
    expect(usageProblem({ inputTokens: ceiling + 1, outputTokens: 1 }, request)).toMatch(/our own count/);
  });
});

describe('checkedUsage', () => {
  it('throws a permanent model_usage_invalid error with the reported values apart from the message', () => {
    let error: unknown;
    try {
      checkedUsage({ inputTokens: -750_000, outputTokens: 5 }, request, source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(WaypointError);
    expect(error).toMatchObject({
      code: 'model_usage_invalid',
      retryable: false,
      details: { reported: { inputTokens: -750_000, outputTokens: 5 }, provider: 'openai', model: 'gpt-4o' },
    });
    // The message is for people: no numbers, field names or codes in it.
    expect((error as Error).message).not.toMatch(/inputTokens|-750|model_usage_invalid/);
  });

  it('returns acceptable usage unchanged', () => {
    expect(checkedUsage({ inputTokens: 3, outputTokens: 4 }, request, source)).toEqual({
      inputTokens: 3,
      outputTokens: 4,
    });
  });
});
