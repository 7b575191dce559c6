/**
 * The offline model: the default provider, which needs no network and no key. It dispatches each
 * request on `request.agent` to a registered policy and answers as a hosted model would — tool
 * calls with ids derived from the request, or a final (structured) answer — with token usage
 * counted by the real tokenizer, so step, token and money budgets behave as they will in Azure.
 * Same request, same response: the engine adds no randomness, clock or I/O of its own.
 */
import { WaypointError } from '../../domain/errors';
import { localResponse, throwIfAborted } from '../local-response';
import type { ModelCallOptions, ModelProvider, ModelRequest, ModelResponse } from '../types';
import type { OfflinePolicies, OfflinePolicy } from './policy';

export const OFFLINE_PROVIDER = 'waypoint.offline';
export const OFFLINE_MODEL = 'waypoint-offline-1';

/** The offline model: one deterministic policy per agent role, no network (see the file comment). */
export class OfflineModel implements ModelProvider {
  readonly provider = OFFLINE_PROVIDER;
  readonly model = OFFLINE_MODEL;
  private readonly policies: ReadonlyMap<string, OfflinePolicy>;

  constructor(policies: OfflinePolicies) {
    this.policies = new Map(Object.entries(policies));
  }

  /** The agents this model has a policy for. */
  get agents(): string[] {
    return [...this.policies.keys()];
  }

  async complete(request: ModelRequest, options?: ModelCallOptions): Promise<ModelResponse> {
    throwIfAborted(options?.signal);
    const policy = this.policies.get(request.agent);
    if (policy === undefined) {
      throw new WaypointError(
        'model_error',
        `The offline model has no policy for agent "${request.agent}" (it has: ${this.agents.join(', ') || 'none'}).`,
        { retryable: false, details: { agent: request.agent } },
      );
    }
    let decision;
    try {
      decision = policy(request);
    } catch (error) {
      if (error instanceof WaypointError) throw error;
      // A policy is code: its bug is permanent, and retrying the same request would repeat it.
      throw new WaypointError(
        'model_error',
        `The offline policy for agent "${request.agent}" failed: ${error instanceof Error ? error.message : String(error)}`,
        { retryable: false, cause: error, details: { agent: request.agent } },
      );
    }
    return localResponse(
      request,
      decision,
      { provider: this.provider, model: this.model },
      { onlyOfferedTools: true },
    );
  }
}
