import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import type { Clock } from "../../core/clock.js";
import { systemClock } from "../../platform/system-clock.js";
import { PublicationSchema } from "../../gen/smartcore/traits/publication_pb.js";
import type { PublicationStorage } from "../../core/publication-storage.js";
import { StorageError } from "../../core/storage-error.js";
import type { PubCacheDatabase } from "./database.js";
import type { PublicationRecord } from "./schema.js";
import { clearScope, loadScopeEntry, type StoredEntry } from "./scope-records.js";
import { scopeKey, type StorageScope } from "../storage-scope.js";

export type { StoredEntry } from "./scope-records.js";

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

  const loadEntry = (id: string) => loadScopeEntry(db, key, id, (bytes) => fromBinary(PublicationSchema, bytes));

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

    clear: () => clearScope(db, key),
  };
}
