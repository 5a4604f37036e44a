import type { IDBPDatabase, IDBPTransaction } from "idb";
import type { Clock } from "../../core/clock.js";
import { silentLogger, type Logger } from "../../core/logger.js";
import { systemClock } from "../../platform/system-clock.js";
import { StorageError } from "../../core/storage-error.js";
import { openConnection } from "./connection.js";
import { errorName, isConnectionLost, toStorageError } from "./idb-errors.js";
import { DB_NAME, DB_VERSION, type PubCacheDB, type PubCacheStoreName } from "./schema.js";

export interface PubCacheDatabaseOptions {
  /** Database name; default `pubcache` (`DB_NAME`). Tests use a unique name or a fresh factory. */
  readonly name?: string;
  /**
   * Where databases live; default the global `indexedDB`, read at the first
   * operation (never at import, so this module loads where there is none).
   */
  readonly factory?: IDBFactory;
  /** A write transaction that has not completed after this long fails with `timeout`. Default 10 000 ms. */
  readonly writeTimeoutMs?: number;
  /** Called when an upgrade waits on another tab that keeps the old version open. */
  readonly onBlocked?: () => void;
  /**
   * Called when the connection went away under the handle: `closed` by the
   * browser (site data cleared, storage evicted, or Safari dropping a
   * background page's connection), or `deleted` / `versionchange` when
   * another connection deletes the database or upgrades it. The next `run`
   * reopens either way; whether the data survived is for the caller to find
   * out (the host looks for its marker).
   */
  readonly onConnectionLost?: (reason: ConnectionLossReason) => void;
  readonly logger?: Logger;
  /** Times the write timeout; default the system clock. */
  readonly clock?: Clock;
}

export type PubCacheTransactionMode = "readonly" | "readwrite";

/** Why a connection went away; see {@link PubCacheDatabaseOptions.onConnectionLost}. */
export type ConnectionLossReason = "closed" | "deleted" | "versionchange";

/**
 * A lazily opened, self-healing handle on the pubcache database.
 *
 * - Opens on the first `run`, at the schema version `DB_VERSION`, upgrading as needed.
 * - Closes its connection on `versionchange`, so another tab can upgrade;
 *   the next `run` reopens.
 * - A `blocked` open rejects with `StorageError('blocked')` (and calls
 *   `onBlocked`) instead of hanging.
 * - When the connection turns out to be closed or lost (Safari drops them in
 *   background pages), it reopens and retries the operation once. Retrying is
 *   safe because a transaction is all-or-nothing: the failed attempt wrote
 *   nothing.
 * - A write that does not complete within `writeTimeoutMs` is aborted and
 *   rejects with `StorageError('timeout')`; that connection is not reused.
 * - QuotaExceededError becomes `StorageError('quota-exceeded')`; every other
 *   failure a `StorageError` too (`unavailable` unless more is known).
 */
export interface PubCacheDatabase {
  readonly name: string;
  /**
   * Runs `fn` in one transaction over `stores` and resolves to its result once
   * the transaction has committed. If `fn` rejects, the transaction is
   * aborted (nothing it wrote is kept). Always rejects with a StorageError:
   * one `fn` threw is passed on as is, any other error becomes its `cause`.
   */
  run<Names extends PubCacheStoreName[], Mode extends PubCacheTransactionMode, T>(
    mode: Mode,
    stores: Names,
    fn: (tx: IDBPTransaction<PubCacheDB, Names, Mode>) => Promise<T>,
  ): Promise<T>;
  /** Closes the connection for good; later `run`s reject with `unavailable`. */
  close(): void;
}

/** Creates the handle; nothing is opened until the first `run`. See {@link PubCacheDatabase}. */
export function openPubCacheDatabase(options: PubCacheDatabaseOptions = {}): PubCacheDatabase {
  const name = options.name ?? DB_NAME;
  const writeTimeoutMs = options.writeTimeoutMs ?? 10_000;
  const logger = options.logger ?? silentLogger;
  const clock = options.clock ?? systemClock;

  let opening: Promise<IDBPDatabase<PubCacheDB>> | undefined;
  let current: IDBPDatabase<PubCacheDB> | undefined;
  // Connections that closed under us: an AbortError from them means "lost", not "refused".
  const lost = new WeakSet<IDBPDatabase<PubCacheDB>>();
  let closed = false;

  function connect(): Promise<IDBPDatabase<PubCacheDB>> {
    if (closed) return Promise.reject(new StorageError("unavailable", `database ${JSON.stringify(name)} handle is closed`));
    if (opening === undefined) {
      const factory = options.factory ?? globalThis.indexedDB;
      if (factory === undefined) {
        return Promise.reject(new StorageError("unavailable", "IndexedDB is not available in this context"));
      }
      const attempt = openConnection({
        factory,
        name,
        version: DB_VERSION,
        onBlocked: () => {
          logger.warn("IndexedDB upgrade blocked by another connection", { database: name, version: DB_VERSION });
          options.onBlocked?.();
        },
      }).then((db) => {
        if (closed || opening !== attempt) {
          db.close();
          throw new StorageError("unavailable", `database ${JSON.stringify(name)} handle is closed`);
        }
        current = db;
        watch(db);
        return db;
      });
      // A failed open is not cached: the next run tries again.
      attempt.catch(() => {
        if (opening === attempt) opening = undefined;
      });
      opening = attempt;
    }
    return opening;
  }

  function watch(db: IDBPDatabase<PubCacheDB>): void {
    db.addEventListener("versionchange", (event) => {
      // Another tab (or a newer worker) wants to upgrade, or deletes the
      // database (newVersion null): step aside. Running transactions still
      // finish; the next run reopens, and fails clearly with `unavailable` if
      // the new version is one this app does not know.
      const deleted = event.newVersion === null;
      logger.info(deleted ? "IndexedDB database being deleted: closing connection" : "IndexedDB versionchange: closing connection", { database: name });
      forget(db);
      options.onConnectionLost?.(deleted ? "deleted" : "versionchange");
    });
    db.addEventListener("close", () => {
      // Closed by the browser (storage cleared, Safari background, disk error).
      logger.warn("IndexedDB connection closed by the browser", { database: name });
      forget(db);
      options.onConnectionLost?.("closed");
    });
  }

  function forget(db: IDBPDatabase<PubCacheDB>): void {
    lost.add(db);
    if (current === db) {
      current = undefined;
      opening = undefined;
    }
    db.close();
  }

  async function transact<Names extends PubCacheStoreName[], Mode extends PubCacheTransactionMode, T>(
    db: IDBPDatabase<PubCacheDB>,
    mode: Mode,
    stores: Names,
    fn: (tx: IDBPTransaction<PubCacheDB, Names, Mode>) => Promise<T>,
  ): Promise<T> {
    // Strict durability for writes: values change rarely, and a kiosk that
    // loses power must boot with the last value it showed.
    const tx = db.transaction(stores, mode, mode === "readwrite" ? { durability: "strict" } : {});
    const work = (async () => {
      let result: T;
      try {
        result = await fn(tx);
      } catch (err) {
        abortQuietly(tx);
        // The abort makes `done` reject as well; that rejection is ours.
        tx.done.catch(() => {});
        throw err;
      }
      if (mode === "readwrite") {
        await tx.done;
      } else {
        // A read-only transaction cannot fail once its requests succeeded:
        // waiting for `complete` only adds a task hop per read (measured by
        // the storage benchmark: reads 1.55x raw idb with the wait, about
        // 1.2x without). Its late rejection, if any, is not the caller's.
        tx.done.catch(() => {});
      }
      return result;
    })();
    if (mode !== "readwrite") return work;
    return withWriteTimeout(work, () => {
      abortQuietly(tx);
      forget(db);
    });
  }

  function withWriteTimeout<T>(work: Promise<T>, onTimeout: () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let timedOut = false;
      const cancel = clock.setTimer(writeTimeoutMs, () => {
        timedOut = true;
        logger.warn("IndexedDB write timed out", { database: name, timeoutMs: writeTimeoutMs });
        onTimeout();
        reject(new StorageError("timeout", `write to ${JSON.stringify(name)} did not complete within ${writeTimeoutMs} ms`));
      });
      work.then(
        (value) => {
          cancel();
          if (!timedOut) resolve(value);
        },
        (err: unknown) => {
          cancel();
          // idb rejects with the request's DOMException; passed on as it is.
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
          if (!timedOut) reject(err);
        },
      );
    });
  }

  async function attempt<Names extends PubCacheStoreName[], Mode extends PubCacheTransactionMode, T>(
    mode: Mode,
    stores: Names,
    fn: (tx: IDBPTransaction<PubCacheDB, Names, Mode>) => Promise<T>,
  ): Promise<T> {
    const db = await connect();
    try {
      return await transact(db, mode, stores, fn);
    } catch (err) {
      if (isConnectionLost(err) || (lost.has(db) && errorName(err) === "AbortError")) {
        forget(db);
        throw new ConnectionLost(err);
      }
      throw err;
    }
  }

  return {
    name,
    async run(mode, stores, fn) {
      const context = `IndexedDB ${mode} on ${stores.join(", ")}`;
      try {
        try {
          return await attempt(mode, stores, fn);
        } catch (err) {
          if (!(err instanceof ConnectionLost)) throw err;
          logger.warn("IndexedDB connection lost; reopening and retrying once", {
            database: name,
            error: errorName(err.cause),
          });
          return await attempt(mode, stores, fn);
        }
      } catch (err) {
        throw toStorageError(err instanceof ConnectionLost ? err.cause : err, context);
      }
    },
    close() {
      closed = true;
      if (current !== undefined) current.close();
      current = undefined;
      opening = undefined;
    },
  };
}

/** Internal marker: the attempt failed because its connection was gone. */
class ConnectionLost extends Error {
  constructor(override readonly cause: unknown) {
    super("IndexedDB connection lost");
  }
}

function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already committed or aborted: nothing to undo.
  }
}
