import type { StorageErrorCode } from "./storage-error.js";

/** Connect's codes in gRPC spelling, lower case: what a failed call reports. */
export type ConnectCodeName =
  | "canceled"
  | "unknown"
  | "invalid_argument"
  | "deadline_exceeded"
  | "not_found"
  | "already_exists"
  | "permission_denied"
  | "resource_exhausted"
  | "failed_precondition"
  | "aborted"
  | "out_of_range"
  | "unimplemented"
  | "internal"
  | "unavailable"
  | "data_loss"
  | "unauthenticated";

/**
 * Problems the cache names itself, beside a failed call:
 * - `invalid-publication`: the server sent a publication that cannot be
 *   this one (empty or foreign id): not stored, not shown;
 * - `stream-ended`: the server ended a stream with OK although the
 *   publication still exists;
 * - `stream-stalled`: a stream did not deliver its opening data although
 *   the server holds publications (queued behind the browser's
 *   connections, or stuck).
 */
export type CacheOwnCode = "invalid-publication" | "stream-ended" | "stream-stalled";

/**
 * Every code a {@link CacheError} can carry: a closed set, so code that
 * switches on it is checked by the compiler, and a message crossing into a
 * page is validated against it.
 */
export type CacheErrorCode = ConnectCodeName | CacheOwnCode | `storage-${StorageErrorCode}`;

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
] as const satisfies readonly ConnectCodeName[];

export const CACHE_OWN_CODES = ["invalid-publication", "stream-ended", "stream-stalled"] as const satisfies readonly CacheOwnCode[];

const STORAGE_CODES = ["not-found", "invalid", "corrupt", "quota-exceeded", "blocked", "timeout", "unavailable"] as const satisfies readonly StorageErrorCode[];

/** Every {@link CacheErrorCode}, for validating what crosses a boundary. */
export const CACHE_ERROR_CODES: readonly CacheErrorCode[] = [
  ...CONNECT_CODE_NAMES,
  ...CACHE_OWN_CODES,
  ...STORAGE_CODES.map((code) => `storage-${code}` as const),
];

// The lists above name every code of the unions (the compiler checks it here).
type Missing<Union, List extends readonly unknown[]> = Exclude<Union, List[number]>;
const complete: [Missing<ConnectCodeName, typeof CONNECT_CODE_NAMES>, Missing<CacheOwnCode, typeof CACHE_OWN_CODES>, Missing<StorageErrorCode, typeof STORAGE_CODES>] extends [never, never, never]
  ? true
  : never = true;
void complete;
