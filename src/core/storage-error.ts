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

/**
 * The one error a {@link PublicationStorage} rejects with: `code` says why
 * (a closed set), `message` says what, `cause` keeps the platform's error.
 * A storage of your own throws these too, so the engine can tell a first
 * start (`not-found`) from a broken store.
 */
export class StorageError extends Error {
  /** Always `"StorageError"`. */
  override readonly name = "StorageError";
  constructor(
    /** Why the operation failed. */
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
