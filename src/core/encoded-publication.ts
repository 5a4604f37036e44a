import { toBinary } from "@bufbuild/protobuf";
import { PublicationSchema, type Publication } from "../gen/smartcore/traits/publication_pb.js";

/**
 * A committed value's encoded bytes, made once: comparing (`samePublication`),
 * storing, broadcasting to tabs and device watching all ask here, so a value
 * is encoded once however many layers look at it (a 4 MB floor plan used to
 * be encoded three or four times in the host, and again for every snapshot
 * sent). Keyed by the publication object, which the cache never changes once
 * it holds it; a changed publication is always a new object.
 */
const encodings = new WeakMap<Publication, Uint8Array>();
let encodes = 0;
let asks = 0;

/** The binary protobuf of `publication`, encoded on the first call only. The bytes are shared: do not change them. */
export function encodedPublication(publication: Publication): Uint8Array {
  asks += 1;
  let bytes = encodings.get(publication);
  if (!bytes) {
    bytes = toBinary(PublicationSchema, publication);
    encodings.set(publication, bytes);
    encodes += 1;
  }
  return bytes;
}

/** How many whole publications this runtime encoded so far (diagnostics; `npm run bench` reads it). */
export function publicationEncodes(): number {
  return encodes;
}

/** How many times a layer asked for a publication's bytes (each was an encode before values kept theirs; the bench's baseline). */
export function encodedPublicationAsks(): number {
  return asks;
}
