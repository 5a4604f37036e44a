import type { Client } from "@connectrpc/connect";
import type { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import type { BackoffOptions } from "./backoff.js";
import type { PublicationCache } from "./cache-types.js";
import type { Clock } from "./clock.js";
import { createFeed } from "./feed/device-feed.js";
import type { Logger } from "./logger.js";
import type { PublicationStorage } from "./publication-storage.js";
import type { RandomSource } from "./random.js";

export type { PublicationCache } from "./cache-types.js";

/** What a {@link PublicationCache} is for, and how it behaves; see {@link PublicationCacheOptions}. */
export interface PublicationCacheSettings {
  /** A PublicationApi client (`createClient(PublicationApi, transport)`). */
  client: Client<typeof PublicationApi>;
  /** The Smart Core device name of the publication server (the `name` of every request). */
  device: string;
  /** The publication id; must not be empty. */
  id: string;
  /** Where the value survives restarts; none by default. */
  storage?: PublicationStorage;
  logger?: Logger;
  /** Default: 10 s doubling to 30 s, ±75 % jitter. */
  backoff?: BackoffOptions;
  /** Polling period when the server does not stream, and the quiet time before a liveness check. Default 5 min. */
  pollIntervalMs?: number;
  /** Aborting it closes the cache. */
  signal?: AbortSignal;
}

/** The settings plus time and randomness, which the runtime's entry point supplies. */
export interface PublicationCacheOptions extends PublicationCacheSettings {
  /** Time for every wait and timestamp. */
  clock: Clock;
  /** Uniform numbers in [0, 1), for jitter only. */
  random: RandomSource;
}

export const DEFAULT_POLL_INTERVAL_MS = 300_000;

/**
 * Creates a cache: a view of a feed of this one publication that follows it
 * the Go way — its own PullPublication stream, GetPublication polling when
 * the server does not stream, a dead-stream check on a quiet stream — with
 * the feed's one update loop, poller and backoff (the feed's per-publication
 * mode). Closing the cache closes its feed. Throws a RangeError for an empty
 * id or a non-positive poll interval (a cache for no publication, or a busy
 * loop, is a programming error).
 */
export function createPublicationCache(options: PublicationCacheOptions): PublicationCache {
  const { id } = options;
  if (id === "") throw new RangeError("a publication cache needs a non-empty publication id");
  const feed = createFeed(
    {
      client: options.client,
      device: options.device,
      clock: options.clock,
      random: options.random,
      ...(options.storage && { storage: options.storage }),
      ...(options.logger && { logger: options.logger }),
      ...(options.backoff && { backoff: options.backoff }),
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      ...(options.signal && { signal: options.signal }),
    },
    "one-publication",
  );
  const view = feed.open(id);
  return { ...view, close: () => feed.close() };
}
