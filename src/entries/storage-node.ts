/**
 * `pubcache-web/storage/node` — storages for Node (Electron kiosks, signage
 * servers): one file per publication in the Go `pubcache` layout, or one LMDB
 * database file with a sub-database per scope (the Go Bolt storage's counterpart).
 *
 * @packageDocumentation
 */
export { createFileStorage } from "../storage/file/file-storage.js";
export { nodeDirectory } from "../storage/file/node-directory.js";
export type { FileDirectory } from "../storage/file/file-directory.js";
export type { PublicationReader, PublicationStorage } from "../core/publication-storage.js";
export type { Publication, Publication_Audience as PublicationAudience, Publication_Audience_Receipt } from "../gen/smartcore/traits/publication_pb.js";
export { PublicationAudienceReceipt } from "../core/receipts/audience-receipt.js";
export { StorageError, type StorageErrorCode } from "../core/storage-error.js";
export { openLmdbDatabase, DEFAULT_MAX_SCOPES, type LmdbDatabase, type LmdbDatabaseOptions } from "../storage/lmdb/lmdb-database.js";
export { createLmdbStorage, type LmdbPublicationStorage } from "../storage/lmdb/lmdb-storage.js";
export type { StorageScope } from "../storage/storage-scope.js";
