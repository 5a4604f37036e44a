import type { PublicationReader } from "../../core/publication-storage.js";
import { StorageError } from "../../core/storage-error.js";
import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";
import { scopeKey, type StorageScope } from "../storage-scope.js";
import { decodeStoredPublication, type PublicationDecoder } from "../stored-publication.js";
import type { PubCacheDatabase } from "./database.js";
import type { PublicationRecord } from "./schema.js";

/** A stored value with its envelope, as a page reads it for its first paint. */
export interface StoredEntry {
  readonly publication: Publication;
  /** The record's bytes: the binary protobuf the value decodes from (two values are the same when these are). */
  readonly bytes: Uint8Array;
  readonly version: string;
  /** `publish_time` in ms since the epoch, when the server set one. */
  readonly publishTimeMs: number | undefined;
  /** When the value was written to storage (ms since the epoch). */
  readonly storedAt: number;
}

/** Reading and wiping one scope of the IndexedDB storage: what a page does with it. */
export interface IdbPublicationReader extends PublicationReader {
  /** Like `load`, with the envelope. Same errors: `not-found`, `corrupt`, … */
  loadEntry(id: string): Promise<StoredEntry>;
  /** Removes every value of this scope (other scopes untouched); resolves to how many. */
  clear(): Promise<number>;
}

/** A stored value as a page needs it for its first paint: the publication, its bytes, when it was stored. */
export type PageEntry = Pick<StoredEntry, "publication" | "bytes" | "storedAt">;

/** What a page does with its scope: read one value with what it needs of its envelope, wipe them all. */
export interface IdbEntryReader {
  /** The stored value; errors as {@link IdbPublicationReader.loadEntry}'s. */
  loadEntry(id: string): Promise<PageEntry>;
  clear: IdbPublicationReader["clear"];
}

/**
 * What a page does with the shared pubcache database, seeing only the
 * records of `scope`: read a value with its bytes and when it was stored,
 * wipe the scope. The host's storage (`createIdbStorage`) adds the rest of
 * the {@link PublicationStorage} contract over this — the envelope's
 * version and publish time, `load`, `list` and the writes, whose encoder
 * pages never load.
 *
 * `decode` turns a record's bytes into the publication, throwing when they
 * are not one: pages pass `decodePublication` (src/protocol), hosts
 * protobuf-es's `fromBinary`, which they load anyway for connect — each
 * bundle carries one decoder, and both give the same objects.
 *
 * `loadEntry` rejects with `StorageError('not-found')` when there is no
 * record, and `StorageError('corrupt')` when the record does not decode or
 * decodes to another id.
 */
export function createIdbReader(db: PubCacheDatabase, scope: StorageScope, decode: PublicationDecoder): IdbEntryReader {
  const key = scopeKey(scope);
  const loadEntry = async (id: string): Promise<PageEntry> => {
    const record: unknown =
      id === "" ? undefined : await db.run("readonly", ["publications"], (tx) => tx.objectStore("publications").get([key, id]));
    if (record === undefined) throw new StorageError("not-found", `no stored publication ${JSON.stringify(id)}`);
    return decodeRecord(record, id, decode);
  };
  return {
    loadEntry,
    clear: () =>
      db.run("readwrite", ["publications"], async (tx) => {
        const keys = await tx.objectStore("publications").index("scopeKey").getAllKeys(key);
        await Promise.all(keys.map((k) => tx.objectStore("publications").delete(k)));
        return keys.length;
      }),
  };
}

/** Checks and decodes a record read from the database, which may hold anything. */
function decodeRecord(record: unknown, id: string, decode: PublicationDecoder): PageEntry {
  const corrupt = (why: string, cause?: unknown) =>
    new StorageError("corrupt", `stored publication ${JSON.stringify(id)} ${why}`, { cause });
  if (typeof record !== "object" || record === null) throw corrupt("is not a record");
  const { bytes, storedAt } = record as Partial<Record<keyof PublicationRecord, unknown>>;
  if (!(bytes instanceof Uint8Array)) throw corrupt("has no bytes");
  const publication = decodeStoredPublication(id, bytes, decode);
  return { publication, bytes, storedAt: typeof storedAt === "number" ? storedAt : 0 };
}
