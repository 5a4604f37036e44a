import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { DEFAULT_BACKOFF, type BackoffOptions } from "../core/backoff.js";
import type { Clock } from "../core/clock.js";
import { createDeviceFeed, type DeviceFeedOptions } from "../core/feed/device-feed.js";
import type { Logger } from "../core/logger.js";
import type { RandomSource } from "../core/random.js";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import { systemClock } from "../platform/system-clock.js";
import { systemRandom } from "../platform/system-random.js";
import type { EngineTuning } from "../protocol/engine-tuning.js";
import type { PubCacheDatabase } from "../storage/idb/database.js";
import { createIdbStorage } from "../storage/idb/idb-storage.js";
import type { FeedFactory, TokenKeeper } from "./host-types.js";

export interface FeedFactoryOptions {
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

/**
 * Builds the host's device feeds. Each server gets one gRPC-Web client
 * (fetch only: it runs in a worker and in a page) whose interceptor reads
 * the server's token at call time, so a token that arrives later is used by
 * the next call; each feed stores into IndexedDB scoped to its server,
 * device and partition. How many feeds run, and for whom, is the pool's
 * business (`feed-pool.ts`).
 */
export function createFeedFactory(options: FeedFactoryOptions): FeedFactory & { clientFor(server: string): Client<typeof PublicationApi> } {
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
  const factory: FeedFactory = (scope, tuning) => {
    const backoff = backoffOf(tuning);
    return createDeviceFeed({
      client: clientFor(scope.server),
      device: scope.device,
      storage: createIdbStorage(options.db, scope),
      clock: options.clock ?? systemClock,
      random: options.random ?? systemRandom,
      ...(options.logger && { logger: options.logger }),
      ...(backoff && { backoff }),
      ...(tuning?.pollIntervalMs !== undefined && { pollIntervalMs: tuning.pollIntervalMs }),
      ...(options.feedTiming && { timing: options.feedTiming }),
    });
  };
  return Object.assign(factory, { clientFor });
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
