/// <reference lib="webworker" />
import { NavigationRoute, registerRoute } from "workbox-routing";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { hostPubCache, type HostedPubCache, type HostPubCacheOptions } from "./host-pub-cache.js";

/**
 * The worker's global scope, with the precache manifest Workbox injects at
 * build time: the literal `self.__WB_MANIFEST` below is what the build
 * (vite-plugin-pwa's injectManifest, which `pubcache-web/vite` configures)
 * replaces with the list of the app's hashed files.
 */
declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<string | { url: string; revision: string | null }>;
};

/** Options of {@link precacheAndHost}: the host's, plus the navigation route. */
export interface PrecacheAndHostOptions extends HostPubCacheOptions {
  /**
   * The precached page every navigation is answered with — the app shell —
   * so that a reload of any URL of the app, query strings included, boots
   * with no network. As it appears in the precache manifest (relative to the
   * worker). Default `"index.html"`. `false`: no navigation route (a reload
   * offline then works only for URLs that are exactly a precached file).
   */
  readonly navigationFallback?: string | false;
  /** Navigations never answered with the shell, e.g. `[/^\/api\//]`. Default none. */
  readonly navigationDenylist?: readonly RegExp[];
}

/**
 * The whole service worker of a dashboard, in one call at the top level of
 * the worker script:
 *
 * ```ts
 * import { precacheAndHost } from "pubcache-web/sw";
 * precacheAndHost();
 * ```
 *
 * It does what our own worker does, in this order:
 * 1. drops precaches of older Workbox versions and precaches the files of
 *    this build (the manifest injected at `self.__WB_MANIFEST`), serving
 *    them from the cache;
 * 2. answers every navigation with the precached shell
 *    ({@link PrecacheAndHostOptions.navigationFallback}), so a kiosk that
 *    reloads `/?screen=lobby` with the server or the network gone still
 *    boots;
 * 3. lets a new version take over when a page asks (`SKIP_WAITING`, which
 *    the page client sends as soon as one is waiting; pages are not
 *    reloaded) and claims open pages on activation, so they stop hosting
 *    the cache in a tab and use the worker;
 * 4. hosts the publication cache ({@link hostPubCache}).
 *
 * Call it once, synchronously, while the script is first evaluated (browsers
 * only deliver events to listeners added then). Needs the build to inject the
 * manifest: `pubcacheWorker()` from `pubcache-web/vite` does. It takes no
 * `self` so that a worker script made of this call needs no WebWorker types.
 */
export function precacheAndHost(options: PrecacheAndHostOptions = {}): HostedPubCache {
  const { navigationFallback = "index.html", navigationDenylist, ...hostOptions } = options;
  cleanupOutdatedCaches();
  precacheAndRoute(self.__WB_MANIFEST);
  if (navigationFallback !== false) {
    const handler = createHandlerBoundToURL(navigationFallback);
    registerRoute(new NavigationRoute(handler, navigationDenylist ? { denylist: [...navigationDenylist] } : {}));
  }
  self.addEventListener("message", (event) => {
    if ((event.data as { type?: unknown } | null)?.type === "SKIP_WAITING") void self.skipWaiting();
  });
  self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
  return hostPubCache(self, hostOptions);
}
