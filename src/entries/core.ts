/**
 * `pubcache-web/core` — the platform-independent cache engine, for any
 * runtime (Node, a worker, a page).
 *
 * The engine itself touches no global: time, randomness, logging, the
 * Connect client and the storage come in as options. This entry point is
 * where the runtime's defaults enter — the system clock and `Math.random` —
 * so `clock` and `random` are optional here (tests pass fakes).
 *
 * @packageDocumentation
 */
import {
  createPublicationCache as createCoreCache,
  type PublicationCache,
  type PublicationCacheOptions as CorePublicationCacheOptions,
} from "../core/publication-cache.js";
import { systemClock } from "../platform/system-clock.js";
import { systemRandom } from "../platform/system-random.js";

/** Options of {@link createPublicationCache}; `clock` and `random` default to the runtime's. */
export type PublicationCacheOptions = Omit<CorePublicationCacheOptions, "clock" | "random"> &
  Partial<Pick<CorePublicationCacheOptions, "clock" | "random">>;

/**
 * Creates a cache of one publication (server × device × id), the Go
 * `pubcache` counterpart. See {@link PublicationCache} for the contract.
 * Throws a RangeError for an empty id or a non-positive poll interval.
 */
export function createPublicationCache(options: PublicationCacheOptions): PublicationCache {
  return createCoreCache({ clock: systemClock, random: systemRandom, ...options });
}

export { DEFAULT_POLL_INTERVAL_MS, type PublicationCache } from "../core/publication-cache.js";
export { applyJitter, createBackoff, DEFAULT_BACKOFF, type Backoff, type BackoffOptions, type Jitter } from "../core/backoff.js";
export type { CacheError, CacheSnapshot, CacheState, CacheStateKind, CachedValue, ValueSource } from "../core/cache-types.js";
export { sleep, type Clock, type SleepOutcome } from "../core/clock.js";
export { seededRandom, type RandomSource } from "../core/random.js";
export { silentLogger, type Logger } from "../core/logger.js";
export type { PublicationStorage } from "../core/publication-storage.js";
// The service the `client` option is made from: createClient(PublicationApi, transport).
export { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
export type {
  Publication,
  Publication_Audience as PublicationAudience,
  Publication_Audience_Receipt as PublicationAudienceReceipt,
} from "../gen/smartcore/traits/publication_pb.js";
export { StorageError, type StorageErrorCode } from "../core/storage-error.js";
export { systemClock } from "../platform/system-clock.js";
export { systemRandom } from "../platform/system-random.js";
