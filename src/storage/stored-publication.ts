import { StorageError } from "../core/storage-error.js";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";

/** Bytes to publication; throws when they are not one. */
export type PublicationDecoder = (bytes: Uint8Array) => Publication;

/**
 * The publication stored under `id`, from its bytes: every storage's `load`
 * ends here. Throws `StorageError('corrupt')` when the bytes do not decode,
 * or decode to another id (a record written under the wrong key, or a file
 * left empty by a write that died).
 *
 * `decode` is the runtime's decoder: protobuf-es's `fromBinary` where the
 * protobuf runtime is loaded anyway, the hand-written `decodePublication`
 * in pages (which never load it).
 */
export function decodeStoredPublication(id: string, bytes: Uint8Array, decode: PublicationDecoder): Publication {
  let publication: Publication;
  try {
    publication = decode(bytes);
  } catch (cause) {
    throw new StorageError("corrupt", `stored publication ${JSON.stringify(id)} does not decode`, { cause });
  }
  if (publication.id !== id) {
    throw new StorageError("corrupt", `stored publication ${JSON.stringify(id)} holds id ${JSON.stringify(publication.id)}`);
  }
  return publication;
}
