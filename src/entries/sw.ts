/**
 * `pubcache-web/sw` — the service-worker side: host the publication cache
 * in your worker.
 *
 * - {@link precacheAndHost}: the whole worker in one call (precache the app
 *   shell, answer navigations with it, take over on update, host the cache).
 * - {@link hostPubCache}: only the cache host, for a worker of your own that
 *   does its own precaching and routing.
 *
 * Both must be called at the top level of the worker script. Build the
 * worker with `pubcacheWorker()` from `pubcache-web/vite`.
 *
 * @packageDocumentation
 */
export { precacheAndHost, type PrecacheAndHostOptions } from "../sw/precache-and-host.js";
export { hostPubCache, type HostPubCacheOptions, type HostedPubCache } from "../sw/host-pub-cache.js";
export type { ServiceWorkerScope, WebWorkerLibRequired } from "../sw/service-worker-scope.js";
export type { CacheHostStats } from "../host/cache-host.js";
export type { Logger } from "../core/logger.js";
