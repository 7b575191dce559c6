/**
 * The provider for every chat.completions API we speak to, through the `openai` package: Azure
 * OpenAI with Microsoft Entra ID (no key), OpenAI with an API key, and OpenAI-compatible servers
 * (Ollama, vLLM, LM Studio) by base URL, key optional. One `complete` is one model call: the
 * client retries 429 / 5xx / lost connections itself (MODEL_MAX_RETRIES, honouring the server's
 * `retry-after` / `retry-after-ms`), then a failure is thrown as TransientError (retryable, with
 * the server's wait) or WaypointError('model_error') for what no retry can fix.
 */
import { getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import OpenAI, { AzureOpenAI, type ClientOptions } from 'openai';
import { createLogger, type Logger } from '../telemetry/logger';
import { isRetryableStatus, retryAfterMs, toModelError } from './openai-errors';
import { fromChatCompletion, toChatCompletionRequest, type RequestMappingOptions } from './openai-mapping';
import type { ModelCallOptions, ModelProvider, ModelRequest, ModelResponse } from './types';

/** The Entra ID scope of Azure OpenAI (Cognitive Services) data-plane calls. */
export const AZURE_OPENAI_SCOPE = 'https://cognitiveservices.azure.com/.default';

type Fetch = NonNullable<ClientOptions['fetch']>;

interface TransportOptions {
  /** Per-attempt timeout (default 60 s). */
  timeoutMs?: number;
  /** Transport retries inside one call (default 2). */
  maxRetries?: number;
  /**
   * The longest server-requested wait (retry-after) the client sits through inside one call
   * (default 20 s). A longer one ends the call at once with a TransientError carrying the wait,
   * so the durable retry policy waits instead of a busy activity.
   */
  maxRetryWaitMs?: number;
  /** `gen_ai.provider.name` reported on responses (defaults per target below). */
  providerName?: string;
  /** The fetch to use (default: the global one); a test may wrap it. */
  fetch?: Fetch;
  logger?: Logger;
}

export type OpenAICompatibleOptions = TransportOptions &
  (
    | { target: 'openai'; model: string; apiKey: string; baseUrl?: string }
    | { target: 'openai-compatible'; model: string; baseUrl: string; apiKey?: string }
    | {
        target: 'azure-openai';
        /** `https://<resource>.openai.azure.com` (or `.cognitiveservices.azure.com`). */
        endpoint: string;
        deployment: string;
        apiVersion: string;
        /** Microsoft Entra ID credential, e.g. DefaultAzureCredential or a managed identity. */
        credential: TokenCredential;
      }
  );

const DEFAULT_PROVIDER_NAMES = {
  openai: 'openai',
  'azure-openai': 'azure.ai.openai',
  'openai-compatible': 'openai.compatible',
} as const;

/**
 * Adapts the client's log calls to our logger. The client logs every request at info; only its
 * retries and failures are worth info here, the rest goes to debug.
 */
function clientLogger(logger: Logger): NonNullable<ClientOptions['logger']> {
  const fields = (rest: unknown[]): Record<string, unknown> | undefined =>
    rest.length === 0 ? undefined : { details: rest.length === 1 ? rest[0] : rest };
  return {
    error: (message: string, ...rest: unknown[]) => logger.error(message, fields(rest)),
    warn: (message: string, ...rest: unknown[]) => logger.warn(message, fields(rest)),
    info: (message: string, ...rest: unknown[]) =>
      /retrying|failed|timed out|no more retries/.test(message)
        ? logger.info(message, fields(rest))
        : logger.debug(message, fields(rest)),
    debug: (message: string, ...rest: unknown[]) => logger.debug(message, fields(rest)),
  };
}

/**
 * Wraps fetch for two things the client has no option for: a server that asks for a wait longer
 * than `maxRetryWaitMs` gets no in-call retry (marked `x-should-retry: false`, which the client
 * obeys), and with no API key configured no placeholder Authorization header leaves the process.
 */
function transportFetch(
  base: Fetch,
  options: { maxRetryWaitMs: number; stripAuthorization: boolean },
): Fetch {
  return async (input, init) => {
    let request = init;
    if (options.stripAuthorization && init?.headers !== undefined) {
      const headers = new Headers(init.headers);
      headers.delete('authorization');
      request = { ...init, headers };
    }
    const response = await base(input, request);
    if (!isRetryableStatus(response.status)) return response;
    const wait = retryAfterMs(response.headers);
    if (wait === undefined || wait <= options.maxRetryWaitMs) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** Placeholder key for keyless OpenAI-compatible servers: the client insists on one; we strip it. */
const NO_KEY = 'waypoint-no-key';

/** One chat.completions endpoint (OpenAI, Azure OpenAI or a compatible server) as a ModelProvider. */
export class OpenAICompatibleProvider implements ModelProvider {
  readonly provider: string;
  readonly model: string;
  private readonly client: OpenAI;
  private readonly mapping: RequestMappingOptions;

  constructor(options: OpenAICompatibleOptions) {
    const logger = options.logger ?? createLogger('models');
    const keyless = options.target === 'openai-compatible' && options.apiKey === undefined;
    const common: Omit<ClientOptions, 'provider' | 'apiKey' | 'baseURL'> = {
      timeout: options.timeoutMs ?? 60_000,
      maxRetries: options.maxRetries ?? 2,
      fetch: transportFetch(options.fetch ?? globalThis.fetch, {
        maxRetryWaitMs: options.maxRetryWaitMs ?? 20_000,
        stripAuthorization: keyless,
      }),
      logger: clientLogger(logger),
      logLevel: 'info',
      // Explicit, so nothing is picked up from OPENAI_ORG_ID / OPENAI_PROJECT_ID by accident.
      organization: null,
      project: null,
    };
    this.provider = options.providerName ?? DEFAULT_PROVIDER_NAMES[options.target];

    if (options.target === 'azure-openai') {
      this.model = options.deployment;
      this.client = new AzureOpenAI({
        ...common,
        // baseURL rather than `endpoint`, and apiKey '' rather than undefined, so the client
        // reads neither OPENAI_BASE_URL nor AZURE_OPENAI_API_KEY from the environment:
        // this target authenticates with Microsoft Entra ID only.
        baseURL: `${options.endpoint.replace(/\/+$/, '')}/openai`,
        apiKey: '',
        apiVersion: options.apiVersion,
        deployment: options.deployment,
        azureADTokenProvider: getBearerTokenProvider(options.credential, AZURE_OPENAI_SCOPE),
      });
    } else {
      this.model = options.model;
      this.client = new OpenAI({
        ...common,
        apiKey: options.apiKey ?? NO_KEY,
        // `undefined` would let the client read OPENAI_BASE_URL; the settings already did.
        baseURL: options.baseUrl ?? 'https://api.openai.com/v1',
      });
    }
    this.mapping = {
      model: this.model,
      maxTokensParameter: options.target === 'openai-compatible' ? 'max_tokens' : 'max_completion_tokens',
    };
  }

  async complete(request: ModelRequest, options?: ModelCallOptions): Promise<ModelResponse> {
    const { body, names } = toChatCompletionRequest(request, this.mapping);
    let completion;
    try {
      completion = await this.client.chat.completions.create(body, {
        ...(options?.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      throw toModelError(error, this);
    }
    return fromChatCompletion(completion, { request, names, provider: this.provider, model: this.model });
  }
}
