/**
 * `pubcache-web/storage/node` — storages for Node (Electron kiosks, signage
 * servers): one file per publication in the Go `pubcache` layout.
 *
 * @packageDocumentation
 */
export { createFileStorage } from "../storage/file/file-storage.js";
export { nodeDirectory } from "../storage/file/node-directory.js";
export type { FileDirectory } from "../storage/file/file-directory.js";
export type { PublicationStorage } from "../core/publication-storage.js";
export { StorageError, type StorageErrorCode } from "../core/storage-error.js";
