/**
 * The provider for every chat.completions API we speak to, through the `openai` package: Azure
 * OpenAI with Microsoft Entra ID (no key), OpenAI with an API key, and OpenAI-compatible servers
 * (Ollama, vLLM, LM Studio) by base URL, key optional. One `complete` is one model call within
 * one deadline (MODEL_CALL_TIMEOUT_MS): it tries again after 429 / 5xx / lost connections /
 * unreadable 200s (MODEL_MAX_RETRIES times, honouring the server's `retry-after` /
 * `retry-after-ms` up to MODEL_MAX_RETRY_WAIT_MS, see call-retry.ts), reads answers up to
 * MODEL_MAX_ANSWER_BYTES, then a failure is thrown as a retryable error (the durable retry
 * policy takes over) or a permanent one for what no retry can fix.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { getBearerTokenProvider, type TokenCredential } from '@azure/identity';
import OpenAI, { APIUserAbortError, AzureOpenAI, type ClientOptions } from 'openai';
import { createLogger, type Logger } from '../telemetry/logger';
import { WaypointError } from '../domain/errors';
import { duration, retryDecision, type CallRetryPolicy } from './call-retry';
import { toModelError } from './openai-errors';
import { bodySnippet, completionBodyProblem, readBoundedText, unreadableAnswerError } from './response-body';
import { fromChatCompletion, toChatCompletionRequest, type RequestMappingOptions } from './openai-mapping';
import type { ModelCallOptions, ModelProvider, ModelRequest, ModelResponse } from './types';

/** The Entra ID scope of Azure OpenAI (Cognitive Services) data-plane calls. */
export const AZURE_OPENAI_SCOPE = 'https://cognitiveservices.azure.com/.default';

type Fetch = NonNullable<ClientOptions['fetch']>;

interface TransportOptions {
  /** Per-attempt timeout (default 60 s). */
  timeoutMs?: number;
  /** The whole call: attempts and the waits between them (default 120 s). */
  callTimeoutMs?: number;
  /** Attempts after the first inside one call (default 2). */
  maxRetries?: number;
  /**
   * The longest server-requested wait (retry-after) sat through inside one call (default 60 s).
   * A longer one ends the call at once with a permanent `model_busy` error that says so.
   */
  maxRetryWaitMs?: number;
  /** The largest response body read (default 512 KiB); a larger one is a permanent error. */
  maxAnswerBytes?: number;
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
 * Wraps fetch for what the client has no option for: with no API key configured no placeholder
 * Authorization header leaves the process; every body is read here with the size cap; and a 2xx
 * body that is not a chat completion (an HTML page, text, JSON without choices) fails as a
 * retryable `model_bad_response` (the client would take a text body for the answer).
 */
function transportFetch(
  base: Fetch,
  options: { maxAnswerBytes: number; stripAuthorization: boolean },
): Fetch {
  return async (input, init) => {
    let request = init;
    if (options.stripAuthorization && init?.headers !== undefined) {
      const headers = new Headers(init.headers);
      headers.delete('authorization');
      request = { ...init, headers };
    }
    const response = await base(input, request);
    const text = await readBoundedText(response, options.maxAnswerBytes);
    if (response.ok) {
      const problem = completionBodyProblem(text);
      if (problem !== undefined) {
        throw unreadableAnswerError({
          status: response.status,
          problem,
          contentType: response.headers.get('content-type'),
          bodyStart: bodySnippet(text),
        });
      }
    }
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
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
  private readonly attemptTimeoutMs: number;
  private readonly callTimeoutMs: number;
  private readonly retry: CallRetryPolicy;

  constructor(options: OpenAICompatibleOptions) {
    const logger = options.logger ?? createLogger('models');
    const keyless = options.target === 'openai-compatible' && options.apiKey === undefined;
    this.attemptTimeoutMs = options.timeoutMs ?? 60_000;
    this.callTimeoutMs = options.callTimeoutMs ?? 120_000;
    this.retry = { maxRetries: options.maxRetries ?? 2, maxRetryWaitMs: options.maxRetryWaitMs ?? 60_000 };
    const common: Omit<ClientOptions, 'provider' | 'apiKey' | 'baseURL'> = {
      timeout: this.attemptTimeoutMs,
      // Retries are ours (complete below): one policy for every failure, the deadline kept.
      maxRetries: 0,
      fetch: transportFetch(options.fetch ?? globalThis.fetch, {
        maxAnswerBytes: options.maxAnswerBytes ?? 512 * 1024,
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
    const deadline = AbortSignal.timeout(this.callTimeoutMs);
    const signal = options?.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      const remaining = this.callTimeoutMs - (Date.now() - started);
      try {
        const completion = await this.client.chat.completions.create(body, {
          signal,
          timeout: Math.max(1, Math.min(this.attemptTimeoutMs, remaining)),
        });
        return fromChatCompletion(completion, { request, names, provider: this.provider, model: this.model });
      } catch (caught) {
        const error =
          deadline.aborted && !options?.signal?.aborted ? this.timedOut() : toModelError(caught, this);
        const decision = retryDecision(
          error,
          attempt,
          this.callTimeoutMs - (Date.now() - started),
          this.retry,
        );
        if (!decision.retry) throw decision.error;
        try {
          await sleep(decision.waitMs, undefined, { signal });
        } catch {
          throw options?.signal?.aborted ? toModelError(new APIUserAbortError(), this) : this.timedOut();
        }
      }
    }
  }

  /** The call's deadline passed: retryable (a hung server often answers the next call). */
  private timedOut(): WaypointError {
    return new WaypointError(
      'model_timeout',
      `The AI model did not answer within ${duration(this.callTimeoutMs)}.`,
      {
        retryable: true,
        details: { provider: this.provider, model: this.model, callTimeoutMs: this.callTimeoutMs },
      },
    );
  }
}
