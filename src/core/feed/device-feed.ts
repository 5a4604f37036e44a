import type { Client } from "@connectrpc/connect";
import type { Publication, PublicationApi } from "../../gen/smartcore/traits/publication_pb.js";
import { createBackoff, type BackoffOptions } from "../backoff.js";
import type { CacheSnapshot, CachedValue, PublicationCache } from "../cache-types.js";
import type { Clock } from "../clock.js";
import { HeldPublication } from "../held-publication.js";
import { InterruptibleWaits } from "../interruptible-waits.js";
import { silentLogger, type Logger } from "../logger.js";
import type { PublicationStorage } from "../publication-storage.js";
import type { RandomSource } from "../random.js";
import { DeviceIndex } from "./device-index.js";
import { FeedClaims, type FeedListener } from "./feed-claims.js";
import type { FeedContext, FeedTiming } from "./feed-context.js";
import { runFeedLoop } from "./feed-loop.js";
import { FeedModes, type FeedMode } from "./feed-modes.js";
import { PollCosts } from "./poll-costs.js";
import { DEFAULT_DEVICE_POLL_INTERVAL_MS } from "./poll-schedule.js";
import { newStreamShape, type BodiesInStream } from "./stream-shape.js";
import { WantedPublications } from "./wanted-publications.js";

/** What a {@link DeviceFeed} follows, and how; see {@link DeviceFeedOptions}. */
export interface DeviceFeedSettings {
  /** A PublicationApi client (`createClient(PublicationApi, transport)`). */
  readonly client: Client<typeof PublicationApi>;
  /** The Smart Core device name of the publication server (the `name` of every request). */
  readonly device: string;
  /** Where values survive restarts (one scope: this server × device × partition); none by default. */
  readonly storage?: PublicationStorage;
  readonly logger?: Logger;
  /** Default: 10 s doubling to 30 s, ±75 % jitter. */
  readonly backoff?: BackoffOptions;
  /**
   * How often to poll a server that streams nothing (the database-backed
   * server every real site runs). Default 1 min, each wait ± 20 % so a
   * fleet does not poll in lock-step.
   */
  readonly pollIntervalMs?: number;
  /** Finer timing; see {@link FeedTiming}. Defaults: quiet check 5 min, settle 1 s, open timeout 15 s, call timeout 30 s, re-probe 30 min. */
  readonly timing?: Partial<Omit<FeedTiming, "pollIntervalMs">>;
  /** Aborting it closes the feed. */
  readonly signal?: AbortSignal;
  /**
   * Whether the device stream carries bodies: `auto` (default) streams
   * them once the device shows it has at most 32 publications (and stops
   * beyond 48) — fewer round trips and less server work per update —
   * otherwise metadata only, bodies downloaded for what changed; `never` and
   * `always` fix it.
   */
  readonly bodiesInStream?: BodiesInStream;
}

/** The settings plus time and randomness, which the runtime's entry point supplies. */
export interface DeviceFeedOptions extends DeviceFeedSettings {
  readonly clock: Clock;
  /** Uniform numbers in [0, 1), for jitter only. */
  readonly random: RandomSource;
}

/** What a feed is doing, for diagnostics. */
export interface DeviceFeedStats {
  /** The way it follows the device now; `idle` while nothing is wanted (no connection). */
  readonly mode: FeedMode | "idle";
  /** Publications someone is subscribed to. */
  readonly wanted: number;
  /** Publications of the device the feed knows of (metadata only). */
  readonly devicePublications: number;
}

/**
 * One feed per server × device keeps every wanted publication of that
 * device in step over **one** PullPublications stream — however many
 * publications and tabs — with metadata only in the stream and bodies
 * downloaded for what changed. Servers without it get one PullPublication
 * per publication, then polling of the whole device (see {@link FeedMode}).
 */
export interface DeviceFeed {
  readonly device: string;
  /**
   * A cache of one publication of this device: the same contract as a
   * standalone {@link PublicationCache}, sharing the feed's stream. Work
   * for it starts with its first `subscribe`, `values` or `watch`; adding or
   * dropping a publication never restarts the stream. `close()` drops it
   * (views of the same id share one held value; the last one to close drops
   * it). Throws a RangeError for an empty id.
   */
  open(id: string): PublicationCache;
  /**
   * The host's way in: `id` is wanted from now on (again: nothing more).
   * Its snapshots go to the feed's listener ({@link DeviceFeed.listen}); work
   * starts at once. One claim per id, however many tabs want it: the host
   * counts them. Throws a RangeError for an empty id.
   */
  want(id: string): void;
  /** `id` is no longer wanted by the host: its work stops (its stored value stays); the listener hears nothing more of it. */
  unwant(id: string): void;
  /**
   * The one listener for every wanted id: the current snapshot soon after
   * `want`, then every change (coalesced per tick). A later call replaces
   * it. Returns the function that stops listening.
   */
  listen(listener: FeedListener): () => void;
  /**
   * Calls `listener` with the metadata (no bodies) of every publication of
   * the device the feed knows — soon, then after every change — and keeps
   * the feed connected while watched, even with no publication open: what
   * a fleet view needs to say which screen shows which version. In the
   * per-publication mode (servers without PullPublications) the device is
   * listed once per poll interval. Returns the function that stops watching.
   */
  watchDevice(listener: (publications: readonly Publication[]) => void): () => void;
  /** The network is back or a page became visible: retry, poll or check now. */
  wake(): void;
  /** New credentials are available: leave `needs-auth` and retry at once. */
  credentialsChanged(): void;
  /**
   * Storage lost what it held (cleared, evicted or deleted while running):
   * writes every value this feed holds in memory back, once. Resolves to
   * how many are stored again; a write that fails is reported in that
   * publication's snapshot, as any storage failure is.
   */
  storageLost(): Promise<number>;
  readonly stats: DeviceFeedStats;
  /** Stops all work at once: no timer, stream or listener remains. Idempotent. */
  close(): void;
}

export const DEFAULT_FEED_TIMING: FeedTiming = {
  pollIntervalMs: DEFAULT_DEVICE_POLL_INTERVAL_MS,
  quietCheckMs: 300_000,
  settleMs: 1_000,
  openTimeoutMs: 15_000,
  callTimeoutMs: 30_000,
  reprobeMs: 30 * 60_000,
};

/** Creates a {@link DeviceFeed}. Throws a RangeError for a non-positive interval. */
export function createDeviceFeed(options: DeviceFeedOptions): DeviceFeed {
  return createFeed(options, "device");
}

/**
 * What a feed follows:
 * - `device`: every wanted publication of the device, best mode first (see {@link FeedMode});
 * - `one-publication`: the Go-parity `PublicationCache` — the per-publication
 *   mode only, whose PullPublication falls back to GetPublication polling
 *   (not to polling the device), with no settle wait before its one stream.
 */
export type FeedKind = "device" | "one-publication";

/** Creates a feed of the given kind; `createDeviceFeed` and `createPublicationCache` are its two faces. */
export function createFeed(options: DeviceFeedOptions, kind: FeedKind): DeviceFeed {
  const { clock, device } = options;
  const logger = options.logger ?? silentLogger;
  const pollIntervalMs = options.pollIntervalMs ?? DEFAULT_FEED_TIMING.pollIntervalMs;
  // The Go-parity cache checks a quiet stream once per poll interval, as Go does.
  const quietCheckMs = options.timing?.quietCheckMs ?? (kind === "one-publication" ? pollIntervalMs : DEFAULT_FEED_TIMING.quietCheckMs);
  const timing: FeedTiming = { ...DEFAULT_FEED_TIMING, ...options.timing, pollIntervalMs, quietCheckMs };
  for (const [name, value] of Object.entries(timing)) {
    if (!(value > 0)) throw new RangeError(`${name} must be positive, got ${value}`);
  }
  const newBackoff = () => createBackoff(options.backoff, options.random);
  const lifetime = new AbortController();
  const wanted = new WantedPublications();
  const waits = new InterruptibleWaits(clock);
  const deviceWatchers = new Set<(publications: readonly Publication[]) => void>();
  let notifyScheduled = false;
  const notifyDevice = () => {
    if (notifyScheduled || deviceWatchers.size === 0) return;
    notifyScheduled = true;
    // Coalesced: an opening snapshot of hundreds of changes is one delivery.
    void Promise.resolve().then(() => {
      notifyScheduled = false;
      if (lifetime.signal.aborted) return;
      const publications = index.metadata();
      for (const listener of [...deviceWatchers]) {
        try {
          listener(publications);
        } catch (error) {
          logger.error("device watcher threw", { device, error: String(error) });
        }
      }
    });
  };
  const index = new DeviceIndex(notifyDevice);
  const ctx: FeedContext = {
    client: options.client,
    device,
    clock,
    random: options.random,
    logger,
    waits,
    signal: lifetime.signal,
    timing,
    index,
    wanted,
    shape: newStreamShape(options.bodiesInStream ?? "auto"),
    pollCosts: new PollCosts(),
  };
  const credentials = { generation: 0 };
  const views = new Map<string, { readonly held: HeldPublication; count: number; joined: boolean }>();
  let mode: FeedMode | "idle" = "idle";
  const claims = new FeedClaims((id) => feed.open(id));
  let running = false;

  const run = () => {
    if (running || lifetime.signal.aborted) return;
    running = true;
    const modes = kind === "device" ? new FeedModes(timing.reprobeMs) : new FeedModes(timing.reprobeMs, ["per-publication"]);
    runFeedLoop(ctx, { backoff: newBackoff(), newBackoff, credentials, modes, standalone: kind === "one-publication", onMode: (m) => (mode = m) }).catch(
      (error: unknown) => logger.error("device feed crashed", { device, error: error instanceof Error ? error.message : String(error) }),
    );
  };

  const feed: DeviceFeed = {
    device,
    open(id) {
      if (id === "") throw new RangeError("a publication cache needs a non-empty publication id");
      let entry = views.get(id);
      if (!entry || lifetime.signal.aborted) {
        entry = { held: new HeldPublication(device, id, clock, logger, options.storage), count: 0, joined: false };
        if (lifetime.signal.aborted) entry.held.close();
        else views.set(id, entry);
      }
      entry.count++;
      return openView(entry, () => {
        if (!entry.joined && !lifetime.signal.aborted) {
          entry.joined = true;
          wanted.add(entry.held);
          run();
        }
      }, () => {
        entry.count--;
        if (entry.count > 0 || views.get(id) !== entry) return false;
        views.delete(id);
        wanted.remove(entry.held);
        entry.held.close();
        return true;
      }, feed);
    },
    want(id) {
      if (id === "") throw new RangeError("a publication cache needs a non-empty publication id");
      if (!lifetime.signal.aborted) claims.want(id);
    },
    unwant: (id) => claims.unwant(id),
    listen: (listener) => claims.listen(listener),
    watchDevice(listener) {
      if (lifetime.signal.aborted) return () => undefined;
      deviceWatchers.add(listener);
      const unwatch = wanted.watchDevice();
      run();
      notifyDevice();
      return () => {
        deviceWatchers.delete(listener);
        unwatch();
      };
    },
    wake() {
      waits.interrupt(["backoff", "poll", "quiet"]);
    },
    credentialsChanged() {
      credentials.generation++;
      waits.interrupt(["backoff", "auth"]);
    },
    async storageLost() {
      const written = await Promise.all([...views.values()].map((entry) => entry.held.storageLost()));
      return written.filter(Boolean).length;
    },
    get stats() {
      return { mode, wanted: wanted.size, devicePublications: index.size };
    },
    close() {
      if (lifetime.signal.aborted) return;
      options.signal?.removeEventListener("abort", onExternalAbort);
      claims.close();
      lifetime.abort();
      for (const entry of views.values()) entry.held.close();
      views.clear();
    },
  };
  const onExternalAbort = () => feed.close();
  if (options.signal?.aborted) feed.close();
  else options.signal?.addEventListener("abort", onExternalAbort, { once: true });
  return feed;
}

/**
 * One view of a held publication. `join` runs with its first listener;
 * `leave` (once) returns whether this was the last view. A view that is not
 * the last unsubscribes only its own listeners.
 */
function openView(
  entry: { readonly held: HeldPublication },
  join: () => void,
  leave: () => boolean,
  feed: DeviceFeed,
): PublicationCache {
  const { held } = entry;
  const own = new Set<() => void>();
  let closed = false;
  const track = (unsubscribe: () => void) => {
    if (closed) {
      unsubscribe();
      return () => undefined;
    }
    own.add(unsubscribe);
    return () => {
      own.delete(unsubscribe);
      unsubscribe();
    };
  };
  return {
    device: held.device,
    id: held.id,
    subscribe(listener: (value: CachedValue) => void) {
      join();
      return track(held.subscribers.subscribe(listener));
    },
    values(signal?: AbortSignal) {
      join();
      return held.subscribers.values(signal);
    },
    watch(listener: (snapshot: CacheSnapshot) => void) {
      join();
      return track(held.subscribers.watch(listener));
    },
    snapshot: () => held.snapshot,
    wake: () => feed.wake(),
    credentialsChanged: () => feed.credentialsChanged(),
    close() {
      if (closed) return;
      closed = true;
      const last = leave();
      if (!last) for (const unsubscribe of [...own]) unsubscribe();
      own.clear();
    },
  };
}
