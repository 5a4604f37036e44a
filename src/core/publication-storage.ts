import type { Publication } from "../gen/smartcore/traits/publication_pb.js";

/**
 * Where a cache keeps the last value of each publication — the contract of the
 * Go `pubcache` storage, shared by every implementation (memory, IndexedDB,
 * file) and checked by one contract test suite.
 *
 * Values are copied in and out: mutating a value passed to `store`, or one
 * returned by `load`, never changes what is stored.
 */
export interface PublicationStorage {
  /** The stored value, or a `StorageError` with code `not-found`. */
  load(id: string): Promise<Publication>;
  /**
   * Replaces any value with the same id. Rejects an empty id with a
   * `StorageError` of code `invalid`.
   */
  store(publication: Publication): Promise<void>;
  /** The ids of every stored value, in no particular order. */
  list(): Promise<string[]>;
  /** Removes the value; resolves to whether it was present. Never fails for a missing id. */
  delete(id: string): Promise<boolean>;
}
