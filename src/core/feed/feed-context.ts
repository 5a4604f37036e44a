import type { Client } from "@connectrpc/connect";
import type { PublicationApi } from "../../gen/smartcore/traits/publication_pb.js";
import type { Clock } from "../clock.js";
import type { InterruptibleWaits } from "../interruptible-waits.js";
import type { Logger } from "../logger.js";
import type { RandomSource } from "../random.js";
import type { DeviceIndex } from "./device-index.js";
import type { PollCosts } from "./poll-costs.js";
import type { StreamShape } from "./stream-shape.js";
import type { WantedPublications } from "./wanted-publications.js";

/** The timing of a device feed; every field has a default (see `createDeviceFeed`). */
export interface FeedTiming {
  /** Polling period of a server that streams nothing (each wait jittered, see poll-schedule.ts). */
  readonly pollIntervalMs: number;
  /** How long a stream may be quiet before it is checked (one listing of ids and versions). */
  readonly quietCheckMs: number;
  /** After the opening changes stop for this long, the snapshot counts as complete. */
  readonly settleMs: number;
  /** A stream with nothing to say after this long is checked: is it stuck, or is the device empty? */
  readonly openTimeoutMs: number;
  /** Every unary call gives up after this long (a call queued behind the browser's connections included). */
  readonly callTimeoutMs: number;
  /** How long a server's UNIMPLEMENTED is believed before the better way is tried again. */
  readonly reprobeMs: number;
}

/** What every attempt of a device feed shares. */
export interface FeedContext {
  readonly client: Client<typeof PublicationApi>;
  readonly device: string;
  readonly clock: Clock;
  /** For the jitter of polls. */
  readonly random: RandomSource;
  readonly logger: Logger;
  readonly waits: InterruptibleWaits;
  /** Aborts when the feed closes. */
  readonly signal: AbortSignal;
  readonly timing: FeedTiming;
  readonly index: DeviceIndex;
  readonly wanted: WantedPublications;
  /** Whether the device stream carries bodies (decided from the device's size). */
  readonly shape: StreamShape;
  /** What polling measured of this server (read masks, bytes per way), across attempts. */
  readonly pollCosts: PollCosts;
}

/** What one attempt achieved; `delivered` resets the backoff before the next wait. */
export interface FeedProgress {
  delivered: boolean;
}

/**
 * How an attempt of a feed ended:
 * - `unimplemented`: the server does not offer this way; the next one is tried at once.
 * - `reprobe`: time to try a better way again (the server may have been upgraded).
 * - `restart`: the stream missed something; reconnect at once.
 * - `idle`: nobody wants anything; wait until someone does.
 * - `failed`: a call failed with `error`.
 */
export type FeedAttemptEnd =
  | { readonly kind: "unimplemented" }
  | { readonly kind: "reprobe" }
  | { readonly kind: "restart" }
  | { readonly kind: "idle" }
  | { readonly kind: "failed"; readonly error: unknown };
