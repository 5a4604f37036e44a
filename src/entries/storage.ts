/**
 * `pubcache-web/storage` — storages for browsers and any runtime: in memory,
 * and IndexedDB (the one the service worker uses), each behind the
 * {@link PublicationStorage} contract of the Go `pubcache`.
 *
 * @packageDocumentation
 */
export { createMemoryStorage } from "../storage/memory/memory-storage.js";
export { openPubCacheDatabase, type PubCacheDatabase, type PubCacheDatabaseOptions } from "../storage/idb/database.js";
export { createIdbStorage, type IdbPublicationStorage, type IdbStorageOptions, type StoredEntry } from "../storage/idb/idb-storage.js";
export type { StorageScope } from "../storage/storage-scope.js";
export type { PublicationStorage } from "../core/publication-storage.js";
export type {
  Publication,
  Publication_Audience as PublicationAudience,
  Publication_Audience_Receipt as PublicationAudienceReceipt,
} from "../gen/smartcore/traits/publication_pb.js";
export type { Clock } from "../core/clock.js";
export type { Logger } from "../core/logger.js";
export { StorageError, type StorageErrorCode } from "../core/storage-error.js";
