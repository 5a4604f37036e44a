/**
 * Why a storage operation failed. A closed set, so callers can switch on it.
 *
 * - `not-found`: no value for that id (normal on a first start).
 * - `invalid`: the caller passed something unstorable (e.g. an empty id).
 * - `corrupt`: a stored record could not be decoded or names another id.
 * - `quota-exceeded`: the browser or disk refused the write for lack of space.
 * - `blocked`: a database upgrade waits for another tab to close the old version.
 * - `timeout`: a write never completed (seen on iOS when the quota is hit).
 * - `unavailable`: the backing store cannot be opened or used at all.
 */
export type StorageErrorCode =
  | "not-found"
  | "invalid"
  | "corrupt"
  | "quota-exceeded"
  | "blocked"
  | "timeout"
  | "unavailable";

export class StorageError extends Error {
  override readonly name = "StorageError";
  constructor(
    readonly code: StorageErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  /** True when `err` is a StorageError with the given code. */
  static is(err: unknown, code?: StorageErrorCode): err is StorageError {
    return err instanceof StorageError && (code === undefined || err.code === code);
  }
}
