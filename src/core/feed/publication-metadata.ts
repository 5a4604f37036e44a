import { clone, equals } from "@bufbuild/protobuf";
import { TimestampSchema } from "@bufbuild/protobuf/wkt";
import { Publication_AudienceSchema, PublicationSchema, type Publication } from "../../gen/smartcore/traits/publication_pb.js";

/**
 * What a device feed asks the server for in its stream: every field but the
 * body. A device may hold hundreds of publications (one configuration per
 * device of a site) while a screen shows a few, so a reconnect costs one
 * small record per publication, plus the bodies of those that changed.
 */
export const METADATA_READ_MASK = { paths: ["id", "version", "publish_time", "media_type", "audience"] };

/** Only the ids: enough to learn which publications exist. */
export const ID_READ_MASK = { paths: ["id"] };

/**
 * True when `meta` (a masked change or list entry) describes exactly the
 * held value: same version, publish time, media type and audience.
 * Versions are compared for equality only, never ordered.
 */
export function sameMetadata(held: Publication, meta: Publication): boolean {
  return (
    held.version === meta.version &&
    held.mediaType === meta.mediaType &&
    sameOptional(held.publishTime, meta.publishTime, (a, b) => equals(TimestampSchema, a, b)) &&
    sameOptional(held.audience, meta.audience, (a, b) => equals(Publication_AudienceSchema, a, b))
  );
}

/**
 * The held value with `meta`'s metadata. Only for a `meta` of the same
 * version: a server mints a new version whenever the content changes, so the
 * same version means the same body, and an acknowledgement (a new receipt)
 * or an identical re-publish (a new publish time) needs no download.
 */
export function withMetadata(held: Publication, meta: Publication): Publication {
  const next = clone(PublicationSchema, held);
  next.publishTime = meta.publishTime && clone(TimestampSchema, meta.publishTime);
  next.mediaType = meta.mediaType;
  next.audience = meta.audience && clone(Publication_AudienceSchema, meta.audience);
  return next;
}

function sameOptional<T>(a: T | undefined, b: T | undefined, same: (a: T, b: T) => boolean): boolean {
  if (a === undefined || b === undefined) return a === b;
  return same(a, b);
}

/** The publication without its body: what the index keeps (it holds every publication of the device). */
export function withoutBody(publication: Publication): Publication {
  const next = clone(PublicationSchema, publication);
  next.body = new Uint8Array(0);
  return next;
}
