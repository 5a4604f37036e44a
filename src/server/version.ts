import { createHash } from "node:crypto";
import type { Publication } from "../gen/smartcore/traits/publication_pb.js";

/**
 * The version the reference (Go model) server mints: the hex MD5 of "v1", the
 * id, the body, the media type and the audience name. Identical content
 * therefore always gets the same version, whatever its publish time or
 * receipt. Clients must still treat versions as opaque strings.
 */
export function mintVersion(publication: Publication): string {
  const hash = createHash("md5");
  hash.update("v1");
  hash.update(publication.id);
  hash.update(publication.body);
  hash.update(publication.mediaType);
  hash.update(publication.audience?.name ?? "");
  return hash.digest("hex");
}
