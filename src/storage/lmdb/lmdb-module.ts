import type * as Lmdb from "lmdb";
import { StorageError } from "../../core/storage-error.js";

/**
 * lmdb-js, loaded once when this folder is first imported — and not a
 * failure when it is absent. `lmdb` is an optional peer dependency of the
 * package: `pubcache-web/storage/node` also serves the file storage, which
 * needs no native module, so only opening an LMDB database reports a missing
 * (or unloadable) lmdb.
 */
const loaded: { readonly module: typeof Lmdb } | { readonly error: unknown } = await import("lmdb").then(
  (module) => ({ module }),
  (error: unknown) => ({ error }),
);

/** The lmdb-js module; throws `StorageError('unavailable')` when it could not be loaded. */
export function lmdbModule(): typeof Lmdb {
  if ("module" in loaded) return loaded.module;
  const reason = loaded.error instanceof Error ? loaded.error.message : String(loaded.error);
  throw new StorageError("unavailable", `the LMDB storage needs the lmdb package (npm install lmdb@3.5): ${reason}`, { cause: loaded.error });
}
