import type { IndexKey, IndexNames, StoreKey, StoreValue } from "idb";
import type { PubCacheDB, PubCacheStoreName } from "./schema.js";

/**
 * The few IndexedDB calls this cache makes, as promises over the raw API,
 * typed by the schema (idb's types, none of its code). They behave as idb's
 * wrapper did: a request settles with its result or rejects with its
 * `error`; a call the transaction refuses (inactive, aborted) throws at
 * once; `done` settles when the transaction commits, or rejects with its
 * error (an `AbortError` when it has none).
 *
 * Why not idb itself: its proxies (about 1 kB gzipped) were the largest part
 * of the page client's storage code, for six methods and `done`.
 */
export interface PubCacheTransaction<Names extends PubCacheStoreName[]> {
  objectStore<Name extends Names[number]>(name: Name): PubCacheStore<Name>;
  /** Settles when the transaction has committed; rejects when it failed or was aborted. */
  readonly done: Promise<void>;
  abort(): void;
}

type Key<Name extends PubCacheStoreName> = StoreKey<PubCacheDB, Name>;
type Value<Name extends PubCacheStoreName> = StoreValue<PubCacheDB, Name>;

/** One object store of a {@link PubCacheTransaction}. */
export interface PubCacheStore<Name extends PubCacheStoreName> {
  get(key: Key<Name> | IDBKeyRange): Promise<Value<Name> | undefined>;
  getAll(query?: Key<Name> | IDBKeyRange | null): Promise<Value<Name>[]>;
  getAllKeys(query?: Key<Name> | IDBKeyRange | null): Promise<Key<Name>[]>;
  count(query?: Key<Name> | IDBKeyRange | null): Promise<number>;
  put(value: Value<Name>): Promise<Key<Name>>;
  delete(key: Key<Name> | IDBKeyRange): Promise<void>;
  index<Index extends IndexNames<PubCacheDB, Name>>(name: Index): PubCacheIndex<Name, Index>;
}

/** One index of a {@link PubCacheStore}. */
export interface PubCacheIndex<Name extends PubCacheStoreName, Index extends IndexNames<PubCacheDB, Name>> {
  getAll(query?: IndexKey<PubCacheDB, Name, Index> | IDBKeyRange | null): Promise<Value<Name>[]>;
  getAllKeys(query?: IndexKey<PubCacheDB, Name, Index> | IDBKeyRange | null): Promise<Key<Name>[]>;
}

/** Starts a transaction on `db` and gives it the promise API above. */
export function startTransaction<Names extends PubCacheStoreName[]>(
  db: IDBDatabase,
  stores: Names,
  mode: IDBTransactionMode,
  options?: IDBTransactionOptions,
): PubCacheTransaction<Names> {
  const tx = db.transaction(stores, mode, options);
  const done = new Promise<void>((resolve, reject) => {
    tx.addEventListener("complete", () => resolve());
    const fail = () => reject(tx.error ?? new DOMException("AbortError", "AbortError"));
    tx.addEventListener("error", fail);
    tx.addEventListener("abort", fail);
  });
  return {
    objectStore: (name) => storeOf(tx.objectStore(name)),
    done,
    abort: () => tx.abort(),
  };
}

function storeOf<Name extends PubCacheStoreName>(store: IDBObjectStore): PubCacheStore<Name> {
  return {
    get: (key) => settled(store.get(key)),
    getAll: (query) => settled(store.getAll(query)),
    getAllKeys: (query) => settled(store.getAllKeys(query)) as Promise<Key<Name>[]>,
    count: (query) => settled(store.count(query ?? undefined)),
    put: (value) => settled(store.put(value)) as Promise<Key<Name>>,
    delete: (key) => settled(store.delete(key)),
    index: (name) => {
      const index = store.index(name);
      return {
        // The schema types the keys; the raw API takes any key.
        getAll: (query) => settled(index.getAll(query as IDBValidKey | IDBKeyRange | null | undefined)),
        getAllKeys: (query) => settled(index.getAllKeys(query as IDBValidKey | IDBKeyRange | null | undefined)) as Promise<Key<Name>[]>,
      };
    },
  };
}

/** A request's result, or its error (a DOMException; a failed request always has one). */
function settled<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.addEventListener("success", () => resolve(request.result));
    request.addEventListener("error", () => reject(request.error ?? new DOMException("The request failed", "UnknownError")));
  });
}
