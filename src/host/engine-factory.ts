import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { DEFAULT_BACKOFF, type BackoffOptions } from "../core/backoff.js";
import type { Clock } from "../core/clock.js";
import { createDeviceFeed, type DeviceFeed, type DeviceFeedOptions } from "../core/feed/device-feed.js";
import type { Logger } from "../core/logger.js";
import type { RandomSource } from "../core/random.js";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import { systemClock } from "../platform/system-clock.js";
import { systemRandom } from "../platform/system-random.js";
import type { EngineTuning } from "../protocol/engine-tuning.js";
import { scopeKeyOf, type RefScope } from "../protocol/publication-ref.js";
import type { PubCacheDatabase } from "../storage/idb/database.js";
import { createIdbStorage } from "../storage/idb/idb-storage.js";
import type { DeviceWatcher, EngineFactory, TokenKeeper } from "./host-types.js";

export interface EngineFactoryOptions {
  readonly db: PubCacheDatabase;
  readonly tokens: TokenKeeper;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly logger?: Logger;
  /** The transport to a server; default gRPC-Web over fetch (tests pass an in-memory one). */
  readonly transportFor?: (server: string, interceptors: Interceptor[]) => Transport;
  /** Finer feed timing (tests). */
  readonly feedTiming?: DeviceFeedOptions["timing"];
}

/** What the factory knows of its feeds and servers, for the rest of the host. */
export interface FeedRegistry {
  /** The running feeds, one per server × device × partition (and engine tuning). */
  feeds(): DeviceFeed[];
  /** Watches a whole device on the feed its engines use (one is started if none runs). */
  watchDevice: DeviceWatcher;
  /** The one client of a server (with its token interceptor): acknowledgements go through it too. */
  clientFor(server: string): Client<typeof PublicationApi>;
}

/**
 * Builds the host's engines on device feeds: one feed — one upstream
 * stream — per server × device × partition, shared by every publication of
 * it that any tab wants; each claimed ref is a view of its feed, and the
 * feed closes with its last view. Each server gets one gRPC-Web client
 * (fetch only: it runs in a worker and in a page) whose interceptor reads
 * the server's token at call time, so a token that arrives later is used by
 * the next call; each feed stores into IndexedDB scoped to its server,
 * device and partition.
 *
 * Feeds are also keyed by the engine tuning a page asked for (tests and
 * demos), so a page's tuning is never silently ignored.
 */
export function createEngineFactory(options: EngineFactoryOptions): EngineFactory & FeedRegistry {
  const clients = new Map<string, Client<typeof PublicationApi>>();
  const clientFor = (server: string) => {
    let client = clients.get(server);
    if (!client) {
      const auth: Interceptor = (next) => (request) => {
        const token = options.tokens.get(server);
        if (token !== undefined) request.header.set("authorization", `Bearer ${token}`);
        return next(request);
      };
      const transport = options.transportFor?.(server, [auth]) ?? createGrpcWebTransport({ baseUrl: server, interceptors: [auth] });
      client = createClient(PublicationApi, transport);
      clients.set(server, client);
    }
    return client;
  };
  const feeds = new Map<string, { readonly scopeKey: string; readonly feed: DeviceFeed; views: number }>();
  const release = (key: string, entry: { readonly feed: DeviceFeed; views: number }) => {
    entry.views--;
    if (entry.views === 0 && feeds.get(key) === entry) {
      feeds.delete(key);
      entry.feed.close();
    }
  };

  const feedFor = (ref: RefScope, tuning: EngineTuning | undefined) => {
    const key = JSON.stringify([scopeKeyOf(ref), tuning ?? null]);
    let entry = feeds.get(key);
    if (!entry) {
      const backoff = backoffOf(tuning);
      const feed = createDeviceFeed({
        client: clientFor(ref.server),
        device: ref.device,
        storage: createIdbStorage(options.db, ref),
        clock: options.clock ?? systemClock,
        random: options.random ?? systemRandom,
        ...(options.logger && { logger: options.logger }),
        ...(backoff && { backoff }),
        ...(tuning?.pollIntervalMs !== undefined && { pollIntervalMs: tuning.pollIntervalMs }),
        ...(options.feedTiming && { timing: options.feedTiming }),
      });
      entry = { scopeKey: scopeKeyOf(ref), feed, views: 0 };
      feeds.set(key, entry);
    }
    entry.views++;
    return { key, entry };
  };

  const factory: EngineFactory = (ref, tuning) => {
    const { key, entry: own } = feedFor(ref, tuning);
    const view = own.feed.open(ref.id);
    let closed = false;
    return {
      watch: (callback) => view.watch(callback),
      wake: () => view.wake(),
      credentialsChanged: () => view.credentialsChanged(),
      close() {
        if (closed) return;
        closed = true;
        view.close();
        release(key, own);
      },
    };
  };
  const watchDevice: DeviceWatcher = (scope, tuning, listener) => {
    // The feed the screens of this scope use (the same key: scope and tuning), or a new one.
    const { key, entry } = feedFor(scope, tuning);
    const stop = entry.feed.watchDevice(listener);
    let stopped = false;
    return () => {
      if (stopped) return;
      stopped = true;
      stop();
      release(key, entry);
    };
  };
  return Object.assign(factory, { feeds: () => [...feeds.values()].map((entry) => entry.feed), watchDevice, clientFor });
}

/**
 * Backoff bounds from page tuning, made consistent: the core rejects
 * min > max, and a page may give only one of the two.
 */
function backoffOf(tuning: EngineTuning | undefined): BackoffOptions | undefined {
  if (tuning?.backoffMinMs === undefined && tuning?.backoffMaxMs === undefined) return undefined;
  const minMs = tuning.backoffMinMs ?? Math.min(DEFAULT_BACKOFF.minMs, tuning.backoffMaxMs ?? DEFAULT_BACKOFF.minMs);
  const maxMs = Math.max(minMs, tuning.backoffMaxMs ?? DEFAULT_BACKOFF.maxMs);
  return { minMs, maxMs };
}
