import { precacheAndHost } from "./precache-and-host.js";

/**
 * Our ready-made worker, the one the kiosk dashboard registers: the
 * application shell precached by Workbox (so a reload with no network boots
 * from cache, whatever the query string: the dashboard's URLs carry
 * `server`, `device` and `ids`), new versions taking over when the page
 * asks, and the publication cache host. An embedder's worker is the same
 * call from `pubcache-web/sw`, built by `pubcache-web/vite` as this one is.
 */
precacheAndHost();
