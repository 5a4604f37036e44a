/**
 * `pubcache-web` — the page client dashboards embed.
 *
 * `createPubCacheClient` gives a page the shared publication cache: the
 * last stored value at once (even offline), then live updates from the
 * service worker (or, without one, from one elected tab).
 *
 * @packageDocumentation
 */
export { createPubCacheClient, type PubCacheClient, type ClientDiagnostics, type HostMode } from "../client/pub-cache-client.js";
export type { PubCacheClientOptions } from "../client/client-options.js";
export type { PublicationUpdate } from "../client/publication-update.js";
export type { CachedValue, CacheState, CacheStateKind, CacheError, CacheErrorCode, ValueSource } from "../core/cache-types.js";
export type { EngineTuning } from "../protocol/engine-tuning.js";
export type { Logger } from "../core/logger.js";
export type {
  Publication,
  Publication_Audience as PublicationAudience,
  Publication_Audience_Receipt as PublicationAudienceReceipt,
} from "../gen/smartcore/traits/publication_pb.js";
