/**
 * `pubcache-web` — the page client dashboards embed.
 *
 * `createPubCacheClient` gives a page the shared publication cache: the
 * last stored value at once (even offline), then live updates from the
 * service worker (or, without one, from one elected tab).
 *
 * @packageDocumentation
 */
import type { PubCacheClientOptions } from "../client/client-options.js";
import { createPubCacheClient as createClient, type PubCacheClient } from "../client/pub-cache-client.js";

/**
 * Creates the page client. It reads IndexedDB itself for the first paint,
 * gets live updates on the shared BroadcastChannel and talks to the host —
 * the service worker when one controls the page, otherwise the tab elected
 * with Web Locks (possibly this one). See {@link PubCacheClient}.
 */
export function createPubCacheClient(options: PubCacheClientOptions): PubCacheClient {
  return createClient(options);
}

export type { PubCacheClient, PubCacheClientOptions };
export type {
  AcknowledgeOptions,
  ClientDiagnostics,
  HostMode,
  ReceiptInfo,
  ServerContact,
  UpstreamProtocol,
  WorkerProblem,
  WorkerProblemKind,
} from "../client/pub-cache-client.js";
export type { ScreenReceipt } from "../client/screen-receipts.js";
export type { PublicationUpdate } from "../client/publication-update.js";
export type { CachedValue, CacheState, CacheStateKind, CacheError, CacheErrorCode, ValueSource } from "../core/cache-types.js";
export type { ConnectCodeName, CacheOwnCode } from "../core/cache-error-code.js";
export type { StorageErrorCode } from "../core/storage-error.js";
export type { EngineTuning } from "../protocol/engine-tuning.js";
export type { StorageRecovery, WatchdogEvent } from "../protocol/messages.js";
export type { Logger } from "../core/logger.js";
export type { Publication, Publication_Audience as PublicationAudience, Publication_Audience_Receipt } from "../gen/smartcore/traits/publication_pb.js";
export { PublicationAudienceReceipt } from "../core/receipts/audience-receipt.js";
