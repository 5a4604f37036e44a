import type { CacheSnapshot } from "../core/cache-types.js";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import type { EngineTuning } from "../protocol/engine-tuning.js";
import type { PublicationRef, RefScope } from "../protocol/publication-ref.js";

/**
 * The part of a publication cache engine the host drives. The core's
 * `PublicationCache` satisfies it; tests pass small fakes.
 */
export interface HostedEngine {
  /** Current snapshot first, then every change. Returns the function that stops watching. */
  watch(callback: (snapshot: CacheSnapshot) => void): () => void;
  /** The network is back (or a page became visible): end the current backoff wait now. */
  wake(): void;
  /** New credentials are available: leave `needs-auth` and try again. */
  credentialsChanged(): void;
  /** Stops all work; the stored value stays. */
  close(): void | Promise<void>;
}

/** Builds the engine for one ref. `tuning` is `undefined` for engine defaults. */
export type EngineFactory = (ref: PublicationRef, tuning: EngineTuning | undefined) => HostedEngine;

/**
 * Watches every publication of one server × device (metadata, no bodies),
 * on the same feed the engines of that scope use. Returns the function that
 * stops watching.
 */
export type DeviceWatcher = (
  scope: RefScope,
  tuning: EngineTuning | undefined,
  listener: (publications: readonly Publication[]) => void,
) => () => void;

/**
 * Where the host remembers which refs pages need, so a restarted worker (or a
 * newly elected leader tab) resumes them before any page speaks. Tokens are
 * never part of it.
 */
export interface SubscriptionRegistry {
  put(ref: PublicationRef): Promise<void>;
  remove(ref: PublicationRef): Promise<void>;
  list(): Promise<PublicationRef[]>;
  clearScope(scope: RefScope): Promise<void>;
}

/** Tokens per server, in memory only (never persisted, never logged). */
export interface TokenKeeper {
  get(server: string): string | undefined;
  set(server: string, token: string): void;
  delete(server: string): void;
}

/** A {@link TokenKeeper} over a Map that lives as long as the host. */
export function memoryTokenKeeper(): TokenKeeper {
  const tokens = new Map<string, string>();
  return {
    get: (server) => tokens.get(server),
    set: (server, token) => void tokens.set(server, token),
    delete: (server) => void tokens.delete(server),
  };
}
