/** Worker-side public API: host the publication cache in your own service worker. */
export { hostPubCache, type HostPubCacheOptions, type HostedPubCache } from "./host-pub-cache.js";
export type { CacheHost, CacheHostStats } from "../host/cache-host.js";
