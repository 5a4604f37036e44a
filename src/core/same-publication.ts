import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import { encodedPublication } from "./encoded-publication.js";
import { sameEncoding } from "./same-encoding.js";

/**
 * True when two publications are the same value (see `sameEncoding`). The
 * version is compared first only because it is cheap; versions are opaque
 * and compared for equality only, never ordered.
 */
export function samePublication(a: Publication, b: Publication): boolean {
  if (a === b) return true;
  if (a.version !== b.version) return false;
  // The held value's bytes were made when it came in; only the newcomer is encoded (once, for every later use too).
  return sameEncoding(encodedPublication(a), encodedPublication(b));
}
