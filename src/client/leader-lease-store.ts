import { wrap, type DBSchema, type IDBPDatabase } from "idb";
import type { Clock } from "../core/clock.js";

/**
 * The database that holds leader leases, apart from the cache's own (whose
 * schema, upgrades and `clear()` must never meet it). One record per lease
 * name, so caches on other database names elect their own leaders.
 */
export const LEASE_DB_NAME = "pubcache-leases";
const LEASE_DB_VERSION = 1;

/** Who holds a lease, and until when (epoch ms; every tab of the origin reads the same clock). */
export interface LeaseRecord {
  readonly name: string;
  readonly holder: string;
  readonly expiresAt: number;
}

interface LeaseDB extends DBSchema {
  leases: { key: string; value: LeaseRecord };
}

/** The lease's compare-and-set, each call one readwrite transaction. */
export interface LeaseStore {
  /**
   * Takes or renews the lease for `holder` if it is absent, expired, already
   * `holder`'s, or held by `freed` (a holder that said it let go, before its
   * delete committed). Resolves to the record as it stands afterwards: ours,
   * or the other holder's.
   */
  claim(holder: string, ttlMs: number, freed?: string): Promise<LeaseRecord>;
  /** Deletes the lease if `holder` holds it; someone else's is left alone. */
  release(holder: string): Promise<void>;
  /** Closes the connection; later calls reopen it. */
  close(): void;
}

export interface LeaseStoreOptions {
  /** The lease's name (the record key). */
  readonly name: string;
  /** Where the database lives. */
  readonly factory: IDBFactory;
  readonly clock: Clock;
  /** Default {@link LEASE_DB_NAME}. */
  readonly databaseName?: string;
}

/**
 * The lease in IndexedDB. IndexedDB runs readwrite transactions on one store
 * one at a time across every tab, so reading and writing the record in one
 * transaction is an atomic compare-and-set: of two tabs claiming an expired
 * lease at once, the second reads the first one's record and loses.
 */
export function idbLeaseStore(options: LeaseStoreOptions): LeaseStore {
  const { name, factory, clock } = options;
  const databaseName = options.databaseName ?? LEASE_DB_NAME;
  let opening: Promise<IDBPDatabase<LeaseDB>> | undefined;

  function database(): Promise<IDBPDatabase<LeaseDB>> {
    opening ??= openLeaseDatabase(factory, databaseName).then((db) => {
      // Site data cleared, or a newer app upgrading: let go; the next call reopens.
      db.addEventListener("versionchange", () => {
        db.close();
        opening = undefined;
      });
      db.addEventListener("close", () => void (opening = undefined));
      return db;
    });
    opening.catch(() => (opening = undefined));
    return opening;
  }

  // "relaxed": a lease is worth nothing after a crash of the browser (it
  // expires anyway), so it is not worth a flush to disk every second.
  const transaction = async () => (await database()).transaction("leases", "readwrite", { durability: "relaxed" });

  return {
    async claim(holder, ttlMs, freed) {
      const tx = await transaction();
      const current = await tx.store.get(name);
      // The time is read inside the transaction: after any wait for another tab's.
      const now = clock.now();
      if (current && current.expiresAt > now && current.holder !== holder && current.holder !== freed) {
        await tx.done;
        return current;
      }
      const taken: LeaseRecord = { name, holder, expiresAt: now + ttlMs };
      await tx.store.put(taken);
      await tx.done;
      return taken;
    },

    async release(holder) {
      const tx = await transaction();
      if ((await tx.store.get(name))?.holder === holder) await tx.store.delete(name);
      await tx.done;
    },

    close() {
      const open = opening;
      opening = undefined;
      void open?.then((db) => db.close(), () => undefined);
    },
  };
}

function openLeaseDatabase(factory: IDBFactory, name: string): Promise<IDBPDatabase<LeaseDB>> {
  return new Promise((resolve, reject) => {
    const request = factory.open(name, LEASE_DB_VERSION);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains("leases")) db.createObjectStore("leases", { keyPath: "name" });
    };
    request.onsuccess = () => resolve(wrap(request.result) as unknown as IDBPDatabase<LeaseDB>);
    request.onerror = (event) => {
      event.preventDefault();
      reject(request.error ?? new Error(`cannot open ${name}`));
    };
    request.onblocked = () => reject(new DOMException(`opening ${name} is blocked by another tab`, "InvalidStateError"));
  });
}
