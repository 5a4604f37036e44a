import type { Client } from "@connectrpc/connect";
import type { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import type { PublicationStorage } from "./publication-storage.js";
import { createBackoff, type BackoffOptions } from "./backoff.js";
import type { CacheSnapshot, CachedValue } from "./cache-types.js";
import type { Clock } from "./clock.js";
import { HeldPublication } from "./held-publication.js";
import { InterruptibleWaits } from "./interruptible-waits.js";
import { silentLogger, type Logger } from "./logger.js";
import type { LoopContext } from "./loop-context.js";
import type { RandomSource } from "./random.js";
import { runUpdateLoop } from "./update-loop.js";

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
 * Keeps the latest value of one publication (one server × device × id) in
 * step with the server, through outages, restarts and servers that cannot
 * stream. Background work starts with the first `subscribe`, `values` or
 * `watch`, and stops only on `close()` or when the `signal` option aborts —
 * not when listeners drop to zero (the host decides that).
 */
export interface PublicationCache {
  readonly device: string;
  readonly id: string;
  /**
   * Calls `listener` with the current value (if any), then with every new
   * value. A listener never gets the same value twice in a row; changes within
   * one tick are coalesced to the latest. Delivery is asynchronous (a
   * microtask). Returns the unsubscribe function.
   */
  subscribe(listener: (value: CachedValue) => void): () => void;
  /**
   * The values as an async iterable: the current one first (or the first to
   * arrive), then updates; a slow consumer skips intermediates and always
   * gets the latest. Ends when `signal` aborts or the cache closes.
   */
  values(signal?: AbortSignal): AsyncIterable<CachedValue>;
  /**
   * Calls `listener` with the current snapshot, then on every change of value,
   * state, `lastConfirmedAt` or `lastError` (coalesced per tick). The `closed`
   * snapshot is delivered at once by `close()`. Returns the unsubscribe function.
   */
  watch(listener: (snapshot: CacheSnapshot) => void): () => void;
  /** The current snapshot. */
  snapshot(): CacheSnapshot;
  /**
   * The network is back or the page became visible: end the current backoff
   * wait (and a poll or quiet-stream wait) so the next call happens now.
   */
  wake(): void;
  /** New credentials are available: leave `needs-auth` (or a backoff wait) and retry at once. */
  credentialsChanged(): void;
  /** Stops all work at once: no timer, stream or listener remains. Idempotent. */
  close(): void;
}

/**
 * Creates a cache. Throws a RangeError for an empty id or a non-positive poll
 * interval (a cache for no publication, or a busy loop, is a programming error).
 */
export function createPublicationCache(options: PublicationCacheOptions): PublicationCache {
  const { client, device, id, storage } = options;
  if (id === "") throw new RangeError("a publication cache needs a non-empty publication id");
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
  if (!(pollIntervalMs > 0)) throw new RangeError(`pollIntervalMs must be positive, got ${pollIntervalMs}`);
  const { clock } = options;
  const logger = options.logger ?? silentLogger;
  const backoff = createBackoff(options.backoff, options.random);

  const lifetime = new AbortController();
  const credentials = { generation: 0 };
  const waits = new InterruptibleWaits(clock);
  const held = new HeldPublication(device, id, clock, logger, storage);
  const { model, subscribers } = held;
  const ctx: LoopContext = {
    client,
    device,
    id,
    clock,
    logger,
    pollIntervalMs,
    model,
    waits,
    signal: lifetime.signal,
    accept: (publication, source) => held.accept(publication, source),
  };

  let started = false;
  const start = () => {
    if (started || lifetime.signal.aborted) return;
    started = true;
    void held.load();
    runUpdateLoop(ctx, backoff, credentials).catch((err: unknown) => {
      logger.error("update loop crashed", { device, id, error: err instanceof Error ? err.message : String(err) });
    });
  };

  const onExternalAbort = () => close();
  const close = () => {
    if (lifetime.signal.aborted) return;
    options.signal?.removeEventListener("abort", onExternalAbort);
    lifetime.abort();
    held.close();
  };
  if (options.signal?.aborted) close();
  else options.signal?.addEventListener("abort", onExternalAbort, { once: true });

  return {
    device,
    id,
    subscribe(listener) {
      start();
      return subscribers.subscribe(listener);
    },
    values(signal) {
      start();
      return subscribers.values(signal);
    },
    watch(listener) {
      start();
      return subscribers.watch(listener);
    },
    snapshot: () => model.snapshot,
    wake() {
      waits.interrupt(["backoff", "poll", "quiet"]);
    },
    credentialsChanged() {
      credentials.generation++;
      waits.interrupt(["backoff", "auth"]);
    },
    close,
  };
}
