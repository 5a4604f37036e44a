/**
 * `pubcache-web/core` — the platform-independent cache engine, for any
 * runtime (Node, a worker, a page).
 *
 * The engine itself touches no global: time, randomness, logging, the
 * Connect client and the storage come in as options. This entry point is
 * where the runtime's defaults enter — the system clock and `Math.random` —
 * so `clock` and `random` are optional here (tests pass fakes).
 *
 * What it exports is what an embedder of the engine meets: the two
 * factories and their options, what they deliver (values, states, errors),
 * the contracts they are given (storage, clock, random source, logger) with
 * the runtime's defaults, the publication and its receipt values, and the
 * Publication API service the `client` option is made from, with the
 * messages its methods take and return (the client's type names them).
 *
 * @packageDocumentation
 */
import {
  createPublicationCache as createCoreCache,
  DEFAULT_POLL_INTERVAL_MS as CORE_POLL_INTERVAL_MS,
  type PublicationCache,
  type PublicationCacheSettings,
} from "../core/publication-cache.js";
import {
  createDeviceFeed as createCoreFeed,
  DEFAULT_FEED_TIMING as CORE_FEED_TIMING,
  type DeviceFeed,
  type DeviceFeedSettings,
} from "../core/feed/device-feed.js";
import type { Clock } from "../core/clock.js";
import type { FeedTiming } from "../core/feed/feed-context.js";
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

/**
 * The `pollIntervalMs` of {@link createPublicationCache} when none is given:
 * 5 minutes between GetPublication calls on a server that does not stream.
 */
export const DEFAULT_POLL_INTERVAL_MS: number = CORE_POLL_INTERVAL_MS;

/** The timing of {@link createDeviceFeed} when `timing` and `pollIntervalMs` leave a field out. */
export const DEFAULT_FEED_TIMING: FeedTiming = CORE_FEED_TIMING;

// The engines' contracts and settings.
export type { PublicationCache, PublicationCacheSettings } from "../core/publication-cache.js";
export type { DeviceFeed, DeviceFeedSettings, DeviceFeedStats } from "../core/feed/device-feed.js";
export type { BodiesInStream } from "../core/feed/stream-shape.js";
export type { FeedTiming } from "../core/feed/feed-context.js";
export type { FeedMode } from "../core/feed/feed-modes.js";
export type { FeedListener } from "../core/feed/feed-claims.js";
export { DEFAULT_BACKOFF, type BackoffOptions, type Jitter } from "../core/backoff.js";
// What they deliver, and how they fail.
export type { CacheError, CacheErrorCode, CacheSnapshot, CacheState, CacheStateKind, CachedValue, ValueSource } from "../core/cache-types.js";
export { CACHE_ERROR_CODES, type CacheOwnCode, type ConnectCodeName } from "../core/cache-error-code.js";
export { StorageError, type StorageErrorCode } from "../core/storage-error.js";
// What they are given: storage, clock, random source, logger (and the runtime's defaults).
export type { PublicationReader, PublicationStorage } from "../core/publication-storage.js";
export type { Clock } from "../core/clock.js";
export type { RandomSource } from "../core/random.js";
export { silentLogger, type Logger } from "../core/logger.js";
export { systemClock } from "../platform/system-clock.js";
export { systemRandom } from "../platform/system-random.js";
// The publication and its receipt values.
export type { Publication, Publication_Audience as PublicationAudience, Publication_Audience_Receipt } from "../gen/smartcore/traits/publication_pb.js";
export { PublicationAudienceReceipt } from "../core/receipts/audience-receipt.js";
// The service the `client` option is made from — createClient(PublicationApi, transport) —
// and the messages its methods take and return, which the client's type names.
export { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
export type {
  AcknowledgePublicationRequest,
  AcknowledgePublicationRequestSchema,
  CreatePublicationRequest,
  CreatePublicationRequestSchema,
  DeletePublicationRequest,
  DeletePublicationRequestSchema,
  GetPublicationRequest,
  GetPublicationRequestSchema,
  ListPublicationsRequest,
  ListPublicationsRequestSchema,
  ListPublicationsResponse,
  ListPublicationsResponseSchema,
  PublicationSchema,
  PullPublicationRequest,
  PullPublicationRequestSchema,
  PullPublicationResponse,
  PullPublicationResponse_Change,
  PullPublicationResponseSchema,
  PullPublicationsRequest,
  PullPublicationsRequestSchema,
  PullPublicationsResponse,
  PullPublicationsResponse_Change,
  PullPublicationsResponseSchema,
  UpdatePublicationRequest,
  UpdatePublicationRequestSchema,
} from "../gen/smartcore/traits/publication_pb.js";
export { ChangeType } from "../gen/smartcore/types/change_pb.js";
