import type { PullPublicationsResponse_Change } from "../../gen/smartcore/traits/publication_pb.js";
import { ChangeType } from "../../gen/smartcore/types/change_pb.js";
import type { CollectionAttempt } from "./collection-attempt.js";

/**
 * Applies one PullPublications change. Changes carry metadata only (the
 * stream asks for no bodies; bodies are downloaded for wanted publications
 * whose version differs from what is held), or whole values for a small
 * device (see `StreamShape`).
 * - ADD / UPDATE: the publication exists with this metadata.
 * - An UPDATE whose new value has no id, or another id than its old value:
 *   not this publication — rejected for the old value's id (reported as
 *   `invalid-publication` when it is wanted; never stored or shown).
 * - REPLACE: a REMOVE and an ADD merged for a slow receiver; if the ids
 *   differ, the old one is gone.
 * - REMOVE: gone; a wanted one becomes `removed`, its last value kept.
 * A change with no usable id is logged and skipped: it says nothing we can use.
 */
export function applyChange(attempt: CollectionAttempt, change: PullPublicationsResponse_Change): void {
  const { logger, device } = attempt.ctx;
  switch (change.type) {
    case ChangeType.ADD:
    case ChangeType.UPDATE:
    case ChangeType.REPLACE: {
      const meta = change.newValue;
      const oldId = change.oldValue?.id;
      if (change.type === ChangeType.UPDATE && oldId && meta && meta.id !== oldId) {
        attempt.invalidChangeOf(oldId, meta);
        return;
      }
      if (!meta || meta.id === "") {
        logger.warn("skipped a change without a publication id", { device, type: change.type });
        return;
      }
      if (change.type === ChangeType.REPLACE && oldId && oldId !== meta.id) attempt.removed(oldId);
      attempt.described(meta);
      return;
    }
    case ChangeType.REMOVE: {
      const id = change.oldValue?.id;
      if (!id) {
        logger.warn("skipped a REMOVE without a publication id", { device });
        return;
      }
      attempt.removed(id);
      return;
    }
    default:
      logger.warn("skipped a change of unknown type", { device, type: change.type });
  }
}
