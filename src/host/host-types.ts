import type { DeviceFeed } from "../core/feed/device-feed.js";
import type { EngineTuning } from "../protocol/engine-tuning.js";
import type { PublicationRef, RefScope } from "../protocol/publication-ref.js";

/**
 * The part of a device feed the host drives: claims, the one listener,
 * whole-device watches, wake-ups and credentials. The core's `DeviceFeed`
 * is one; tests pass small fakes.
 */
export type HostedFeed = Pick<DeviceFeed, "want" | "unwant" | "listen" | "watchDevice" | "wake" | "credentialsChanged" | "storageLost" | "close">;

/** Builds the feed of one server × device × partition. `tuning` is `undefined` for the defaults. */
export type FeedFactory = (scope: RefScope, tuning: EngineTuning | undefined) => HostedFeed;

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
