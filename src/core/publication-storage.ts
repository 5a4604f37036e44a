import type { Publication } from "../gen/smartcore/traits/publication_pb.js";

/**
 * Reading stored values: what a page needs for its first paint (it never
 * writes — the host does). Part of {@link PublicationStorage}.
 */
export interface PublicationReader {
  /** The stored value, or a `StorageError` with code `not-found`. */
  load(id: string): Promise<Publication>;
  /** The ids of every stored value, in no particular order. */
  list(): Promise<string[]>;
}

/**
 * Where a cache keeps the last value of each publication — the contract of the
 * Go `pubcache` storage, shared by every implementation (memory, IndexedDB,
 * file, LMDB) and checked by one contract test suite.
 *
 * Values are copied in and out: mutating a value passed to `store`, or one
 * returned by `load`, never changes what is stored.
 */
export interface PublicationStorage extends PublicationReader {
  /**
   * Replaces any value with the same id. Rejects an empty id with a
   * `StorageError` of code `invalid`.
   */
  store(publication: Publication): Promise<void>;
  /** Removes the value; resolves to whether it was present. Never fails for a missing id. */
  delete(id: string): Promise<boolean>;
}
