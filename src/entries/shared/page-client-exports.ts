/**
 * What `pubcache-web/vue` and `pubcache-web/react` re-export of the page
 * client, so that a component needs one import: the types their signatures
 * use (the very types of `pubcache-web`) and the receipt values. One list,
 * so the two bindings cannot drift apart.
 */
export type {
  PubCacheClient,
  AcknowledgeOptions,
  ReceiptInfo,
  ScreenReceipt,
  ClientDiagnostics,
  HostMode,
  PublicationUpdate,
  CachedValue,
  ValueSource,
  CacheState,
  CacheStateKind,
  CacheError,
  CacheErrorCode,
  ConnectCodeName,
  CacheOwnCode,
  StorageErrorCode,
  ServerContact,
  StorageRecovery,
  UpstreamProtocol,
  WatchdogEvent,
  WorkerProblem,
  WorkerProblemKind,
  Publication,
  PublicationAudience,
  Publication_Audience_Receipt,
} from "../index.js";
export { PublicationAudienceReceipt } from "../index.js";
