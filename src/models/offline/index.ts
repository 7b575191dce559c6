export { OfflineModel, OFFLINE_MODEL, OFFLINE_PROVIDER } from './offline-model';
export {
  latestUserText,
  toolExchanges,
  type OfflineDecision,
  type OfflinePolicies,
  type OfflinePolicy,
  type OfflineToolCall,
  type ToolExchange,
} from './policy';
