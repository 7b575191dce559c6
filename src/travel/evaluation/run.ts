/**
 * Running the evaluation set through the router agent on a model provider — the offline model by
 * default, any OpenAI-compatible endpoint by setting — then through the recognizers, which check
 * what the model read against the text (`reconcileRouterAnswer`), as a run does.
 */
import { z } from 'zod';
import { parseJsonAnswer, type ModelProvider, type ModelRequest } from '../../models';
import { router, routerAnswerSchema, type RouterAnswer } from '../agents';
import { reconcileRouterAnswer } from '../understanding/reconcile';
import type { Understanding } from '../understanding/types';
import { EVAL_TODAY, type LabelledRequest } from './labels';
import { scoreLine, summarize, type LineScore, type Summary } from './score';

const ROUTER_SCHEMA = z.toJSONSchema(routerAnswerSchema, { io: 'input', unrepresentable: 'any' }) as Record<
  string,
  unknown
>;

export interface LineResult {
  score: LineScore;
  /** The model's answer did not match the router's schema (it then counts as saying nothing). */
  invalidAnswer?: string;
  inputTokens: number;
  outputTokens: number;
}

/** One request through the router agent and the recognizers. */
export async function understandThroughRouter(
  model: ModelProvider,
  request: string,
  today: string,
): Promise<{
  understood: Understanding;
  invalidAnswer?: string;
  usage: { inputTokens: number; outputTokens: number };
}> {
  const modelRequest: ModelRequest = {
    agent: router.name,
    instructions: router.instructions,
    messages: [{ role: 'user', content: JSON.stringify({ request, fields: {}, today }) }],
    tools: [],
    output: { name: 'router_answer', schema: ROUTER_SCHEMA },
  };
  const response = await model.complete(modelRequest);
  let answer: RouterAnswer = { route: 'full_trip', topics: [], facts: {} };
  let invalidAnswer: string | undefined;
  if (response.kind === 'final') {
    const raw = response.output !== undefined ? response.output : parseJsonAnswer(response.text);
    const checked = routerAnswerSchema.safeParse(raw);
    if (checked.success) answer = checked.data;
    else
      invalidAnswer = checked.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.')}: ${i.message}`)
        .join('; ');
  } else invalidAnswer = 'the model called a tool instead of answering';
  return {
    understood: reconcileRouterAnswer(answer, request, today),
    ...(invalidAnswer ? { invalidAnswer } : {}),
    usage: response.usage,
  };
}

export interface EvalReport {
  summary: Summary;
  results: LineResult[];
  model: { provider: string; model: string };
  elapsedMs: number;
}

/** Every line through the router, `concurrency` at a time; lines keep their order in the report. */
export async function runEvaluation(
  model: ModelProvider,
  lines: readonly LabelledRequest[],
  options: { concurrency?: number; clock?: () => number } = {},
): Promise<EvalReport> {
  const clock = options.clock ?? (() => performance.now());
  const started = clock();
  const results: LineResult[] = new Array<LineResult>(lines.length);
  let next = 0;
  const worker = async () => {
    while (next < lines.length) {
      const index = next++;
      const line = lines[index];
      const { understood, invalidAnswer, usage } = await understandThroughRouter(
        model,
        line.request,
        line.today ?? EVAL_TODAY,
      );
      results[index] = {
        score: scoreLine(line, understood),
        ...(invalidAnswer ? { invalidAnswer } : {}),
        ...usage,
      };
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 1) }, worker));
  return {
    summary: summarize(results.map((r) => r.score)),
    results,
    model: { provider: model.provider, model: model.model },
    elapsedMs: Math.round(clock() - started),
  };
}
