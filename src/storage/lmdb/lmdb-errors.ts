import { StorageError } from "../../core/storage-error.js";

/** LMDB's own return codes (lmdb.h) that we tell apart. lmdb-js puts them in `error.code`. */
export const MDB_CORRUPTED = -30796;
export const MDB_VERSION_MISMATCH = -30794;
export const MDB_INVALID = -30793;
export const MDB_MAP_FULL = -30792;
export const MDB_DBS_FULL = -30791;
export const MDB_BAD_VALSIZE = -30781;

// errno values (Linux; lmdb-js reports errno as a positive `code`).
const EIO = 5;
const EFBIG = 27;
const ENOSPC = 28;
const EDQUOT = 122;

/**
 * Out of space. lmdb-js grows the map by itself, so MDB_MAP_FULL is rare;
 * what a full disk really gives is EIO: LMDB turns a short write into EIO
 * ("short write, filesystem full?" in mdb.c). Measured here: a full 1 MiB
 * tmpfs and a file-size limit (`ulimit -f`) both failed the commit with EIO.
 * A failing disk gives EIO too; the two cannot be told apart from here, and
 * the cause is kept on the error.
 */
const OUT_OF_SPACE: ReadonlySet<number | string> = new Set([MDB_MAP_FULL, ENOSPC, EDQUOT, EFBIG, EIO, "ENOSPC", "EDQUOT", "EFBIG"]);

/** The `code` lmdb-js or Node's fs put on an error: an LMDB/errno number or an fs string. */
export function errorCode(err: unknown): number | string | undefined {
  const code = typeof err === "object" && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === "number" || typeof code === "string" ? code : undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Why `open` failed: a file that is not LMDB is `corrupt`, anything else `unavailable`. */
export function openFailure(cause: unknown, path: string): StorageError {
  const code = errorCode(cause);
  if (code === MDB_INVALID || code === MDB_VERSION_MISMATCH || code === MDB_CORRUPTED) {
    return new StorageError("corrupt", `${path} is not a usable LMDB database: ${describe(cause)}`, { cause });
  }
  return new StorageError("unavailable", `cannot open LMDB database ${path}: ${describe(cause)}`, { cause });
}

/**
 * Why a write failed. A failed commit rejects with "Commit failed (see
 * commitError for details)" and the real error in a second promise,
 * `commitError`; we await it, which also keeps that promise from being an
 * unhandled rejection.
 */
export async function writeFailure(cause: unknown, what: string): Promise<StorageError> {
  let reason = cause;
  const commitError = typeof cause === "object" && cause !== null ? (cause as { commitError?: unknown }).commitError : undefined;
  if (isThenable(commitError)) {
    try {
      await commitError;
    } catch (detail) {
      reason = detail;
    }
  }
  return classifyWriteError(reason, cause, what);
}

/** The StorageError for the underlying write error `reason` (`cause` is what is kept). */
export function classifyWriteError(reason: unknown, cause: unknown, what: string): StorageError {
  const code = errorCode(reason);
  const detail = describe(reason);
  if (code !== undefined && OUT_OF_SPACE.has(code)) {
    return new StorageError("quota-exceeded", `${what} was not committed, out of disk space or over a file-size limit: ${detail}`, { cause });
  }
  if (code === MDB_DBS_FULL) {
    return new StorageError("quota-exceeded", `${what}: too many scopes open in one LMDB database (raise maxScopes): ${detail}`, { cause });
  }
  if (code === MDB_BAD_VALSIZE) {
    return new StorageError("invalid", `${what}: a key or name LMDB cannot store: ${detail}`, { cause });
  }
  return new StorageError("unavailable", `${what} failed: ${detail}`, { cause });
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}
