/**
 * `pubcache-web/sw` — host the publication cache in your own service worker.
 *
 * @packageDocumentation
 */
export { hostPubCache, type HostPubCacheOptions, type HostedPubCache } from "../sw/host-pub-cache.js";
export type { CacheHost, CacheHostStats } from "../host/cache-host.js";
