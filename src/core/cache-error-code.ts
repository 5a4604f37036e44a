import type { StorageErrorCode } from "./storage-error.js";

/** Connect's codes in gRPC spelling, lower case: what a failed call reports. */
export const CONNECT_CODE_NAMES = [
  "canceled",
  "unknown",
  "invalid_argument",
  "deadline_exceeded",
  "not_found",
  "already_exists",
  "permission_denied",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "internal",
  "unavailable",
  "data_loss",
  "unauthenticated",
] as const;

/** Problems the cache names itself, beside a failed call. */
export const CACHE_OWN_CODES = [
  /** The server sent a publication that cannot be this one (empty or foreign id): not stored, not shown. */
  "invalid-publication",
  /** The server ended a stream with OK although the publication still exists. */
  "stream-ended",
  /** A stream did not deliver its opening data although the server holds publications (queued, or stuck). */
  "stream-stalled",
] as const;

const STORAGE_CODES = ["not-found", "invalid", "corrupt", "quota-exceeded", "blocked", "timeout", "unavailable"] as const satisfies readonly StorageErrorCode[];

/** `storage-` plus a {@link StorageErrorCode}: a storage operation failed (the value in memory stays). */
export const STORAGE_CACHE_CODES = STORAGE_CODES.map((code) => `storage-${code}` as const);

/**
 * Every code a {@link CacheError} can carry: a closed set, so code that
 * switches on it is checked by the compiler, and a message crossing into a
 * page is validated against it.
 */
export type CacheErrorCode =
  | (typeof CONNECT_CODE_NAMES)[number]
  | (typeof CACHE_OWN_CODES)[number]
  | `storage-${StorageErrorCode}`;

export const CACHE_ERROR_CODES: readonly CacheErrorCode[] = [...CONNECT_CODE_NAMES, ...CACHE_OWN_CODES, ...STORAGE_CACHE_CODES];
