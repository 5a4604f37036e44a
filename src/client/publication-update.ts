import type { CacheError, CacheState, CachedValue } from "../core/cache-types.js";
import type { PageEntry } from "../storage/idb/idb-reader.js";

/** What a subscriber of one publication id receives. */
export interface PublicationUpdate {
  readonly id: string;
  /** The latest value known, `undefined` until there is one. */
  readonly value: CachedValue | undefined;
  /** What the cache is doing to keep it fresh. Before the host answers: `connecting`. */
  readonly state: CacheState;
  /**
   * The latest problem the state does not show — e.g. the server sent an
   * invalid publication (`invalid-publication`, not stored, not shown) or
   * storage failed. Absent once the server delivers or confirms a value.
   */
  readonly lastError?: CacheError;
}

/** A stored entry as a value, for the first paint before the host answers. */
export function valueFromStorage(entry: PageEntry): CachedValue {
  return { publication: entry.publication, source: "storage", receivedAt: entry.storedAt, lastConfirmedAt: undefined };
}

/**
 * What, besides the value itself, makes two updates different to a viewer:
 * its freshness, the state and the last error. (Values are compared by their
 * bytes: `sameEncoding`.) Subscribers are called only when one of them
 * changes, so a value is never shown twice (host snapshots repeat, e.g. to
 * greet a new tab or after a worker restart).
 */
export function freshnessSignature(update: PublicationUpdate): string {
  const state = update.state;
  return JSON.stringify([
    update.value?.lastConfirmedAt,
    state.kind,
    state.kind === "retrying" ? state.nextAttemptAt : undefined,
    update.lastError?.code,
    update.lastError?.at,
  ]);
}
