import { StorageError } from "../../core/storage-error.js";

/** The DOMException name of `err`, if it has one (DOMException or look-alike). */
export function errorName(err: unknown): string | undefined {
  if (typeof err !== "object" || err === null) return undefined;
  const name = (err as { name?: unknown }).name;
  return typeof name === "string" ? name : undefined;
}

function errorMessage(err: unknown): string {
  if (typeof err === "object" && err !== null) {
    const message = (err as { message?: unknown }).message;
    if (typeof message === "string") return message;
  }
  return String(err);
}

/**
 * Whether `err` says the connection itself is gone rather than the request
 * being wrong: Chromium throws InvalidStateError ("The database connection
 * is closing") from `transaction()` on a closed connection; Safari drops
 * backgrounded pages' connections with UnknownError ("Connection to Indexed
 * Database server lost"). Both heal by reopening.
 */
export function isConnectionLost(err: unknown): boolean {
  const name = errorName(err);
  if (name === "InvalidStateError") return true;
  return name === "UnknownError" && /connection|closing|lost/i.test(errorMessage(err));
}

/**
 * The typed error for an IndexedDB failure. StorageErrors pass through;
 * QuotaExceededError becomes `quota-exceeded`; everything else `unavailable`.
 */
export function toStorageError(err: unknown, context: string): StorageError {
  if (err instanceof StorageError) return err;
  const name = errorName(err);
  if (name === "QuotaExceededError") {
    return new StorageError("quota-exceeded", `${context}: storage quota exceeded`, { cause: err });
  }
  if (name === "VersionError") {
    return new StorageError(
      "unavailable",
      `${context}: the database has a newer version than this app knows (another tab runs a newer app)`,
      { cause: err },
    );
  }
  return new StorageError("unavailable", `${context}: ${name ?? "error"}: ${errorMessage(err)}`, { cause: err });
}
