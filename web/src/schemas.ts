/**
 * What the browser checks in the API's answers, with zod/mini (a fraction of zod's size) and
 * without eval: zod's compiled fast path probes `new Function`, which the page's CSP refuses, so
 * it is switched off before any schema runs. The checks cover what the UI relies on; objects are
 * loose, so fields the server adds later pass through and the views read them when they know them.
 * The types are the server's own (compile time only: nothing of the server's zod is bundled).
 */
import * as z from 'zod/mini';
import type { RunResource } from '../../src/travel/api/run-resource';
import type { TraceTree } from '../../src/telemetry/trace-tree';
import type { RunSummary } from '../../src/travel/api/listing';
import { RUN_STATUSES } from './format';

z.config({ jitless: true });

const money = z.looseObject({ amount: z.number(), currency: z.string() });

const step = z.looseObject({
  id: z.string(),
  kind: z.string(),
  name: z.string(),
  status: z.string(),
  startedAt: z.string(),
  endedAt: z.optional(z.string()),
  detail: z.optional(z.string()),
});

const numbers = z.record(z.string(), z.number());

const runResource = z.looseObject({
  id: z.string(),
  status: z.enum(RUN_STATUSES),
  createdAt: z.string(),
  updatedAt: z.string(),
  request: z.looseObject({ text: z.string(), fields: z.looseObject({}) }),
  progress: z.looseObject({ step: z.number(), steps: z.array(step) }),
  budgets: z.looseObject({ limits: numbers, usage: numbers }),
  needsInput: z.optional(
    z.looseObject({
      fields: z.array(z.looseObject({ path: z.string(), issue: z.string() })),
      question: z.string(),
      expiresAt: z.string(),
      round: z.number(),
    }),
  ),
  quote: z.optional(
    z.looseObject({
      items: z.array(z.looseObject({ kind: z.string(), description: z.string(), price: money })),
      total: money,
    }),
  ),
  result: z.optional(z.looseObject({})),
  error: z.optional(z.looseObject({ code: z.string(), message: z.string() })),
  links: z.looseObject({
    self: z.string(),
    input: z.string(),
    approval: z.string(),
    cancel: z.string(),
    trace: z.string(),
  }),
});

const runSummary = z.looseObject({
  id: z.string(),
  status: z.enum(RUN_STATUSES),
  createdAt: z.string(),
  request: z.string(),
});

const span: z.ZodMiniType = z.looseObject({
  spanId: z.string(),
  parentSpanId: z.nullable(z.string()),
  name: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  durationMs: z.number(),
  status: z.looseObject({ code: z.string() }),
  attributes: z.record(z.string(), z.unknown()),
  events: z.array(z.looseObject({ name: z.string(), time: z.string() })),
  get children() {
    return z.array(span);
  },
});

const traceTree = z.looseObject({ traceId: z.string(), spanCount: z.number(), spans: z.array(span) });

const errorBody = z.looseObject({
  error: z.looseObject({
    code: z.string(),
    message: z.string(),
    details: z.optional(z.array(z.looseObject({ path: z.string(), issue: z.string() }))),
  }),
});

/** A checker: the value typed as the server's shape, or undefined when it does not fit. */
type Check<T> = (value: unknown) => T | undefined;
const checker =
  <T>(schema: z.ZodMiniType): Check<T> =>
  (value) => {
    const parsed = schema.safeParse(value);
    return parsed.success ? (parsed.data as T) : undefined;
  };

export const asRunResource: Check<RunResource> = checker(runResource);
export const asRunList: Check<{ runs: RunResource[] }> = checker(
  z.looseObject({ runs: z.array(runResource) }),
);
export const asRunSummaries: Check<{ runs: RunSummary[] }> = checker(
  z.looseObject({ runs: z.array(runSummary) }),
);
export const asTraceTree: Check<TraceTree> = checker(traceTree);
export const asErrorBody: Check<{
  error: { code: string; message: string; details?: { path: string; issue: string }[] };
}> = checker(errorBody);
