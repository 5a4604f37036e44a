/**
 * `pubcache-web/storage` — storages for browsers and any runtime: in memory,
 * IndexedDB (the one the service worker uses) and files in the browser's
 * Origin Private File System (the Go `pubcache` file layout), each behind
 * the {@link PublicationStorage} contract of the Go `pubcache`.
 *
 * @packageDocumentation
 */
import type { StorageScope } from "../storage/storage-scope.js";
import { databaseOf, openDatabaseHandle, type PubCacheDatabaseHandle } from "../storage/idb/database-handle.js";
import type { ConnectionLossReason, PubCacheDatabaseOptions } from "../storage/idb/database.js";
import { createIdbStorage as createStorage, type IdbPublicationStorage, type IdbStorageOptions } from "../storage/idb/idb-storage.js";

/**
 * Opens the shared pubcache IndexedDB database (the one the service worker
 * and the page client use, unless `name` says otherwise). It opens on first
 * use, upgrades its schema as needed, closes when another tab upgrades it,
 * and reopens once when the browser closed it.
 */
export function openPubCacheDatabase(options: PubCacheDatabaseOptions = {}): PubCacheDatabaseHandle {
  return openDatabaseHandle(options);
}

/**
 * The {@link PublicationStorage} contract over `db`, seeing only the records
 * of `scope` (server × device × partition). A record that does not decode,
 * or decodes to another id, makes `load` reject with
 * `StorageError('corrupt')`; the next `store` of that id overwrites it.
 * Throws a TypeError for a `db` that `openPubCacheDatabase` did not open.
 */
export function createIdbStorage(db: PubCacheDatabaseHandle, scope: StorageScope, options: IdbStorageOptions = {}): IdbPublicationStorage {
  return createStorage(databaseOf(db), scope, options);
}

export { createMemoryStorage } from "../storage/memory/memory-storage.js";
// Files in the Origin Private File System, for a worker (or page) of your own
// that runs the engine: createFileStorage(opfsDirectoryAt(["pubcache", "notice-board"])).
export { createFileStorage } from "../storage/file/file-storage.js";
export { opfsDirectory, opfsDirectoryAt } from "../storage/file/opfs-directory.js";
export type { FileDirectory } from "../storage/file/file-directory.js";
export type { PubCacheDatabaseHandle as PubCacheDatabase, PubCacheDatabaseOptions, ConnectionLossReason, IdbPublicationStorage, IdbStorageOptions };
export type { IdbPublicationReader, StoredEntry } from "../storage/idb/idb-reader.js";
export type { PublicationReader } from "../core/publication-storage.js";
export type { StorageScope };
export type { PublicationStorage } from "../core/publication-storage.js";
export type { Publication, Publication_Audience as PublicationAudience, Publication_Audience_Receipt } from "../gen/smartcore/traits/publication_pb.js";
export { PublicationAudienceReceipt } from "../core/receipts/audience-receipt.js";
export type { Clock } from "../core/clock.js";
export type { Logger } from "../core/logger.js";
export { StorageError, type StorageErrorCode } from "../core/storage-error.js";
