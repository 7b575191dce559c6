/**
 * The token usage a model server reports is checked before it reaches a budget: a negative,
 * fractional or absurd count would let a run spend past its limits (a usage of −750,000 against
 * a 1,000-token budget "refunds" the budget). Usage must be non-negative whole numbers, within a
 * hard cap per call, the output within a multiple of the request's `maxOutputTokens`, and the
 * input within a multiple of our own count of the request.
 *
 * A usage that fails is a permanent model error, not a retryable one: a server that misreports
 * does so deterministically (a bug in it or in a proxy), and every retry would be billed again
 * while the budgets could still not be trusted.
 */
import { WaypointError } from '../domain/errors';
import { countRequestTokens } from './tokens';
import type { ModelRequest, TokenUsage } from './types';

/** No single call reports more tokens in either direction (above any model's context window). */
export const MAX_TOKENS_PER_CALL = 2_000_000;
/**
 * Output may exceed `maxOutputTokens` this many times over (reasoning models count their
 * reasoning in it, some servers round); more is a misreport.
 */
export const OUTPUT_ALLOWANCE_FACTOR = 2;
/**
 * Input may exceed our own o200k count this many times over, plus the slack (other tokenizers
 * count some scripts at two or three times o200k; servers add hidden framing for tools and
 * structured output).
 */
export const INPUT_ALLOWANCE_FACTOR = 8;
export const INPUT_ALLOWANCE_SLACK = 4_096;

/** Why a reported usage is refused, or undefined when it is acceptable. */
export function usageProblem(
  usage: { inputTokens: unknown; outputTokens: unknown },
  request: Pick<ModelRequest, 'maxOutputTokens'> & Partial<ModelRequest>,
): string | undefined {
  for (const [name, value] of Object.entries({
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
  })) {
    if (typeof value !== 'number' || !Number.isSafeInteger(value)) return `${name} is not a whole number`;
    if (value < 0) return `${name} is negative`;
    if (value > MAX_TOKENS_PER_CALL) return `${name} is above ${MAX_TOKENS_PER_CALL} for one call`;
  }
  const output = usage.outputTokens as number;
  if (request.maxOutputTokens !== undefined && output > request.maxOutputTokens * OUTPUT_ALLOWANCE_FACTOR) {
    return `outputTokens is above ${OUTPUT_ALLOWANCE_FACTOR} × the request's maxOutputTokens (${request.maxOutputTokens})`;
  }
  const input = usage.inputTokens as number;
  // Counting the request costs a little; only a count above the slack needs it.
  if (input > INPUT_ALLOWANCE_SLACK && request.instructions !== undefined && request.messages !== undefined) {
    const ours = countRequestTokens(request as ModelRequest);
    if (input > ours * INPUT_ALLOWANCE_FACTOR + INPUT_ALLOWANCE_SLACK) {
      return `inputTokens is above ${INPUT_ALLOWANCE_FACTOR} × our own count of the request (${ours}) + ${INPUT_ALLOWANCE_SLACK}`;
    }
  }
  return undefined;
}

/**
 * The usage as numbers, or a permanent `model_usage_invalid` error naming the problem (in
 * `details`, with the reported values) and, in its message, what it means for the traveller.
 */
export function checkedUsage(
  usage: { inputTokens: unknown; outputTokens: unknown },
  request: Pick<ModelRequest, 'maxOutputTokens'> & Partial<ModelRequest>,
  source: { provider: string; model: string },
): TokenUsage {
  const problem = usageProblem(usage, request);
  if (problem !== undefined) {
    throw new WaypointError(
      'model_usage_invalid',
      'The AI model service reported how much it used in a way we cannot trust, so the run stopped to keep its budgets safe.',
      {
        retryable: false,
        details: {
          problem,
          reported: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens },
          provider: source.provider,
          model: source.model,
        },
      },
    );
  }
  return { inputTokens: usage.inputTokens as number, outputTokens: usage.outputTokens as number };
}
