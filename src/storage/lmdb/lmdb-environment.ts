import type { Database, RootDatabase } from "lmdb";
import { StorageError } from "../../core/storage-error.js";
import { checkLmdbFile } from "./lmdb-file-check.js";
import { classifyWriteError, openFailure, writeFailure } from "./lmdb-errors.js";
import { lmdbModule } from "./lmdb-module.js";

/** Records of one scope: string keys (the ids), binary values (the protobuf). */
export type ScopeRecords = Database<Uint8Array, string>;

export interface LmdbEnvironmentOptions {
  readonly path: string;
  readonly maxScopes: number;
  readonly mapSize?: number | undefined;
}

/**
 * One open LMDB environment (one file) and the sub-databases opened in it.
 * Internal: consumers see it as an {@link LmdbDatabase}; the storages of
 * every scope share one instance, hence one environment, one write queue and
 * one commit order.
 */
export class LmdbEnvironment {
  readonly path: string;
  readonly #root: RootDatabase<Uint8Array, string>;
  readonly #scopes = new Map<string, ScopeRecords>();
  #closing: Promise<void> | undefined;

  constructor(options: LmdbEnvironmentOptions) {
    this.path = options.path;
    checkLmdbFile(options.path);
    const { open } = lmdbModule();
    try {
      this.#root = open<Uint8Array, string>({
        path: options.path,
        // `path` is the database file itself (plus `<path>-lock`), never a directory.
        noSubdir: true,
        encoding: "binary",
        // One named sub-database per scope, plus none in the root.
        maxDbs: options.maxScopes,
        ...(options.mapSize === undefined ? {} : { mapSize: options.mapSize }),
        // Durability: LMDB's classic synchronous commit. With lmdb-js's
        // default overlappingSync, `put` resolves once the commit is visible
        // and the fsync follows later; without it the commit fsyncs before
        // it returns, so a resolved store survives a crash or power loss.
        overlappingSync: false,
        // With event-turn batching, lmdb-js 3.5.6 opens each batch with an
        // internal write whose promise nobody holds: a failed commit (a full
        // disk) then becomes an unhandled rejection, which ends a Node
        // process. Without it every write's promise is ours to handle.
        eventTurnBatching: false,
      });
    } catch (cause) {
      throw openFailure(cause, options.path);
    }
  }

  /** Rejects every use after `close`. */
  assertOpen(): void {
    if (this.#closing !== undefined) {
      throw new StorageError("unavailable", `LMDB database ${this.path} is closed`);
    }
  }

  /** The names of every sub-database in the file (ours and any other). */
  databaseNames(): string[] {
    this.assertOpen();
    // Named databases are the keys of LMDB's main database; nothing else is written there.
    return this.#read(() => [...this.#root.getKeys()].filter((key): key is string => typeof key === "string"));
  }

  /**
   * The sub-database `name`, opened once and kept. When it does not exist
   * yet: created if `create`, else undefined (so reads never create one).
   */
  scopeRecords(name: string, create: boolean): ScopeRecords | undefined {
    this.assertOpen();
    const open = this.#scopes.get(name);
    if (open !== undefined) return open;
    if (!create && !this.databaseNames().includes(name)) return undefined;
    let records: ScopeRecords | undefined;
    try {
      // Opening (creating) a sub-database is a small synchronous write
      // transaction in lmdb-js; it happens once per scope per process.
      records = this.#root.openDB<Uint8Array, string>({ name, encoding: "binary" });
    } catch (cause) {
      throw classifyWriteError(cause, cause, `opening sub-database ${JSON.stringify(name)}`);
    }
    if (records === undefined) return undefined;
    this.#scopes.set(name, records);
    return records;
  }

  /** Runs a read, passing failures on as `unavailable`. */
  #read<T>(read: () => T): T {
    try {
      return read();
    } catch (cause) {
      throw new StorageError("unavailable", `reading LMDB database ${this.path} failed: ${(cause as Error)?.message ?? cause}`, { cause });
    }
  }

  /** Runs a read of one scope's records (see {@link scopeRecords}). */
  read<T>(read: () => T): T {
    this.assertOpen();
    return this.#read(read);
  }

  /**
   * Runs a write and waits for its commit. Failures become StorageErrors:
   * one thrown at once (a key LMDB refuses) is `invalid`; a failed commit is
   * classified by its real cause (see {@link writeFailure}).
   */
  async write<T>(what: string, write: () => Promise<T>): Promise<T> {
    this.assertOpen();
    let committed: Promise<T>;
    try {
      committed = write();
    } catch (cause) {
      throw new StorageError("invalid", `${what} refused by LMDB: ${(cause as Error)?.message ?? cause}`, { cause });
    }
    try {
      return await committed;
    } catch (cause) {
      throw await writeFailure(cause, what);
    }
  }

  /** Runs `action` in one write transaction of the environment. */
  transaction<T>(action: () => T): Promise<T> {
    return this.#root.transaction(action);
  }

  /** Closes after the writes already queued have committed; later calls resolve to the same. */
  close(): Promise<void> {
    this.#closing ??= this.#root.close();
    return this.#closing;
  }
}

// Where a database object from openLmdbDatabase keeps its environment, out
// of the public type (and out of the package's declarations, which then
// need no lmdb types).
const ENVIRONMENT = Symbol("LmdbEnvironment");

/** Ties `environment` to the public object `database`; see {@link environmentOf}. */
export function attachEnvironment<T extends object>(database: T, environment: LmdbEnvironment): T {
  return Object.assign(database, { [ENVIRONMENT]: environment });
}

/** The environment behind a database from `openLmdbDatabase`; internal to this folder. */
export function environmentOf(database: object): LmdbEnvironment {
  const environment = (database as { [ENVIRONMENT]?: unknown })[ENVIRONMENT];
  if (!(environment instanceof LmdbEnvironment)) {
    throw new StorageError("invalid", "not a database from openLmdbDatabase");
  }
  return environment;
}
