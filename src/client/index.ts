/** Page-side public API of the publication cache. */
export { createPubCacheClient, type PubCacheClient, type ClientDiagnostics, type HostMode } from "./pub-cache-client.js";
export type { PubCacheClientOptions } from "./client-options.js";
export type { PublicationUpdate } from "./publication-update.js";
export type { CachedValue, CacheState, CacheStateKind, CacheError } from "../core/cache-types.js";
export type { EngineTuning } from "../protocol/engine-tuning.js";
