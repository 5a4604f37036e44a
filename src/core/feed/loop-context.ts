import type { Client } from "@connectrpc/connect";
import type { Publication, PublicationApi } from "../../gen/smartcore/traits/publication_pb.js";
import type { CacheModel } from "../cache-model.js";
import type { Clock } from "../clock.js";
import type { InterruptibleWaits } from "../interruptible-waits.js";
import type { Logger } from "../logger.js";

/** What the parts of the update loop (stream, liveness check, polling) share. */
export interface LoopContext {
  readonly client: Client<typeof PublicationApi>;
  readonly device: string;
  readonly id: string;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly pollIntervalMs: number;
  readonly model: CacheModel;
  readonly waits: InterruptibleWaits;
  /** Aborts when the cache closes. */
  readonly signal: AbortSignal;
  /** Validates, commits and stores a publication from the server; `false` when it was rejected. */
  accept(publication: Publication | undefined, source: "stream" | "poll"): boolean;
  /**
   * Set by a device feed: PullPublication answered UNIMPLEMENTED, and the
   * feed (which aborts this loop) polls the whole device instead of this
   * loop polling one publication. Unset: the loop polls GetPublication.
   */
  readonly onPullUnimplemented?: () => void;
}

/** What one attempt achieved so far; `delivered` resets the backoff before the next wait. */
export interface AttemptProgress {
  /** The server delivered an accepted value or confirmed the held one. */
  delivered: boolean;
}

/**
 * How an attempt ended:
 * - `restart`: a liveness check found another version; reconnect at once.
 * - `removed`: the server confirmed the publication does not exist.
 * - `stream-ended`: the stream ended with OK but the publication still exists.
 * - `failed`: a call failed with `error`.
 */
export type AttemptEnd =
  | { readonly kind: "restart" }
  | { readonly kind: "removed" }
  | { readonly kind: "stream-ended" }
  | { readonly kind: "failed"; readonly error: unknown };
