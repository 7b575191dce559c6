import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../../src/domain/errors';
import { DEFAULT_PRICES } from '../../../src/models/pricing';
import { loadModelSettings } from '../../../src/models/settings';

function detailPaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return ((error as ValidationError).details as { path: string }[]).map((d) => d.path);
  }
  throw new Error('expected a ValidationError');
}

describe('loadModelSettings', () => {
  it('defaults to the offline model with a 60 s attempt and 120 s call timeout, 2 retries, 60 s longest wait, 512 KiB answers and the default prices', () => {
    expect(loadModelSettings({})).toEqual({
      provider: 'offline',
      timeoutMs: 60_000,
      callTimeoutMs: 120_000,
      maxRetries: 2,
      maxRetryWaitMs: 60_000,
      maxAnswerBytes: 512 * 1024,
      prices: DEFAULT_PRICES,
    });
  });

  it('reads the call deadline, the longest Retry-After and the answer cap, and refuses bad values', () => {
    expect(
      loadModelSettings({
        MODEL_CALL_TIMEOUT_MS: '30000',
        MODEL_MAX_RETRY_WAIT_MS: '0',
        MODEL_MAX_ANSWER_BYTES: '65536',
      }),
    ).toMatchObject({ callTimeoutMs: 30_000, maxRetryWaitMs: 0, maxAnswerBytes: 65_536 });
    expect(() => loadModelSettings({ MODEL_MAX_ANSWER_BYTES: '10' })).toThrow(/MODEL_MAX_ANSWER_BYTES/);
    expect(() => loadModelSettings({ MODEL_CALL_TIMEOUT_MS: 'soon' })).toThrow(/MODEL_CALL_TIMEOUT_MS/);
    expect(() => loadModelSettings({ MODEL_MAX_RETRY_WAIT_MS: '-1' })).toThrow(/MODEL_MAX_RETRY_WAIT_MS/);
  });

  it('ignores empty values, as unset', () => {
    expect(loadModelSettings({ MODEL_PROVIDER: '', MODEL_TIMEOUT_MS: '' }).provider).toBe('offline');
  });

  it('reads OpenAI with a key, the default model and an optional base URL', () => {
    expect(loadModelSettings({ MODEL_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-test' })).toMatchObject({
      provider: 'openai',
      model: 'gpt-4.1-mini',
      apiKey: 'sk-test',
      baseUrl: undefined,
    });
    const settings = loadModelSettings({
      MODEL_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      MODEL_NAME: 'gpt-4o',
      OPENAI_BASE_URL: 'https://proxy.example/v1',
      MODEL_TIMEOUT_MS: '5000',
      MODEL_MAX_RETRIES: '0',
    });
    expect(settings).toMatchObject({
      model: 'gpt-4o',
      baseUrl: 'https://proxy.example/v1',
      timeoutMs: 5000,
      maxRetries: 0,
    });
  });

  it('reads an OpenAI-compatible server by base URL, key optional, with a price for its model', () => {
    const settings = loadModelSettings({
      MODEL_PROVIDER: 'openai-compatible',
      OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1',
      MODEL_NAME: 'llama3.1:8b',
      MODEL_PRICES_JSON: '{"llama3.1:8b": {"input": 0, "output": 0}}',
    });
    expect(settings).toMatchObject({
      provider: 'openai-compatible',
      baseUrl: 'http://127.0.0.1:11434/v1',
      model: 'llama3.1:8b',
      apiKey: undefined,
    });
    expect(settings.prices['llama3.1:8b']).toEqual({ input: 0, output: 0 });
  });

  it('reads Azure OpenAI (Entra ID: no key) with the default API version', () => {
    expect(
      loadModelSettings({
        MODEL_PROVIDER: 'azure-openai',
        AZURE_OPENAI_ENDPOINT: 'https://waypoint.openai.azure.com',
        AZURE_OPENAI_DEPLOYMENT: 'chat',
        AZURE_CLIENT_ID: '00000000-0000-0000-0000-000000000001',
      }),
    ).toMatchObject({
      provider: 'azure-openai',
      endpoint: 'https://waypoint.openai.azure.com',
      deployment: 'chat',
      apiVersion: '2024-10-21',
      clientId: '00000000-0000-0000-0000-000000000001',
      model: undefined,
    });
  });

  it.each([
    [{ MODEL_PROVIDER: 'anthropic' }, 'MODEL_PROVIDER'],
    [{ MODEL_PROVIDER: 'openai' }, 'OPENAI_API_KEY'],
    [{ MODEL_PROVIDER: 'openai-compatible', MODEL_NAME: 'x' }, 'OPENAI_BASE_URL'],
    [{ MODEL_PROVIDER: 'openai-compatible', OPENAI_BASE_URL: 'http://127.0.0.1:1/v1' }, 'MODEL_NAME'],
    [{ MODEL_PROVIDER: 'azure-openai', AZURE_OPENAI_DEPLOYMENT: 'd' }, 'AZURE_OPENAI_ENDPOINT'],
    [
      { MODEL_PROVIDER: 'azure-openai', AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com' },
      'AZURE_OPENAI_DEPLOYMENT',
    ],
    [{ AZURE_OPENAI_ENDPOINT: 'not a url' }, 'AZURE_OPENAI_ENDPOINT'],
    [{ AZURE_OPENAI_API_VERSION: 'latest' }, 'AZURE_OPENAI_API_VERSION'],
    [{ AZURE_OPENAI_DEPLOYMENT: 'a/b' }, 'AZURE_OPENAI_DEPLOYMENT'],
    [{ OPENAI_BASE_URL: 'ftp://x' }, 'OPENAI_BASE_URL'],
    [{ MODEL_TIMEOUT_MS: 'soon' }, 'MODEL_TIMEOUT_MS'],
    [{ MODEL_TIMEOUT_MS: '10' }, 'MODEL_TIMEOUT_MS'],
    [{ MODEL_MAX_RETRIES: '-1' }, 'MODEL_MAX_RETRIES'],
    [{ MODEL_MAX_RETRIES: '1.5' }, 'MODEL_MAX_RETRIES'],
    [{ MODEL_PRICES_JSON: '{' }, 'MODEL_PRICES_JSON'],
  ])('fails fast naming the bad setting for %j', (env, setting) => {
    expect(detailPaths(() => loadModelSettings(env))).toContain(setting);
    expect(() => loadModelSettings(env)).toThrow(setting);
  });

  it('refuses a model without a price, naming MODEL_PRICES_JSON, and accepts a * fallback', () => {
    const env = {
      MODEL_PROVIDER: 'openai-compatible',
      OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1',
      MODEL_NAME: 'qwen2.5',
    };
    expect(detailPaths(() => loadModelSettings(env))).toEqual(['MODEL_PRICES_JSON']);
    expect(() => loadModelSettings(env)).toThrow(/no price for model "qwen2.5"/);
    expect(
      loadModelSettings({ ...env, MODEL_PRICES_JSON: '{"*": {"input": 0, "output": 0}}' }).provider,
    ).toBe('openai-compatible');
    // Azure: a MODEL_NAME is checked; a bare deployment name cannot be, and is not.
    const azure = {
      MODEL_PROVIDER: 'azure-openai',
      AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com',
      AZURE_OPENAI_DEPLOYMENT: 'chat',
    };
    expect(() => loadModelSettings({ ...azure, MODEL_NAME: 'mystery' })).toThrow(ValidationError);
    expect(loadModelSettings({ ...azure, MODEL_NAME: 'gpt-4o' })).toMatchObject({ model: 'gpt-4o' });
  });
});
