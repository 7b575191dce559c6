export { OfflineModel, OFFLINE_MODEL, OFFLINE_PROVIDER, type OfflinePolicies } from './offline-model';
export {
  latestUserText,
  toolExchanges,
  type OfflineDecision,
  type OfflinePolicy,
  type OfflineToolCall,
  type ToolExchange,
} from './policy';
