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
import { contactInterceptor } from "./contact-interceptor.js";
import type { ServerContactLog } from "./server-contact-log.js";
import { fixedPath, probeAnswerOf, ServicePathChooser, servicePathInterceptor, type ServicePath } from "./service-path.js";

/** A path probe that hangs (a server that accepts and never answers) must not hold the first call for long. */
const PROBE_TIMEOUT_MS = 10_000;

export interface FeedFactoryOptions {
  readonly db: PubCacheDatabase;
  readonly tokens: TokenKeeper;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly logger?: Logger;
  /** The transport to a server; default gRPC-Web over fetch (tests pass an in-memory one). */
  readonly transportFor?: (server: string, interceptors: Interceptor[]) => Transport;
  /** Told of every answer from a server and every loss of it (see contact-interceptor.ts). */
  readonly contacts?: ServerContactLog;
  /** Finer feed timing (tests). */
  readonly feedTiming?: DeviceFeedOptions["timing"];
}

/**
 * Builds the host's device feeds. Each server gets one gRPC-Web client
 * (fetch only: it runs in a worker and in a page) whose interceptor reads
 * the server's token at call time, so a token that arrives later is used by
 * the next call; each feed stores into IndexedDB scoped to its server,
 * device and partition. How many feeds run, and for whom, is the pool's
 * business (`feed-pool.ts`). Calls go on the service path the server
 * answers (`smartcore.bos.publication.v1` or `smartcore.traits`), found by
 * one probe per server and re-probed every 30 minutes (`service-path.ts`).
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
      const heard: Interceptor[] = options.contacts ? [contactInterceptor(server, options.contacts, options.clock ?? systemClock)] : [];
      const transportWith = (interceptors: Interceptor[]) =>
        options.transportFor?.(server, interceptors) ?? createGrpcWebTransport({ baseUrl: server, interceptors });
      const probe = async (path: ServicePath) => {
        try {
          await createClient(PublicationApi, transportWith([...heard, auth, fixedPath(path)])).listPublications({ pageSize: 1 }, { timeoutMs: PROBE_TIMEOUT_MS });
          return probeAnswerOf(undefined);
        } catch (error) {
          return probeAnswerOf(error);
        }
      };
      const paths = new ServicePathChooser(probe, options.clock ?? systemClock, options.logger);
      client = createClient(PublicationApi, transportWith([...heard, auth, servicePathInterceptor(paths)]));
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
