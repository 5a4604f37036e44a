import { fromBinary, toBinary } from "@bufbuild/protobuf";
import { PublicationSchema } from "../../gen/smartcore/traits/publication_pb.js";
import { decodeFileName, encodeFileName } from "./file-name-codec.js";
import type { PublicationStorage } from "../../core/publication-storage.js";
import { StorageError } from "../../core/storage-error.js";
import type { FileDirectory } from "./file-directory.js";
import { decodeStoredPublication } from "../stored-publication.js";

/**
 * The Go `pubcache` file storage: one file per publication, named with the
 * escaped-id codec, holding the binary protobuf. Works over any
 * {@link FileDirectory} (Node fs, OPFS).
 */
export function createFileStorage(directory: FileDirectory): PublicationStorage {
  return {
    async load(id) {
      // The empty id encodes to the empty name, which is the directory itself.
      if (id === "") throw new StorageError("not-found", "no stored publication with an empty id");
      const bytes = await directory.readFile(encodeFileName(id));
      if (bytes === undefined) throw new StorageError("not-found", `no stored publication ${JSON.stringify(id)}`);
      return decodeStoredPublication(id, bytes, (stored) => fromBinary(PublicationSchema, stored));
    },

    async store(publication) {
      if (publication.id === "") throw new StorageError("invalid", "cannot store a publication with an empty id");
      // toBinary copies: later changes to the caller's object do not reach the file.
      await directory.writeFileAtomic(encodeFileName(publication.id), toBinary(PublicationSchema, publication));
    },

    async list() {
      const ids: string[] = [];
      for (const name of await directory.listFiles()) {
        const id = decodeFileName(name);
        if (id !== undefined && id !== "") ids.push(id);
      }
      return ids;
    },

    async delete(id) {
      if (id === "") return false;
      return directory.removeFile(encodeFileName(id));
    },
  };
}
