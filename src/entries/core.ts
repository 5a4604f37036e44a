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
  type PublicationCacheSettings,
} from "../core/publication-cache.js";
import {
  createDeviceFeed as createCoreFeed,
  type DeviceFeed,
  type DeviceFeedSettings,
} from "../core/feed/device-feed.js";
import type { Clock } from "../core/clock.js";
import type { RandomSource } from "../core/random.js";
import { systemClock } from "../platform/system-clock.js";
import { systemRandom } from "../platform/system-random.js";

/** Options of {@link createPublicationCache}; `clock` and `random` default to the runtime's. */
export interface PublicationCacheOptions extends PublicationCacheSettings {
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: `Math.random`; used for jitter only. */
  readonly random?: RandomSource;
}

/**
 * Creates a cache of one publication (server × device × id), the Go
 * `pubcache` counterpart. See {@link PublicationCache} for the contract.
 * Throws a RangeError for an empty id or a non-positive poll interval.
 */
export function createPublicationCache(options: PublicationCacheOptions): PublicationCache {
  return createCoreCache({ clock: systemClock, random: systemRandom, ...options });
}

/** Options of {@link createDeviceFeed}; `clock` and `random` default to the runtime's. */
export interface DeviceFeedOptions extends DeviceFeedSettings {
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: `Math.random`; used for jitter only. */
  readonly random?: RandomSource;
}

/**
 * Creates a feed of one server × device: every publication of it opened
 * with `feed.open(id)` is kept in step over one PullPublications stream
 * (metadata only; bodies downloaded for what changed), falling back to one
 * stream per publication, then to polling the whole device, on servers that
 * do not stream. See {@link DeviceFeed}.
 */
export function createDeviceFeed(options: DeviceFeedOptions): DeviceFeed {
  return createCoreFeed({ clock: systemClock, random: systemRandom, ...options });
}

export { DEFAULT_POLL_INTERVAL_MS, type PublicationCache, type PublicationCacheSettings } from "../core/publication-cache.js";
export { DEFAULT_FEED_TIMING, type DeviceFeed, type DeviceFeedSettings, type DeviceFeedStats } from "../core/feed/device-feed.js";
export type { BodiesInStream } from "../core/feed/stream-shape.js";
export { CACHE_ERROR_CODES, type CacheOwnCode, type ConnectCodeName } from "../core/cache-error-code.js";
export { ChangeType } from "../gen/smartcore/types/change_pb.js";
export type * from "../gen/smartcore/traits/publication_pb.js";
export type { FeedTiming } from "../core/feed/feed-context.js";
export type { FeedMode } from "../core/feed/feed-modes.js";
export type { FeedListener } from "../core/feed/feed-claims.js";
export { applyJitter, createBackoff, DEFAULT_BACKOFF, type Backoff, type BackoffOptions, type Jitter } from "../core/backoff.js";
export type { CacheError, CacheErrorCode, CacheSnapshot, CacheState, CacheStateKind, CachedValue, ValueSource } from "../core/cache-types.js";
export { sleep, type Clock, type SleepOutcome } from "../core/clock.js";
export { seededRandom, type RandomSource } from "../core/random.js";
export { silentLogger, type Logger } from "../core/logger.js";
export type { PublicationReader, PublicationStorage } from "../core/publication-storage.js";
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
