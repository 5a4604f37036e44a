/// <reference lib="webworker" />
import type { Logger } from "../core/logger.js";
import { silentLogger } from "../core/logger.js";
import { systemClock } from "../platform/system-clock.js";
import { parseWatchdogEvent } from "../protocol/host-reports.js";
import { asArrayOf } from "../protocol/validate.js";
import { TabWatchdog, type WatchdogMemory } from "../host/tab-watchdog.js";

/** The Cache Storage cache and key the watchdog's events are kept under (a few hundred bytes). */
const MEMORY_CACHE = "pubcache-watchdog";
const MEMORY_KEY = "/__pubcache/watchdog-events";

/**
 * The worker's watchdog over the tabs it controls: tabs are its window
 * clients, a reload is `WindowClient.navigate(url)` (their own address), and
 * what it did is remembered in Cache Storage so the once-per-10-minutes limit
 * holds across worker restarts.
 */
export function createWorkerWatchdog(scope: ServiceWorkerGlobalScope, logger: Logger = silentLogger): TabWatchdog {
  return new TabWatchdog({
    clock: systemClock,
    logger,
    memory: cacheStorageMemory(scope),
    tabs: {
      async list() {
        const clients = await scope.clients.matchAll({ type: "window" });
        return clients.map((client) => ({ id: client.id, url: client.url, visible: client.visibilityState === "visible" }));
      },
      async reload(tab) {
        const client = await scope.clients.get(tab.id);
        if (client && "navigate" in client) await (client as WindowClient).navigate(tab.url);
      },
    },
  });
}

function cacheStorageMemory(scope: ServiceWorkerGlobalScope): WatchdogMemory {
  return {
    async load() {
      const response = await (await scope.caches.open(MEMORY_CACHE)).match(MEMORY_KEY);
      if (!response) return [];
      // Written by this worker, but read as untrusted all the same: storage outlives versions.
      return asArrayOf(await response.json().catch(() => undefined), 1_000, parseWatchdogEvent) ?? [];
    },
    async save(events) {
      const body = JSON.stringify(events);
      await (await scope.caches.open(MEMORY_CACHE)).put(MEMORY_KEY, new Response(body, { headers: { "content-type": "application/json" } }));
    },
  };
}

