import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";
import { StorageError } from "../../core/storage-error.js";
import type { PubCacheDatabase } from "./database.js";
import type { PublicationRecord } from "./schema.js";

/** A stored value with its envelope, as the page reads it for its first paint. */
export interface StoredEntry {
  readonly publication: Publication;
  readonly version: string;
  /** `publish_time` in ms since the epoch, when the server set one. */
  readonly publishTimeMs: number | undefined;
  /** When the value was written to storage (ms since the epoch). */
  readonly storedAt: number;
}

/** Bytes to publication; throws when they are not one. */
export type PublicationDecoder = (bytes: Uint8Array) => Publication;

/**
 * Reading and wiping the publication records of one scope (its `scopeKey`):
 * what a page needs of storage. Kept apart from `createIdbStorage`, whose
 * writes encode with `@bufbuild/protobuf`, so pages never load that runtime.
 *
 * `decode` turns a record's bytes into the publication, throwing when they
 * are not one: pages pass `decodePublication` (src/protocol), hosts
 * protobuf-es's `fromBinary`, which they load anyway for connect — each
 * bundle carries only one decoder, and both give the same objects.
 *
 * Rejects with `StorageError('not-found')` when there is no record, and
 * `StorageError('corrupt')` when the record does not decode or decodes to
 * another id.
 */
export async function loadScopeEntry(db: PubCacheDatabase, key: string, id: string, decode: PublicationDecoder): Promise<StoredEntry> {
  const record: unknown =
    id === "" ? undefined : await db.run("readonly", ["publications"], (tx) => tx.objectStore("publications").get([key, id]));
  if (record === undefined) throw new StorageError("not-found", `no stored publication ${JSON.stringify(id)}`);
  return decodeRecord(record, id, decode);
}

/** Removes every record of the scope (other scopes untouched); resolves to how many. */
export async function clearScope(db: PubCacheDatabase, key: string): Promise<number> {
  return db.run("readwrite", ["publications"], async (tx) => {
    const keys = await tx.objectStore("publications").index("scopeKey").getAllKeys(key);
    await Promise.all(keys.map((k) => tx.objectStore("publications").delete(k)));
    return keys.length;
  });
}

/** Checks and decodes a record read from the database, which may hold anything. */
function decodeRecord(record: unknown, id: string, decode: PublicationDecoder): StoredEntry {
  const corrupt = (why: string, cause?: unknown) =>
    new StorageError("corrupt", `stored publication ${JSON.stringify(id)} ${why}`, { cause });
  if (typeof record !== "object" || record === null) throw corrupt("is not a record");
  const { bytes, storedAt } = record as Partial<Record<keyof PublicationRecord, unknown>>;
  if (!(bytes instanceof Uint8Array)) throw corrupt("has no bytes");
  let publication: Publication;
  try {
    publication = decode(bytes);
  } catch (cause) {
    throw corrupt("does not decode", cause);
  }
  if (publication.id !== id) throw corrupt(`holds id ${JSON.stringify(publication.id)}`);
  // The envelope is derived from the bytes, which are the truth: a record
  // whose envelope disagrees still yields the right value and metadata.
  return {
    publication,
    version: publication.version,
    publishTimeMs: publication.publishTime ? timestampMs(publication.publishTime) : undefined,
    storedAt: typeof storedAt === "number" ? storedAt : 0,
  };
}
