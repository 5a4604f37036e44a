import { fromBinary } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Clock } from "../../core/clock.js";
import { systemClock } from "../../platform/system-clock.js";
import { PublicationSchema } from "../../gen/smartcore/traits/publication_pb.js";
import type { PublicationStorage } from "../../core/publication-storage.js";
import { encodedPublication } from "../../core/encoded-publication.js";
import { StorageError } from "../../core/storage-error.js";
import type { PubCacheDatabase } from "./database.js";
import type { PublicationRecord } from "./schema.js";
import { createIdbReader, type IdbPublicationReader } from "./idb-reader.js";
import { scopeKey, type StorageScope } from "../storage-scope.js";

export type { StoredEntry } from "./idb-reader.js";

/** The IndexedDB storage of one scope (server × device × partition). */
export interface IdbPublicationStorage extends PublicationStorage, IdbPublicationReader {}

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

  const reader = createIdbReader(db, scope, (bytes) => fromBinary(PublicationSchema, bytes));

  return {
    clear: reader.clear,

    async loadEntry(id) {
      const entry = await reader.loadEntry(id);
      const { publication } = entry;
      // The envelope is derived from the bytes, which are the truth: a record
      // whose envelope disagrees still yields the right value and metadata.
      return {
        ...entry,
        version: publication.version,
        publishTimeMs: publication.publishTime ? timestampMs(publication.publishTime) : undefined,
      };
    },

    async load(id) {
      return (await reader.loadEntry(id)).publication;
    },

    async list() {
      const keys = await db.run("readonly", ["publications"], (tx) => tx.objectStore("publications").index("scopeKey").getAllKeys(key));
      return keys.map(([, id]) => id);
    },

    async store(publication) {
      if (publication.id === "") throw new StorageError("invalid", "cannot store a publication with an empty id");
      // The value's bytes, made once when it was committed (the record is a structured clone of them:
      // later changes to the caller's object never reach it).
      const record: PublicationRecord = {
        scopeKey: key,
        id: publication.id,
        bytes: encodedPublication(publication),
        version: publication.version,
        publishTimeMs: publication.publishTime ? timestampMs(publication.publishTime) : undefined,
        storedAt: clock.now(),
      };
      await db.run("readwrite", ["publications"], async (tx) => {
        await tx.objectStore("publications").put(record);
      });
    },

    async delete(id) {
      if (id === "") return false;
      return db.run("readwrite", ["publications"], async (tx) => {
        const present = (await tx.objectStore("publications").count([key, id])) > 0;
        if (present) await tx.objectStore("publications").delete([key, id]);
        return present;
      });
    },
  };
}
