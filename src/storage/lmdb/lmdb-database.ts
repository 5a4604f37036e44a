import type { StorageScope } from "../storage-scope.js";
import { StorageError } from "../../core/storage-error.js";
import { attachEnvironment, LmdbEnvironment } from "./lmdb-environment.js";
import { scopeFromDatabaseName } from "./scope-database-name.js";

export interface LmdbDatabaseOptions {
  /**
   * The database file. LMDB keeps a lock file beside it (`<path>-lock`);
   * missing parent directories are created.
   */
  readonly path: string;
  /**
   * How many scopes may be used through this database in one process: each
   * is an LMDB named database, and LMDB sizes its table of them when the file
   * is opened (`maxDbs`). Using one more rejects with
   * `StorageError('quota-exceeded')`. Default 64.
   */
  readonly maxScopes?: number;
  /**
   * The initial size of the memory map, in bytes. Not a limit: lmdb-js grows
   * the map whenever a write needs more room. Default lmdb-js's (128 KiB).
   */
  readonly mapSize?: number;
}

/**
 * One LMDB database file, shared by the storages of every scope
 * ({@link createLmdbStorage}): one environment, one write queue. Open one per
 * file and pass it around; close it when the process is done with it.
 */
export interface LmdbDatabase {
  /** The database file. */
  readonly path: string;
  /** Every scope that has a sub-database in the file, in no particular order. */
  listScopes(): Promise<StorageScope[]>;
  /**
   * Waits for the writes already started to commit, then closes the file.
   * Afterwards every operation of every storage on it rejects with
   * `StorageError('unavailable')`. Calling it again resolves to the same.
   */
  close(): Promise<void>;
}

/** The default of {@link LmdbDatabaseOptions.maxScopes}. */
export const DEFAULT_MAX_SCOPES = 64;

/**
 * Opens (creating if needed) the LMDB database file at `options.path`, at
 * once and synchronously, as lmdb-js does.
 *
 * Throws `StorageError('unavailable')` when the file cannot be opened (a
 * path under a regular file, a directory, a read-only location), and
 * `StorageError('corrupt')` when the file exists but is not an LMDB database
 * (checked before lmdb-js sees it, which would crash the process).
 */
export function openLmdbDatabase(options: LmdbDatabaseOptions): LmdbDatabase {
  const maxScopes = options.maxScopes ?? DEFAULT_MAX_SCOPES;
  if (!Number.isInteger(maxScopes) || maxScopes < 1) {
    throw new StorageError("invalid", `maxScopes must be a positive integer, got ${maxScopes}`);
  }
  if (options.path === "") throw new StorageError("invalid", "an LMDB database needs a file path");
  const environment = new LmdbEnvironment({ path: options.path, maxScopes, mapSize: options.mapSize });
  const database: LmdbDatabase = {
    path: environment.path,
    async listScopes() {
      const scopes: StorageScope[] = [];
      for (const name of environment.databaseNames()) {
        const scope = scopeFromDatabaseName(name);
        if (scope !== undefined) scopes.push(scope);
      }
      return scopes;
    },
    close: () => environment.close(),
  };
  return attachEnvironment(database, environment);
}
