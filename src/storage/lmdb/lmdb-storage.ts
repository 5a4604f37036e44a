import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { PublicationSchema, type Publication } from "../../gen/smartcore/traits/publication_pb.js";
import type { StorageScope } from "../storage-scope.js";
import type { PublicationStorage } from "../../core/publication-storage.js";
import { StorageError } from "../../core/storage-error.js";
import type { LmdbDatabase } from "./lmdb-database.js";
import { environmentOf } from "./lmdb-environment.js";
import { lmdbModule } from "./lmdb-module.js";
import { scopeDatabaseName } from "./scope-database-name.js";
import { decodeStoredPublication } from "../stored-publication.js";

/** The LMDB storage of one scope (server × device × partition). */
export interface LmdbPublicationStorage extends PublicationStorage {
  /** The scope whose records this storage sees, as given. */
  readonly scope: StorageScope;
  /** Removes every value of this scope (other scopes untouched), in one transaction; resolves to how many. */
  clear(): Promise<number>;
}

/**
 * The {@link PublicationStorage} contract in one LMDB named database per
 * scope, like a Bolt bucket: key = the publication id, value = its binary
 * protobuf (as the file storage writes it), so fields unknown to this
 * version survive a round trip.
 *
 * - `store` resolves once LMDB has committed and fsynced the write.
 * - A record that does not decode, or decodes to another id, makes `load`
 *   reject with `StorageError('corrupt')`; `list` still lists it, and the
 *   next `store` of that id overwrites it.
 * - Out of disk space: `quota-exceeded`, nothing stored is lost; after the
 *   database is closed: `unavailable`; an id LMDB cannot hold as a key
 *   (over 1978 UTF-8 bytes) or one that is not well-formed UTF-16 (it
 *   could not round-trip through protobuf): `invalid`.
 *
 * Throws `StorageError('invalid')` at once for a scope too long to name a
 * sub-database, or a `database` not from {@link openLmdbDatabase}.
 */
export function createLmdbStorage(database: LmdbDatabase, scope: StorageScope): LmdbPublicationStorage {
  const environment = environmentOf(database);
  const name = scopeDatabaseName(scope);
  // Reads never create the sub-database: a scope appears in the file with its first store.
  const existing = () => environment.scopeRecords(name, false);

  return {
    scope,

    async load(id) {
      environment.assertOpen();
      const records = id === "" ? undefined : existing();
      const bytes = records === undefined ? undefined : environment.read(() => records.get(id));
      if (bytes === undefined) throw new StorageError("not-found", `no stored publication ${JSON.stringify(id)}`);
      return decode(id, bytes);
    },

    async store(publication) {
      const id = publication.id;
      if (id === "") throw new StorageError("invalid", "cannot store a publication with an empty id");
      if (hasLoneSurrogate(id)) {
        throw new StorageError("invalid", `publication id ${JSON.stringify(id)} is not well-formed UTF-16`);
      }
      environment.assertOpen();
      // toBinary copies: later changes to the caller's object never reach the record.
      const bytes = toBinary(PublicationSchema, publication);
      const records = environment.scopeRecords(name, true)!;
      await environment.write(`store of ${JSON.stringify(id)}`, () => records.put(id, bytes));
    },

    async list() {
      environment.assertOpen();
      const records = existing();
      if (records === undefined) return [];
      return environment.read(() => [...records.getKeys()].filter((key): key is string => typeof key === "string" && key !== ""));
    },

    async delete(id) {
      environment.assertOpen();
      const records = id === "" ? undefined : existing();
      if (records === undefined) return false;
      try {
        // IF_EXISTS makes the removal conditional, so its result says whether the id was there.
        return await environment.write(`delete of ${JSON.stringify(id)}`, () => records.remove(id, lmdbModule().IF_EXISTS));
      } catch (err) {
        // An id LMDB refuses as a key (too long) cannot have been stored.
        if (StorageError.is(err, "invalid")) return false;
        throw err;
      }
    },

    async clear() {
      environment.assertOpen();
      const records = existing();
      if (records === undefined) return 0;
      return environment.write("clear", () =>
        environment.transaction(() => {
          const count = records.getCount();
          // Inside a transaction this runs at once, in it (mdb_drop, keeping the sub-database).
          void records.clearAsync();
          return count;
        }),
      );
    },
  };
}

function decode(id: string, stored: Uint8Array): Publication {
  // lmdb-js returns a fresh Buffer; view it as a plain Uint8Array so `body` is one too.
  const bytes = new Uint8Array(stored.buffer, stored.byteOffset, stored.byteLength);
  return decodeStoredPublication(id, bytes, (record) => fromBinary(PublicationSchema, record));
}

/** Whether `text` has a surrogate code unit without its pair (String.prototype.isWellFormed, ES2024). */
function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}
