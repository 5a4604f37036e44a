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

/**
 * Keeps the latest value of one publication (one server × device × id) in
 * step with the server, through outages, restarts and servers that cannot
 * stream. Background work starts with the first `subscribe`, `values` or
 * `watch`, and stops only on `close()` or when the `signal` option aborts —
 * not when listeners drop to zero (the host decides that).
 */
export interface PublicationCache {
  readonly device: string;
  readonly id: string;
  /**
   * Calls `listener` with the current value (if any), then with every new
   * value. A listener never gets the same value twice in a row; changes within
   * one tick are coalesced to the latest. Delivery is asynchronous (a
   * microtask). Returns the unsubscribe function.
   */
  subscribe(listener: (value: CachedValue) => void): () => void;
  /**
   * The values as an async iterable: the current one first (or the first to
   * arrive), then updates; a slow consumer skips intermediates and always
   * gets the latest. Ends when `signal` aborts or the cache closes.
   */
  values(signal?: AbortSignal): AsyncIterable<CachedValue>;
  /**
   * Calls `listener` with the current snapshot, then on every change of value,
   * state, `lastConfirmedAt` or `lastError` (coalesced per tick). The `closed`
   * snapshot is delivered at once by `close()`. Returns the unsubscribe function.
   */
  watch(listener: (snapshot: CacheSnapshot) => void): () => void;
  /** The current snapshot. */
  snapshot(): CacheSnapshot;
  /**
   * The network is back or the page became visible: end the current backoff
   * wait (and a poll or quiet-stream wait) so the next call happens now.
   */
  wake(): void;
  /** New credentials are available: leave `needs-auth` (or a backoff wait) and retry at once. */
  credentialsChanged(): void;
  /** Stops all work at once: no timer, stream or listener remains. Idempotent. */
  close(): void;
}
