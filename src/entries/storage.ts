/**
 * `pubcache-web/storage` — storages for browsers and any runtime: in memory,
 * and IndexedDB (the one the service worker uses), each behind the
 * {@link PublicationStorage} contract of the Go `pubcache`.
 *
 * @packageDocumentation
 */
export { createMemoryStorage } from "../storage/memory/memory-storage.js";
export { openPubCacheDatabase, type PubCacheDatabase, type PubCacheDatabaseOptions } from "../storage/idb/database.js";
export { createIdbStorage, type IdbPublicationStorage, type IdbStorageOptions } from "../storage/idb/idb-storage.js";
export type { PublicationStorage } from "../core/publication-storage.js";
export { StorageError, type StorageErrorCode } from "../core/storage-error.js";
