import type { CacheState, ValueSource } from "../cache-types.js";
import type { HeldPublication } from "../held-publication.js";
import type { Knowledge } from "./index-knowledge.js";
import { sameMetadata, withMetadata } from "./publication-metadata.js";
import type { ValueFetcher } from "./value-fetcher.js";

/** What reconciling one publication needs to know of its attempt. */
export interface ReconcileScope {
  readonly fetcher: ValueFetcher;
  /** The state a publication that exists is in during this attempt (`live`, `polling`). */
  readonly state: CacheState;
  readonly source: Exclude<ValueSource, "storage">;
}

/**
 * Brings one held publication in line with what the server says of it:
 * - same version and metadata → the held value is confirmed;
 * - same version, other metadata (an acknowledgement, an identical
 *   re-publish) → the metadata is taken over, no download: a server mints
 *   a new version whenever the content changes;
 * - another version, nothing held, or only an earlier stream's word → the
 *   full value is downloaded;
 * - absent from a complete index → deleted: `removed`, the last value kept.
 * Returns whether the server vouched for what is held.
 */
export function reconcile(held: HeldPublication, knowledge: Knowledge, scope: ReconcileScope): boolean {
  // Decided once the stored value is loaded, or a download would race it.
  if (!held.loaded) return false;
  switch (knowledge.kind) {
    case "pending":
      return false;
    case "absent":
      held.model.setState({ kind: "removed" });
      return false;
    case "stale":
      scope.fetcher.request(held.id);
      return false;
    case "meta":
      break;
  }
  const { meta } = knowledge;
  const value = held.value?.publication;
  if (!value || value.version !== meta.version || scope.fetcher.pending(held.id)) {
    scope.fetcher.request(held.id);
    return false;
  }
  if (sameMetadata(value, meta)) held.model.confirm();
  else held.accept(withMetadata(value, meta), scope.source);
  leaveRemoved(held, scope.state);
  return true;
}

/** A publication the server delivered again is no longer `removed`. */
export function leaveRemoved(held: HeldPublication, state: CacheState): void {
  if (held.model.state.kind === "removed") held.model.setState(state);
}
