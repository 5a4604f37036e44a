import { wrap, type IDBPDatabase, type IDBPTransaction } from "idb";
import { StorageError } from "../../core/storage-error.js";
import { toStorageError } from "./idb-errors.js";
import { upgradePubCacheDB, type PubCacheDB, type PubCacheStoreName } from "./schema.js";

export interface OpenConnectionOptions {
  readonly factory: IDBFactory;
  readonly name: string;
  /** The schema version to open at (tests open older versions to test upgrades). */
  readonly version: number;
  /** Called when the open waits on another connection that holds an older version. */
  readonly onBlocked?: (() => void) | undefined;
}

/**
 * Opens one connection at `version`, running the schema's upgrade steps.
 *
 * A `blocked` open (another tab holds the old version and does not close it)
 * rejects at once with `StorageError('blocked')` after calling `onBlocked`,
 * instead of hanging until that tab goes away. The request itself cannot be
 * cancelled: if it succeeds later, that connection is closed straight away,
 * so it never blocks anyone in turn.
 */
export function openConnection(options: OpenConnectionOptions): Promise<IDBPDatabase<PubCacheDB>> {
  const { factory, name, version, onBlocked } = options;
  return new Promise((resolve, reject) => {
    let request: IDBOpenDBRequest;
    try {
      request = factory.open(name, version);
    } catch (cause) {
      // Some browsers throw here in private modes or when storage is disabled.
      reject(toStorageError(cause, `cannot open IndexedDB database ${JSON.stringify(name)}`));
      return;
    }
    let settled = false;

    request.onupgradeneeded = (event) => {
      const tx = request.transaction;
      if (tx === null) return;
      try {
        upgradePubCacheDB(
          wrapDatabase(request.result),
          event.oldVersion,
          event.newVersion ?? version,
          wrap(tx) as unknown as IDBPTransaction<PubCacheDB, PubCacheStoreName[], "versionchange">,
        );
      } catch (cause) {
        // Aborting the upgrade keeps the old version; the open fails with AbortError.
        tx.abort();
        if (!settled) {
          settled = true;
          reject(toStorageError(cause, `cannot upgrade database ${JSON.stringify(name)} to v${version}`));
        }
      }
    };

    request.onblocked = () => {
      if (settled) return;
      settled = true;
      onBlocked?.();
      reject(
        new StorageError(
          "blocked",
          `opening database ${JSON.stringify(name)} at v${version} is blocked by another connection (another tab?) that does not close`,
        ),
      );
    };

    request.onsuccess = () => {
      const db = wrapDatabase(request.result);
      if (settled) {
        db.close();
        return;
      }
      settled = true;
      resolve(db);
    };

    request.onerror = (event) => {
      // Handled here: keep it from surfacing as an uncaught error on the global.
      event.preventDefault();
      if (settled) return;
      settled = true;
      reject(toStorageError(request.error, `cannot open database ${JSON.stringify(name)}`));
    };
  });
}

/** idb's `wrap` is untyped; the schema type is ours to assert. */
function wrapDatabase(db: IDBDatabase): IDBPDatabase<PubCacheDB> {
  return wrap(db) as unknown as IDBPDatabase<PubCacheDB>;
}
