/** The ApiError a check throws; fails the test when it throws nothing or something else. */
import { expect } from 'vitest';
import { ApiError } from '../../../../src/travel/api/errors';

export function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error('expected a refusal');
}
