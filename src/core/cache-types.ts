import type { ConnectError } from "@connectrpc/connect";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import type { CacheErrorCode } from "./cache-error-code.js";

/** Where a value came from. */
export type ValueSource = "storage" | "stream" | "poll";

/** A publication as a cache holds it, with what we know of its freshness. */
export interface CachedValue {
  /** The publication itself; treat it as read-only (it may be shared with other subscribers). */
  readonly publication: Publication;
  /** Where it came from: `storage` (loaded at start), `stream` or `poll` (from the server). */
  readonly source: ValueSource;
  /** When this value reached us (clock ms). For `storage` values: when it was loaded. */
  readonly receivedAt: number;
  /**
   * The last time the server vouched for this value (clock ms): it sent it,
   * or a check found the same version. `undefined` for a value loaded from
   * storage that the server has not confirmed since.
   */
  readonly lastConfirmedAt: number | undefined;
}

/**
 * What the cache is doing about keeping its value fresh.
 * - `connecting`: first attempt (or an attempt after a wake-up) under way.
 * - `live`: a PullPublication stream is open and has answered.
 * - `polling`: the server does not stream (UNIMPLEMENTED); GetPublication every poll interval.
 * - `retrying`: the last attempt failed; the next one starts at `nextAttemptAt`.
 * - `needs-auth`: the server said UNAUTHENTICATED / PERMISSION_DENIED; waiting for new credentials.
 * - `removed`: the server confirmed the publication no longer exists; the last value is kept.
 * - `closed`: the cache was closed; nothing runs any more.
 */
export type CacheState =
  | { readonly kind: "connecting" }
  | { readonly kind: "live" }
  | { readonly kind: "polling" }
  | { readonly kind: "retrying"; readonly nextAttemptAt: number; readonly lastError: CacheError }
  | { readonly kind: "needs-auth"; readonly lastError: CacheError }
  | { readonly kind: "removed" }
  | { readonly kind: "closed" };

/** The `kind` of a {@link CacheState}: `connecting`, `live`, `polling`, `retrying`, `needs-auth`, `removed` or `closed`. */
export type CacheStateKind = CacheState["kind"];

/** An error as the cache reports it: serialisable, no stack, no credentials. */
export interface CacheError {
  /**
   * The Connect code name in gRPC spelling (e.g. "unavailable", "permission_denied")
   * or a cache code: "invalid-publication", "stream-ended", "stream-stalled", or
   * "storage-" plus a StorageError code (e.g. "storage-quota-exceeded"). A closed set.
   */
  readonly code: CacheErrorCode;
  /** What happened, for logs and diagnostics (never credentials). */
  readonly message: string;
  /** When it happened (clock ms). */
  readonly at: number;
}

/** What a subscriber sees: the latest value (if any) and the current state. */
export interface CacheSnapshot {
  /** The latest value, or `undefined` before there is one (nothing stored, nothing received yet). */
  readonly value: CachedValue | undefined;
  /** What the cache is doing about keeping `value` fresh. */
  readonly state: CacheState;
  /**
   * The latest problem the state does not show: a publication from the server
   * that was rejected (empty or wrong id), or a storage failure (load, corrupt
   * record, refused write). Absent once the server has since delivered or
   * confirmed a value. Connection errors are in `state` (`retrying`, `needs-auth`).
   */
  readonly lastError?: CacheError;
}

export type { ConnectError, CacheErrorCode };
