import { scopeKey, type StorageScope } from "../storage-scope.js";
import { StorageError } from "../../core/storage-error.js";

/** What every scope's sub-database name starts with; other names in the file are not ours. */
export const SCOPE_NAME_PREFIX = "scope:";

/**
 * The longest sub-database name LMDB accepts, in UTF-8 bytes. A name is a key
 * of LMDB's main database; lmdb-js 3.5 limits keys to 1978 bytes, and
 * `openDB` answered MDB_BAD_VALSIZE from 1978 bytes up (measured: 1977 opens).
 */
export const MAX_SCOPE_NAME_BYTES = 1977;

/**
 * The name of the LMDB sub-database (the "Bolt bucket") holding `scope`'s
 * records: {@link SCOPE_NAME_PREFIX} followed by the IndexedDB storage's
 * {@link scopeKey}, e.g. `scope:["https://bms.example","site/floor-3"]`.
 *
 * Why this and not a hash: the scope key is already unambiguous (a JSON
 * array, so no two scopes share one), the name reads back into the scope (so
 * `listScopes` needs no side table that could disagree with the file), and it
 * suits LMDB: lmdb-js passes names as C strings, and JSON escapes every
 * control character (NUL included) and every lone surrogate, so the name is
 * NUL-free, well-formed UTF-8. The price is a length limit: a scope whose
 * name exceeds {@link MAX_SCOPE_NAME_BYTES} is rejected with
 * `StorageError('invalid')`; real scopes (a URL, a device name, a user id)
 * are a few hundred bytes at most.
 */
export function scopeDatabaseName(scope: StorageScope): string {
  const name = SCOPE_NAME_PREFIX + scopeKey(scope);
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > MAX_SCOPE_NAME_BYTES) {
    throw new StorageError(
      "invalid",
      `scope too long for an LMDB sub-database name: ${bytes} bytes, at most ${MAX_SCOPE_NAME_BYTES}`,
    );
  }
  return name;
}

/** The scope a sub-database name was made from, or undefined for a name that is not a scope's. */
export function scopeFromDatabaseName(name: string): StorageScope | undefined {
  if (!name.startsWith(SCOPE_NAME_PREFIX)) return undefined;
  let parts: unknown;
  try {
    parts = JSON.parse(name.slice(SCOPE_NAME_PREFIX.length));
  } catch {
    return undefined;
  }
  if (!Array.isArray(parts) || parts.length < 2 || parts.length > 3) return undefined;
  if (!parts.every((part): part is string => typeof part === "string")) return undefined;
  const [server, device, partition] = parts as [string, string, string?];
  const scope: StorageScope = partition === undefined ? { server, device } : { server, device, partition };
  // Only names this module writes: the canonical form (no empty partition, no stray spaces).
  return scopeKey(scope) === name.slice(SCOPE_NAME_PREFIX.length) ? scope : undefined;
}
