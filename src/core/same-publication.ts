import { toBinary } from "@bufbuild/protobuf";
import { PublicationSchema, type Publication } from "../gen/smartcore/traits/publication_pb.js";

/**
 * True when two publications are the same value: same version and the same
 * encoded bytes (unknown fields included). Versions are compared for equality
 * only — they are opaque, never ordered.
 */
export function samePublication(a: Publication, b: Publication): boolean {
  if (a === b) return true;
  if (a.version !== b.version) return false;
  return bytesEqual(toBinary(PublicationSchema, a), toBinary(PublicationSchema, b));
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
