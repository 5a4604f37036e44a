/// <reference lib="webworker" />
import { NavigationRoute, registerRoute } from "workbox-routing";
import { cleanupOutdatedCaches, PrecacheController, PrecacheRoute } from "workbox-precaching";
import { createRecoveryLog } from "../host/recovery-log.js";
import { systemClock } from "../platform/system-clock.js";
import { hostPubCacheWith, type HostedPubCache, type HostPubCacheOptions } from "./host-pub-cache.js";
import { createPrecacheHealing } from "./precache-healing.js";

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
 * 4. hosts the publication cache ({@link hostPubCache});
 * 5. puts the precached files back when Cache Storage lost them while the
 *    worker runs (site data cleared, eviction), as soon as the network
 *    allows — looked at when the connection comes back, at most once a
 *    minute on page messages and navigations, and at once when the host
 *    finds its database cleared — so the next boot with no network still
 *    has its shell; the diagnostics hear of it with the host's recoveries.
 *
 * Call it once, synchronously, while the script is first evaluated (browsers
 * only deliver events to listeners added then). Needs the build to inject the
 * manifest: `pubcacheWorker()` from `pubcache-web/vite` does. It takes no
 * `self` so that a worker script made of this call needs no WebWorker types.
 */
export function precacheAndHost(options: PrecacheAndHostOptions = {}): HostedPubCache {
  const { navigationFallback = "index.html", navigationDenylist, ...hostOptions } = options;
  const recoveries = createRecoveryLog();
  cleanupOutdatedCaches();
  // precacheAndRoute() with a controller of our own, so healing can read its manifest.
  const precache = new PrecacheController();
  precache.precache(self.__WB_MANIFEST);
  registerRoute(new PrecacheRoute(precache));
  const healing = createPrecacheHealing({
    precache,
    caches: self.caches,
    fetch: (request) => self.fetch(request),
    clock: systemClock,
    recoveries,
    ...(hostOptions.logger && { logger: hostOptions.logger }),
  });
  if (navigationFallback !== false) {
    const shell = precache.createHandlerBoundToURL(navigationFallback);
    const handler: typeof shell = (params) => {
      const looking = healing.check();
      try {
        params.event.waitUntil(looking);
      } catch {
        // An event past its dispatch cannot be extended; the look runs anyway.
      }
      return shell(params);
    };
    registerRoute(new NavigationRoute(handler, navigationDenylist ? { denylist: [...navigationDenylist] } : {}));
  }
  self.addEventListener("message", (event) => {
    if ((event.data as { type?: unknown } | null)?.type === "SKIP_WAITING") void self.skipWaiting();
    else if (isActive()) event.waitUntil(healing.check());
  });
  self.addEventListener("online", () => void healing.check(true));
  // Whatever cleared the database (site data cleared) most likely took the app files too.
  recoveries.onChange((recovery) => {
    if (recovery.storage === "database" && recovery.restoredAt === undefined) void healing.check(true);
  });
  self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
  return hostPubCacheWith(self, hostOptions, recoveries);
}

/** Only the active worker's precache is the one pages boot from; an installing one is still filling it. */
function isActive(): boolean {
  const state = (self as { serviceWorker?: ServiceWorker }).serviceWorker?.state;
  return state === undefined ? self.registration.active !== null && !self.registration.installing : state === "activated";
}
