import { describe, expect, it } from 'vitest';
import { ValidationError, WaypointError } from '../../../src/domain/errors';
import {
  DEFAULT_PRICES,
  findModelPrice,
  modelCostUsd,
  NOMINAL_PRICE,
  priceTableWith,
} from '../../../src/models/pricing';

describe('findModelPrice', () => {
  it('matches exact names, case-insensitively', () => {
    expect(findModelPrice('gpt-4o')).toEqual({ input: 2.5, output: 10 });
    expect(findModelPrice('GPT-4o-Mini')).toEqual({ input: 0.15, output: 0.6 });
  });

  it('prices a dated snapshot by the longest matching family name', () => {
    expect(findModelPrice('gpt-4o-mini-2024-07-18')).toEqual(DEFAULT_PRICES['gpt-4o-mini']);
    expect(findModelPrice('gpt-4o-2024-11-20')).toEqual(DEFAULT_PRICES['gpt-4o']);
    expect(findModelPrice('gpt-4.1-nano-2025-04-14')).toEqual(DEFAULT_PRICES['gpt-4.1-nano']);
  });

  it('does not match a name that merely shares characters (gpt-4 is not gpt-4o)', () => {
    expect(findModelPrice('gpt-4')).toBeUndefined();
    expect(findModelPrice('gpt-4o1')).toBeUndefined();
    expect(findModelPrice('llama3.1:8b')).toBeUndefined();
  });

  it('falls back to the * entry when one is configured', () => {
    const table = priceTableWith('{"*": {"input": 0, "output": 0}}');
    expect(findModelPrice('llama3.1:8b', table)).toEqual({ input: 0, output: 0 });
    expect(findModelPrice('gpt-4o', table)).toEqual(DEFAULT_PRICES['gpt-4o']);
  });
});

describe('modelCostUsd', () => {
  it('charges input and output per million tokens', () => {
    expect(modelCostUsd('gpt-4o', { inputTokens: 1_000_000, outputTokens: 0 })).toBeCloseTo(2.5, 10);
    expect(modelCostUsd('gpt-4o', { inputTokens: 2000, outputTokens: 500 })).toBeCloseTo(0.01, 10);
    expect(modelCostUsd('gpt-5-mini', { inputTokens: 0, outputTokens: 0 })).toBe(0);
  });

  it('gives the offline and scripted models a small nominal price, so money budgets move', () => {
    const usage = { inputTokens: 10_000, outputTokens: 1000 };
    const expected = (10_000 * NOMINAL_PRICE.input + 1000 * NOMINAL_PRICE.output) / 1e6;
    expect(modelCostUsd('waypoint-offline-1', usage)).toBeCloseTo(expected, 12);
    expect(modelCostUsd('waypoint-scripted-1', usage)).toBeGreaterThan(0);
  });

  it('refuses an unpriced model, naming MODEL_PRICES_JSON', () => {
    let thrown: unknown;
    try {
      modelCostUsd('my-private-model', { inputTokens: 1, outputTokens: 1 });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(WaypointError);
    expect((thrown as WaypointError).code).toBe('unpriced_model');
    expect((thrown as WaypointError).retryable).toBe(false);
    expect((thrown as WaypointError).message).toContain('MODEL_PRICES_JSON');
  });
});

describe('priceTableWith', () => {
  it('returns the defaults for no or blank overrides', () => {
    expect(priceTableWith(undefined)).toBe(DEFAULT_PRICES);
    expect(priceTableWith('  ')).toBe(DEFAULT_PRICES);
  });

  it('overrides listed models and adds new ones, keeping the rest', () => {
    const table = priceTableWith(
      '{"gpt-4o": {"input": 1, "output": 2}, "llama3.1:8b": {"input": 0, "output": 0}}',
    );
    expect(table['gpt-4o']).toEqual({ input: 1, output: 2 });
    expect(table['llama3.1:8b']).toEqual({ input: 0, output: 0 });
    expect(table['gpt-4.1']).toEqual(DEFAULT_PRICES['gpt-4.1']);
    expect(modelCostUsd('gpt-4o', { inputTokens: 1_000_000, outputTokens: 1_000_000 }, table)).toBe(3);
  });

  it.each([
    ['not json', 'MODEL_PRICES_JSON'],
    ['[]', 'MODEL_PRICES_JSON'],
    ['{"gpt-4o": {"input": -1, "output": 2}}', 'MODEL_PRICES_JSON.gpt-4o.input'],
    ['{"gpt-4o": {"input": 1}}', 'MODEL_PRICES_JSON.gpt-4o.output'],
    ['{"gpt-4o": {"input": 1, "output": 2, "cached": 0.5}}', 'MODEL_PRICES_JSON.gpt-4o'],
  ])('rejects %s naming %s', (json, path) => {
    expect(() => priceTableWith(json)).toThrow(ValidationError);
    try {
      priceTableWith(json);
    } catch (error) {
      const details = (error as ValidationError).details as { path: string }[];
      expect(details.map((d) => d.path)).toContain(path);
    }
  });
});
