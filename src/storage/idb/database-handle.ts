import { openPubCacheDatabase, type PubCacheDatabase, type PubCacheDatabaseOptions } from "./database.js";

/**
 * An open pubcache IndexedDB database, as an embedder holds it: something
 * to pass to `createIdbStorage` and to close. Its transactions and schema
 * stay inside the package.
 */
export interface PubCacheDatabaseHandle {
  /** The database's name (`pubcache` unless the options said otherwise). */
  readonly name: string;
  /** Closes the connection; storages on it fail with `unavailable` afterwards. */
  close(): void;
}

const databases = new WeakMap<PubCacheDatabaseHandle, PubCacheDatabase>();

/** Opens the database behind a handle (see `openPubCacheDatabase`). */
export function openDatabaseHandle(options: PubCacheDatabaseOptions = {}): PubCacheDatabaseHandle {
  const db = openPubCacheDatabase(options);
  const handle: PubCacheDatabaseHandle = { name: db.name, close: () => db.close() };
  databases.set(handle, db);
  return handle;
}

/** The database a handle stands for; a TypeError for anything this package did not open. */
export function databaseOf(handle: PubCacheDatabaseHandle): PubCacheDatabase {
  const db = databases.get(handle);
  if (!db) throw new TypeError("not a database opened by openPubCacheDatabase of pubcache-web/storage");
  return db;
}
