import { clone } from "@bufbuild/protobuf";
import { PublicationSchema, type Publication } from "../../gen/smartcore/traits/publication_pb.js";
import type { PublicationStorage } from "../../core/publication-storage.js";
import { StorageError } from "../../core/storage-error.js";

/**
 * The {@link PublicationStorage} contract in a Map, for tests and for pages
 * that must not persist anything. Values are deep-copied in and out
 * (`clone` keeps unknown fields), so callers never share an object with it.
 */
export function createMemoryStorage(): PublicationStorage {
  const values = new Map<string, Publication>();
  return {
    async load(id) {
      const value = values.get(id);
      if (value === undefined) throw new StorageError("not-found", `no stored publication ${JSON.stringify(id)}`);
      return clone(PublicationSchema, value);
    },
    async store(publication) {
      if (publication.id === "") throw new StorageError("invalid", "cannot store a publication with an empty id");
      values.set(publication.id, clone(PublicationSchema, publication));
    },
    async list() {
      return [...values.keys()];
    },
    async delete(id) {
      return values.delete(id);
    },
  };
}
