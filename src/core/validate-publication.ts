import type { Publication } from "../gen/smartcore/traits/publication_pb.js";

/**
 * Why a publication from the server cannot be accepted for the cache of
 * `expectedId`, or `undefined` when it can. A rejected value is never stored
 * nor delivered: a buggy or misrouted server must not overwrite a good value.
 */
export function rejectionReason(publication: Publication | undefined, expectedId: string): string | undefined {
  if (publication === undefined) return "the server sent a change without a publication";
  if (publication.id === "") return "the server sent a publication with an empty id";
  if (publication.id !== expectedId) {
    return `the server sent publication ${JSON.stringify(publication.id)} for ${JSON.stringify(expectedId)}`;
  }
  return undefined;
}
