import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Clock } from "../../core/clock.js";
import { systemClock } from "../../platform/system-clock.js";
import { PublicationSchema, type Publication } from "../../gen/smartcore/traits/publication_pb.js";
import type { PublicationStorage } from "../publication-storage.js";
import { StorageError } from "../storage-error.js";
import type { PubCacheDatabase } from "./database.js";
import type { PublicationRecord } from "./schema.js";
import { scopeKey, type StorageScope } from "./storage-scope.js";

/** A stored value with its envelope, as the page reads it for its first paint. */
export interface StoredEntry {
  readonly publication: Publication;
  readonly version: string;
  /** `publish_time` in ms since the epoch, when the server set one. */
  readonly publishTimeMs: number | undefined;
  /** When the value was written to storage (ms since the epoch). */
  readonly storedAt: number;
}

/** The IndexedDB storage of one scope (server × device × partition). */
export interface IdbPublicationStorage extends PublicationStorage {
  /** Like `load`, with the envelope. Same errors: `not-found`, `corrupt`, … */
  loadEntry(id: string): Promise<StoredEntry>;
  /** Removes every value of this scope (other scopes untouched); resolves to how many. */
  clear(): Promise<number>;
}

export interface IdbStorageOptions {
  /** Stamps `storedAt`; default the system clock. */
  readonly clock?: Clock;
}

/**
 * The {@link PublicationStorage} contract over the shared pubcache database,
 * seeing only the records of `scope`. Values are kept as their binary
 * protobuf, so fields unknown to this app version survive a round trip.
 *
 * A record that does not decode, or decodes to another id, makes `load`
 * reject with `StorageError('corrupt')`; the next `store` of that id
 * overwrites it.
 */
export function createIdbStorage(
  db: PubCacheDatabase,
  scope: StorageScope,
  options: IdbStorageOptions = {},
): IdbPublicationStorage {
  const key = scopeKey(scope);
  const clock = options.clock ?? systemClock;

  async function loadEntry(id: string): Promise<StoredEntry> {
    const record: unknown =
      id === "" ? undefined : await db.run("readonly", ["publications"], (tx) => tx.objectStore("publications").get([key, id]));
    if (record === undefined) throw new StorageError("not-found", `no stored publication ${JSON.stringify(id)}`);
    return decodeRecord(record, id);
  }

  return {
    loadEntry,

    async load(id) {
      return (await loadEntry(id)).publication;
    },

    async store(publication) {
      if (publication.id === "") throw new StorageError("invalid", "cannot store a publication with an empty id");
      // Encoding copies: later changes to the caller's object never reach the record.
      const record: PublicationRecord = {
        scopeKey: key,
        id: publication.id,
        bytes: toBinary(PublicationSchema, publication),
        version: publication.version,
        publishTimeMs: publication.publishTime ? timestampMs(publication.publishTime) : undefined,
        storedAt: clock.now(),
      };
      await db.run("readwrite", ["publications"], async (tx) => {
        await tx.objectStore("publications").put(record);
      });
    },

    async list() {
      const keys = await db.run("readonly", ["publications"], (tx) => tx.objectStore("publications").index("scopeKey").getAllKeys(key));
      return keys.map(([, id]) => id);
    },

    async delete(id) {
      if (id === "") return false;
      return db.run("readwrite", ["publications"], async (tx) => {
        const present = (await tx.objectStore("publications").count([key, id])) > 0;
        if (present) await tx.objectStore("publications").delete([key, id]);
        return present;
      });
    },

    async clear() {
      return db.run("readwrite", ["publications"], async (tx) => {
        const keys = await tx.objectStore("publications").index("scopeKey").getAllKeys(key);
        await Promise.all(keys.map((k) => tx.objectStore("publications").delete(k)));
        return keys.length;
      });
    },
  };
}

/** Checks and decodes a record read from the database, which may hold anything. */
function decodeRecord(record: unknown, id: string): StoredEntry {
  const corrupt = (why: string, cause?: unknown) =>
    new StorageError("corrupt", `stored publication ${JSON.stringify(id)} ${why}`, { cause });
  if (typeof record !== "object" || record === null) throw corrupt("is not a record");
  const { bytes, storedAt } = record as Partial<Record<keyof PublicationRecord, unknown>>;
  if (!(bytes instanceof Uint8Array)) throw corrupt("has no bytes");
  let publication: Publication;
  try {
    publication = fromBinary(PublicationSchema, bytes);
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
