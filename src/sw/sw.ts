/// <reference lib="webworker" />
import { NavigationRoute, registerRoute } from "workbox-routing";
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { hostPubCache } from "./host-pub-cache.js";

/**
 * Our ready-made worker: the application shell precached by Workbox (so a
 * reload with no network boots from cache) plus the publication cache host.
 * A dashboard with its own worker does the same three things in its script.
 */
declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<string | { url: string; revision: string | null }>;
};

// Drops precaches written by older Workbox versions.
cleanupOutdatedCaches();
// The manifest (hashed app assets + index.html) is injected at build time.
precacheAndRoute(self.__WB_MANIFEST);
// Navigations carry query parameters (server, device, ids): serve the
// precached shell for any of them instead of matching the URL exactly.
registerRoute(new NavigationRoute(createHandlerBoundToURL("index.html")));

// A new version takes over when the page says so (workbox-window's
// messageSkipWaiting); pages do not reload on controllerchange, so there is
// no reload loop.
self.addEventListener("message", (event) => {
  if ((event.data as { type?: unknown } | null)?.type === "SKIP_WAITING") void self.skipWaiting();
});
// Take control of pages that loaded before this worker, so they stop hosting
// the cache in a leader tab and use the worker.
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

hostPubCache(self);
