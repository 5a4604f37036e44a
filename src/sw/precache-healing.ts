import type { Clock } from "../core/clock.js";
import { silentLogger, type Logger } from "../core/logger.js";
import type { RecoveryLog } from "../host/recovery-log.js";

/** What healing needs to know of the precache: Workbox's `PrecacheController` has all of it. */
export interface PrecacheManifest {
  /** The precache's Cache Storage name. */
  readonly strategy: { readonly cacheName: string };
  /** Every precached URL → its cache key (the URL with Workbox's revision parameter, when it has one). */
  getURLsToCacheKeys(): Map<string, string>;
  getIntegrityForCacheKey(cacheKey: string): string | undefined;
}

export interface PrecacheHealingOptions {
  readonly precache: PrecacheManifest;
  readonly caches: Pick<CacheStorage, "open">;
  readonly fetch: (request: Request) => Promise<Response>;
  readonly clock: Clock;
  /** Where a loss and its repair are recorded for diagnostics. */
  readonly recoveries: RecoveryLog;
  readonly logger?: Logger;
  /** At most one look per this long, unless forced. Default 60 s. */
  readonly minIntervalMs?: number;
}

/**
 * Puts the app's precached files back when Cache Storage lost them while
 * the worker runs ("Clear site data", eviction): without them the next boot
 * with no network has no shell to show. Workbox precaches only at install
 * and, on a miss, answers from the network without caching again.
 */
export interface PrecacheHealing {
  /**
   * Compares the precache with the manifest (one `keys()` of one cache) and
   * fetches what is missing into it, as Workbox's install would: same cache
   * keys, `cache: "reload"` for revisioned entries, integrity when the
   * manifest has one. At most one look per `minIntervalMs` unless `force`.
   * Files that cannot be fetched now (offline) wait for the next look; the
   * recovery stays open until every file is back. Never rejects.
   */
  check(force?: boolean): Promise<void>;
}

/** Creates a {@link PrecacheHealing}. */
export function createPrecacheHealing(options: PrecacheHealingOptions): PrecacheHealing {
  const { precache, clock } = options;
  const logger = options.logger ?? silentLogger;
  const minIntervalMs = options.minIntervalMs ?? 60_000;
  let lastLook = Number.NEGATIVE_INFINITY;
  let running: Promise<void> | undefined;
  // The loss being repaired, until every file is back.
  let open: { update: ReturnType<RecoveryLog["begin"]>; restored: number } | undefined;

  async function look(): Promise<void> {
    const cache = await options.caches.open(precache.strategy.cacheName);
    const present = new Set((await cache.keys()).map((request) => request.url));
    const missing = [...precache.getURLsToCacheKeys()].filter(([, cacheKey]) => !present.has(cacheKey));
    if (missing.length === 0) return;
    if (!open) {
      logger.warn("precached app files are missing from Cache Storage: fetching them again", { missing: missing.length });
      open = { update: options.recoveries.begin({ storage: "app-files", detectedAt: clock.now(), restored: 0 }), restored: 0 };
    }
    const repair = open;
    let failed = 0;
    for (const [url, cacheKey] of missing) {
      try {
        await cache.put(cacheKey, await fetchEntry(url, cacheKey));
        repair.restored++;
      } catch (error) {
        failed++;
        logger.warn("could not fetch a precached file again", { url, error: String(error) });
      }
    }
    if (failed > 0) {
      repair.update({ restored: repair.restored });
      return;
    }
    repair.update({ restored: repair.restored, restoredAt: clock.now() });
    open = undefined;
  }

  async function fetchEntry(url: string, cacheKey: string): Promise<Response> {
    const integrity = precache.getIntegrityForCacheKey(cacheKey);
    const request = new Request(url, {
      credentials: "same-origin",
      // A revisioned entry's URL does not change with its content: bypass the HTTP cache, as Workbox does.
      cache: cacheKey === url ? "default" : "reload",
      ...(integrity !== undefined && { integrity }),
    });
    const response = await options.fetch(request);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    // A redirected response cannot answer a navigation: keep its body and headers only (Workbox's copyResponse).
    return response.redirected ? new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers: response.headers }) : response;
  }

  return {
    check(force = false) {
      if (running) return running;
      const now = clock.now();
      if (!force && now - lastLook < minIntervalMs) return Promise.resolve();
      lastLook = now;
      running = look()
        .catch((error: unknown) => logger.warn("precache check failed", { error: String(error) }))
        .finally(() => (running = undefined));
      return running;
    },
  };
}
