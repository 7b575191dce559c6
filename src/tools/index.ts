import type { IdempotencyStore } from '../stores/types';
import type { ToolAllowList } from './policy';
import type { ToolSettings } from './settings';
import { ToolClient, type ToolClientOptions } from './tool-client';

export { ToolClient, DEFAULT_WRITE_TOOLS } from './tool-client';
export type { ToolCallRequest, ToolClientOptions, WriteToolSpec } from './tool-client';
export type { ToolCallResult, ToolFailure, ToolFailureCode, ToolOutput } from './tool-result';
export { ToolPolicy, type ToolAllowList } from './policy';
export { checkCallWindows, loadToolSettings, type ToolSettings } from './settings';
export { toolRequestHash } from './request-hash';

/** Builds the tool client from settings, the agents' allow-list and the call-level idempotency store. */
export function createToolClient(
  settings: ToolSettings,
  dependencies: { idempotency: IdempotencyStore; allowList: ToolAllowList } & Pick<
    ToolClientOptions,
    'writeTools' | 'clock' | 'logger'
  >,
): ToolClient {
  return new ToolClient({
    servers: settings.servers,
    callTimeoutMs: settings.callTimeoutMs,
    pendingStaleAfterMs: settings.pendingStaleAfterMs,
    serverKeys: settings.serverKeys,
    maxResultBytes: settings.maxResultBytes,
    ...dependencies,
  });
}
