/**
 * The model layer: one ModelProvider chosen by settings (offline by default), the price table
 * for money budgets, token counting, and the scripted model for tests.
 */
import { DefaultAzureCredential, type TokenCredential } from '@azure/identity';
import type { Logger } from '../telemetry/logger';
import { OfflineModel, type OfflinePolicies } from './offline';
import { OpenAICompatibleProvider } from './openai-compatible';
import { modelCostUsd } from './pricing';
import type { ModelSettings } from './settings';
import type { ModelProvider, TokenUsage } from './types';

export * from './types';
export * from './offline';
export {
  OpenAICompatibleProvider,
  AZURE_OPENAI_SCOPE,
  type OpenAICompatibleOptions,
} from './openai-compatible';
export { ScriptedModel, turn, SCRIPTED_MODEL, SCRIPTED_PROVIDER } from './scripted-model';
export type { Script, ScriptedTurn, ScriptedAnswer, ScriptedFault, ScriptedCall } from './scripted-model';
export { loadModelSettings, type ModelSettings, type ModelProviderKind } from './settings';
export {
  DEFAULT_PRICES,
  findModelPrice,
  modelCostUsd,
  priceTableWith,
  type ModelPrice,
  type PriceTable,
} from './pricing';
export { countRequestTokens, countResponseTokens, countTokens, TOKEN_ENCODING } from './tokens';
export { parseJsonAnswer } from './structured-output';

export interface ModelProviderDependencies {
  /** The offline model's policies, per agent role (the application's, e.g. src/travel). */
  offlinePolicies: OfflinePolicies;
  /**
   * The Entra ID credential for Azure OpenAI. Default: DefaultAzureCredential — in Azure the
   * app's managed identity (AZURE_CLIENT_ID selects a user-assigned one), locally a developer's
   * Azure CLI / VS Code sign-in.
   */
  credential?: TokenCredential;
  logger?: Logger;
}

/** The provider the settings name. Builds clients only; makes no network call. */
export function createModelProvider(settings: ModelSettings, deps: ModelProviderDependencies): ModelProvider {
  const transport = {
    timeoutMs: settings.timeoutMs,
    callTimeoutMs: settings.callTimeoutMs,
    maxRetries: settings.maxRetries,
    maxRetryWaitMs: settings.maxRetryWaitMs,
    maxAnswerBytes: settings.maxAnswerBytes,
    ...(deps.logger ? { logger: deps.logger } : {}),
  };
  switch (settings.provider) {
    case 'offline':
      return new OfflineModel(deps.offlinePolicies);
    case 'openai':
      return new OpenAICompatibleProvider({
        ...transport,
        target: 'openai',
        model: settings.model,
        apiKey: settings.apiKey,
        ...(settings.baseUrl === undefined ? {} : { baseUrl: settings.baseUrl }),
      });
    case 'openai-compatible':
      return new OpenAICompatibleProvider({
        ...transport,
        target: 'openai-compatible',
        model: settings.model,
        baseUrl: settings.baseUrl,
        ...(settings.apiKey === undefined ? {} : { apiKey: settings.apiKey }),
      });
    case 'azure-openai':
      return new OpenAICompatibleProvider({
        ...transport,
        target: 'azure-openai',
        endpoint: settings.endpoint,
        deployment: settings.deployment,
        apiVersion: settings.apiVersion,
        credential:
          deps.credential ??
          new DefaultAzureCredential(
            settings.clientId === undefined ? {} : { managedIdentityClientId: settings.clientId },
          ),
      });
  }
}

/** The USD cost of a call's usage under these settings' price table (for money budgets). */
export function modelPricer(
  settings: Pick<ModelSettings, 'prices'>,
): (model: string, usage: TokenUsage) => number {
  return (model, usage) => modelCostUsd(model, usage, settings.prices);
}
