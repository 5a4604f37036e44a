import { toBinary } from "@bufbuild/protobuf";
import { PublicationSchema, type Publication } from "../gen/smartcore/traits/publication_pb.js";
import { sameEncoding } from "./same-encoding.js";

/**
 * True when two publications are the same value (see `sameEncoding`). The
 * version is compared first only because it is cheap; versions are opaque
 * and compared for equality only, never ordered.
 */
export function samePublication(a: Publication, b: Publication): boolean {
  if (a === b) return true;
  if (a.version !== b.version) return false;
  return sameEncoding(toBinary(PublicationSchema, a), toBinary(PublicationSchema, b));
}
