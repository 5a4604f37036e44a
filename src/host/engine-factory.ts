import { createClient, type Client, type Interceptor } from "@connectrpc/connect";
import { createGrpcWebTransport } from "@connectrpc/connect-web";
import { DEFAULT_BACKOFF, type BackoffOptions } from "../core/backoff.js";
import type { Clock } from "../core/clock.js";
import type { Logger } from "../core/logger.js";
import { createPublicationCache } from "../core/publication-cache.js";
import type { RandomSource } from "../core/random.js";
import { systemClock } from "../platform/system-clock.js";
import { systemRandom } from "../platform/system-random.js";
import { PublicationApi } from "../gen/smartcore/traits/publication_pb.js";
import type { PubCacheDatabase } from "../storage/idb/database.js";
import { createIdbStorage } from "../storage/idb/idb-storage.js";
import type { EngineTuning } from "../protocol/engine-tuning.js";
import type { EngineFactory, TokenKeeper } from "./host-types.js";

export interface EngineFactoryOptions {
  readonly db: PubCacheDatabase;
  readonly tokens: TokenKeeper;
  readonly clock?: Clock;
  readonly random?: RandomSource;
  readonly logger?: Logger;
}

/**
 * Builds real engines: a gRPC-Web client per server (fetch only, so it runs
 * in a worker and in a page) whose interceptor reads the server's token at
 * call time — a token that arrives later is used by the next attempt — and an
 * IndexedDB storage scoped to (server, device, partition).
 */
export function createEngineFactory(options: EngineFactoryOptions): EngineFactory {
  const clients = new Map<string, Client<typeof PublicationApi>>();
  const clientFor = (server: string) => {
    let client = clients.get(server);
    if (!client) {
      const auth: Interceptor = (next) => (request) => {
        const token = options.tokens.get(server);
        if (token !== undefined) request.header.set("authorization", `Bearer ${token}`);
        return next(request);
      };
      client = createClient(PublicationApi, createGrpcWebTransport({ baseUrl: server, interceptors: [auth] }));
      clients.set(server, client);
    }
    return client;
  };

  return (ref, tuning) =>
    createPublicationCache({
      client: clientFor(ref.server),
      device: ref.device,
      id: ref.id,
      storage: createIdbStorage(options.db, ref),
      clock: options.clock ?? systemClock,
      random: options.random ?? systemRandom,
      ...(options.logger && { logger: options.logger }),
      ...(backoffOf(tuning) && { backoff: backoffOf(tuning) }),
      ...(tuning?.pollIntervalMs !== undefined && { pollIntervalMs: tuning.pollIntervalMs }),
    });
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
