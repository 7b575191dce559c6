/**
 * What a model call costs, from a price table in USD per million tokens. Pure: no I/O, no clock.
 * Money budgets add these costs up, so the offline and scripted models carry a small
 * nominal price too: a money budget then behaves the same in tests and local runs as in Azure.
 */
import { z } from 'zod';
import { ValidationError, WaypointError } from '../domain/errors';
import type { TokenUsage } from './types';

/** USD per one million tokens. */
export interface ModelPrice {
  input: number;
  output: number;
}

/**
 * Model name (or name prefix) → price. The key `*`, when present, prices every model no other key
 * matches (e.g. `{"*": {"input": 0, "output": 0}}` for a local Ollama model).
 */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The nominal price of the offline and scripted models: gpt-4.1-nano's, so budgets are exercised. */
export const NOMINAL_PRICE: ModelPrice = { input: 0.1, output: 0.4 };

/**
 * Standard (non-batch, uncached) list prices of OpenAI models, USD per 1M tokens, as the author
 * knew them in mid-2025 — not re-checked when this was written (2026-11-29). Azure OpenAI global
 * deployments list the same prices. Prices change: override or extend them with
 * MODEL_PRICES_JSON rather than editing this table.
 */
export const DEFAULT_PRICES: PriceTable = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  'waypoint-offline-1': NOMINAL_PRICE,
  'waypoint-scripted-1': NOMINAL_PRICE,
};

const priceSchema = z.strictObject({
  input: z.number().nonnegative().finite(),
  output: z.number().nonnegative().finite(),
});
const priceOverridesSchema = z.record(z.string().min(1), priceSchema);

/**
 * Parses a MODEL_PRICES_JSON value, `{"<model>": {"input": <usd/1M>, "output": <usd/1M>}, …}`, and
 * lays it over `base`: a listed model gets the given price, the rest keep theirs.
 */
export function priceTableWith(
  overridesJson: string | undefined,
  base: PriceTable = DEFAULT_PRICES,
): PriceTable {
  if (overridesJson === undefined || overridesJson.trim() === '') return base;
  let raw: unknown;
  try {
    raw = JSON.parse(overridesJson);
  } catch {
    const issue = 'must be a JSON object like {"gpt-4o": {"input": 2.5, "output": 10}}';
    throw new ValidationError(`Invalid setting MODEL_PRICES_JSON: ${issue}`, [
      { path: 'MODEL_PRICES_JSON', issue },
    ]);
  }
  const parsed = priceOverridesSchema.safeParse(raw);
  if (!parsed.success) {
    const details = parsed.error.issues.map((issue) => ({
      path: ['MODEL_PRICES_JSON', ...issue.path.map(String)].join('.'),
      issue: issue.message,
    }));
    throw new ValidationError(
      `Invalid setting MODEL_PRICES_JSON: ${details.map((d) => `${d.path}: ${d.issue}`).join('; ')}`,
      details,
    );
  }
  return { ...base, ...parsed.data };
}

/**
 * The price of `model`: an exact key, else the longest key the name starts with followed by `-`
 * (a dated snapshot such as `gpt-4o-mini-2024-07-18` is priced as `gpt-4o-mini`), else `*`.
 * Matching ignores case. Undefined when nothing matches.
 */
export function findModelPrice(model: string, table: PriceTable = DEFAULT_PRICES): ModelPrice | undefined {
  const name = model.toLowerCase();
  let best: { key: string; price: ModelPrice } | undefined;
  for (const [key, price] of Object.entries(table)) {
    const lower = key.toLowerCase();
    if (lower === name) return price;
    if (name.startsWith(`${lower}-`) && (best === undefined || lower.length > best.key.length)) {
      best = { key: lower, price };
    }
  }
  return best?.price ?? table['*'];
}

/**
 * USD cost of one call's usage. A model with no price is a configuration error, not a free call:
 * it throws (code `unpriced_model`, not retryable) naming MODEL_PRICES_JSON, so a money budget is
 * never silently blind. `createModelProvider` checks the configured model at start-up.
 */
export function modelCostUsd(model: string, usage: TokenUsage, table: PriceTable = DEFAULT_PRICES): number {
  const price = findModelPrice(model, table);
  if (price === undefined) {
    throw new WaypointError(
      'unpriced_model',
      `No price for model "${model}": add it to MODEL_PRICES_JSON (USD per 1M tokens), e.g. {"${model}": {"input": 0.5, "output": 1.5}}.`,
      { retryable: false, details: { model, setting: 'MODEL_PRICES_JSON' } },
    );
  }
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000;
}
