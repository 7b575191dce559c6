/**
 * The model provider's settings, read from the environment and validated once with zod. A bad or
 * missing setting fails fast with a message (and details) naming it.
 */
import { z } from 'zod';
import { ValidationError } from '../domain/errors';
import { refuseUnresolvedKeyVaultReferences } from '../key-vault-reference';
import { findModelPrice, priceTableWith, type PriceTable } from './pricing';

export const MODEL_PROVIDER_KINDS = ['offline', 'openai', 'azure-openai', 'openai-compatible'] as const;
export type ModelProviderKind = (typeof MODEL_PROVIDER_KINDS)[number];

/**
 * The default Azure OpenAI data-plane API version: the latest GA version we know that supports
 * structured outputs (json_schema) and strict function tools.
 */
export const DEFAULT_AZURE_OPENAI_API_VERSION = '2024-10-21';
/** The OpenAI model used when MODEL_PROVIDER=openai and MODEL_NAME is unset. */
export const DEFAULT_OPENAI_MODEL = 'gpt-4.1-mini';

interface CommonModelSettings {
  /** Per-attempt HTTP timeout. */
  timeoutMs: number;
  /** The whole call (attempts and the waits between them); past it the call fails `model_timeout`. */
  callTimeoutMs: number;
  /** Retries of 429 / 5xx / connection failures / unreadable answers inside one call, before it fails. */
  maxRetries: number;
  /** The longest Retry-After sat through inside a call; a longer one fails the call `model_busy`. */
  maxRetryWaitMs: number;
  /** The largest model answer accepted (response body, and text plus tool calls), in bytes. */
  maxAnswerBytes: number;
  /** Prices used for money budgets: the defaults with MODEL_PRICES_JSON laid over them. */
  prices: PriceTable;
}

export type ModelSettings = CommonModelSettings &
  (
    | { provider: 'offline' }
    | { provider: 'openai'; model: string; apiKey: string; baseUrl: string | undefined }
    | { provider: 'openai-compatible'; model: string; baseUrl: string; apiKey: string | undefined }
    | {
        provider: 'azure-openai';
        endpoint: string;
        deployment: string;
        apiVersion: string;
        /** A user-assigned managed identity's client id; unset: the default credential chain. */
        clientId: string | undefined;
        /** The deployed model's name (e.g. `gpt-4o`), when the deployment is named otherwise. */
        model: string | undefined;
      }
  );

const urlSetting = z.url({ protocol: /^https?$/ });

const envSchema = z
  .object({
    MODEL_PROVIDER: z.enum(MODEL_PROVIDER_KINDS).default('offline'),
    MODEL_NAME: z.string().trim().min(1).optional(),
    OPENAI_API_KEY: z.string().min(1).optional(),
    OPENAI_BASE_URL: urlSetting.optional(),
    AZURE_OPENAI_ENDPOINT: urlSetting.optional(),
    AZURE_OPENAI_DEPLOYMENT: z
      .string()
      .regex(/^[A-Za-z0-9._-]+$/, 'must be a deployment name (letters, digits, ".", "_", "-")')
      .optional(),
    AZURE_OPENAI_API_VERSION: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(-preview)?$/, 'must look like 2024-10-21 or 2025-04-01-preview')
      .default(DEFAULT_AZURE_OPENAI_API_VERSION),
    AZURE_CLIENT_ID: z.string().min(1).optional(),
    MODEL_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(60_000),
    MODEL_CALL_TIMEOUT_MS: z.coerce.number().int().min(1000).max(1_800_000).default(120_000),
    MODEL_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(2),
    MODEL_MAX_RETRY_WAIT_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
    MODEL_MAX_ANSWER_BYTES: z.coerce
      .number()
      .int()
      .min(4096)
      .max(16 * 1024 * 1024)
      .default(512 * 1024),
    MODEL_PRICES_JSON: z.string().optional(),
  })
  .superRefine((values, ctx) => {
    const need = (key: keyof typeof values, why: string): void => {
      if (values[key] === undefined)
        ctx.addIssue({ code: 'custom', path: [key], message: `required ${why}` });
    };
    switch (values.MODEL_PROVIDER) {
      case 'openai':
        need('OPENAI_API_KEY', 'when MODEL_PROVIDER=openai');
        break;
      case 'openai-compatible':
        need(
          'OPENAI_BASE_URL',
          'when MODEL_PROVIDER=openai-compatible (e.g. http://127.0.0.1:11434/v1 for Ollama)',
        );
        need('MODEL_NAME', 'when MODEL_PROVIDER=openai-compatible (the model the server should run)');
        break;
      case 'azure-openai':
        need(
          'AZURE_OPENAI_ENDPOINT',
          'when MODEL_PROVIDER=azure-openai (https://<resource>.openai.azure.com)',
        );
        need('AZURE_OPENAI_DEPLOYMENT', 'when MODEL_PROVIDER=azure-openai');
        break;
      case 'offline':
        break;
    }
  });

function invalid(details: { path: string; issue: string }[]): ValidationError {
  return new ValidationError(
    `Invalid model settings: ${details.map((d) => `${d.path}: ${d.issue}`).join('; ')}`,
    details,
  );
}

/**
 * Reads the model provider's settings, failing fast with the names of bad settings.
 *
 * | key | default |
 * |---|---|
 * | MODEL_PROVIDER | `offline` (no network); or `openai`, `azure-openai`, `openai-compatible` |
 * | MODEL_NAME | `gpt-4.1-mini` for openai; required for openai-compatible; for azure-openai the deployed model's name, used for pricing (optional); ignored offline |
 * | OPENAI_API_KEY | required for openai; optional for openai-compatible |
 * | OPENAI_BASE_URL | required for openai-compatible (Ollama `http://127.0.0.1:11434/v1`, vLLM, LM Studio); optional for openai |
 * | AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_DEPLOYMENT | required for azure-openai (Microsoft Entra ID, no key) |
 * | AZURE_OPENAI_API_VERSION | `2024-10-21` |
 * | AZURE_CLIENT_ID | — (user-assigned managed identity to authenticate as) |
 * | MODEL_TIMEOUT_MS | 60000 (per attempt, 1000–600000) |
 * | MODEL_CALL_TIMEOUT_MS | 120000 (the whole call: attempts and waits, 1000–1800000) |
 * | MODEL_MAX_RETRIES | 2 (retries inside one call, 0–10) |
 * | MODEL_MAX_RETRY_WAIT_MS | 60000 (longest Retry-After honoured, 0–600000; longer fails the call `model_busy`) |
 * | MODEL_MAX_ANSWER_BYTES | 524288 (largest answer accepted, 4096–16777216) |
 * | MODEL_PRICES_JSON | — (`{"<model>": {"input": <USD/1M>, "output": <USD/1M>}}`, `*` for any other model) |
 *
 * The configured model must have a price (money budgets depend on it): a model missing from the
 * table is refused here, naming MODEL_PRICES_JSON.
 */
export function loadModelSettings(env: NodeJS.ProcessEnv = process.env): ModelSettings {
  refuseUnresolvedKeyVaultReferences(env, Object.keys(envSchema.shape));
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== '')),
  );
  if (!parsed.success) {
    throw invalid(parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), issue: issue.message })));
  }
  const values = parsed.data;
  const prices = priceTableWith(values.MODEL_PRICES_JSON);
  const common: CommonModelSettings = {
    timeoutMs: values.MODEL_TIMEOUT_MS,
    callTimeoutMs: values.MODEL_CALL_TIMEOUT_MS,
    maxRetries: values.MODEL_MAX_RETRIES,
    maxRetryWaitMs: values.MODEL_MAX_RETRY_WAIT_MS,
    maxAnswerBytes: values.MODEL_MAX_ANSWER_BYTES,
    prices,
  };

  let settings: ModelSettings;
  switch (values.MODEL_PROVIDER) {
    case 'offline':
      return { ...common, provider: 'offline' };
    case 'openai':
      settings = {
        ...common,
        provider: 'openai',
        model: values.MODEL_NAME ?? DEFAULT_OPENAI_MODEL,
        apiKey: values.OPENAI_API_KEY!,
        baseUrl: values.OPENAI_BASE_URL,
      };
      break;
    case 'openai-compatible':
      settings = {
        ...common,
        provider: 'openai-compatible',
        model: values.MODEL_NAME!,
        baseUrl: values.OPENAI_BASE_URL!,
        apiKey: values.OPENAI_API_KEY,
      };
      break;
    case 'azure-openai':
      settings = {
        ...common,
        provider: 'azure-openai',
        endpoint: values.AZURE_OPENAI_ENDPOINT!,
        deployment: values.AZURE_OPENAI_DEPLOYMENT!,
        apiVersion: values.AZURE_OPENAI_API_VERSION,
        clientId: values.AZURE_CLIENT_ID,
        model: values.MODEL_NAME,
      };
      break;
  }
  checkPriced(settings);
  return settings;
}

/**
 * The configured model must be in the price table. For Azure OpenAI without MODEL_NAME there is
 * nothing to check here: the deployment's name is the user's choice, and Azure reports the real
 * model in each response, which is what gets priced.
 */
function checkPriced(settings: ModelSettings): void {
  if (settings.provider === 'offline') return;
  const name = settings.model;
  if (name === undefined || findModelPrice(name, settings.prices) !== undefined) return;
  const issue =
    `has no price for model "${name}" (money budgets need one): add it, e.g. ` +
    `{"${name}": {"input": 0.5, "output": 1.5}} in USD per 1M tokens, or {"*": {"input": 0, "output": 0}} for a free local model`;
  throw invalid([{ path: 'MODEL_PRICES_JSON', issue }]);
}
