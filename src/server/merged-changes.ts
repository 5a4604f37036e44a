import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import { ChangeType } from "../gen/smartcore/types/change_pb.js";
import type { PendingItems } from "./mailbox.js";

/** A change as a PullPublications stream sends it: the store's ADD / UPDATE / REMOVE, or a merged REPLACE. */
export interface CollectionChange {
  readonly id: string;
  readonly type: ChangeType.ADD | ChangeType.UPDATE | ChangeType.REMOVE | ChangeType.REPLACE;
  /** Undefined for ADD. */
  readonly oldValue: Publication | undefined;
  /** Undefined for REMOVE. */
  readonly newValue: Publication | undefined;
  readonly changeTime: number;
}

/**
 * One change that says what `pending` followed by `next` (both for the same
 * id) say together, or `undefined` when together they say nothing (an ADD
 * then a REMOVE). The rules of the reference server (sc-golang
 * `resource.mergeChanges`): the old value is the one the receiver last saw
 * (the first change's), the new value and the time are the latest's, and
 * the type follows from whether the id existed before and exists after:
 *
 * | pending \ next | ADD     | UPDATE  | REMOVE  |
 * |---|---|---|---|
 * | ADD     | ADD     | ADD     | nothing |
 * | UPDATE  | REPLACE | UPDATE  | REMOVE  |
 * | REPLACE | REPLACE | REPLACE | REMOVE  |
 * | REMOVE  | REPLACE | REPLACE | REMOVE  |
 */
export function mergeChanges(pending: CollectionChange, next: CollectionChange): CollectionChange | undefined {
  if (pending.type === ChangeType.ADD) {
    if (next.type === ChangeType.REMOVE) return undefined;
    // The receiver never saw the id: whatever happened since, it is still new to it.
    return { ...next, type: ChangeType.ADD, oldValue: undefined };
  }
  // The receiver still holds pending's old value: the merged change starts from it.
  let type: CollectionChange["type"] = ChangeType.REPLACE;
  if (next.type === ChangeType.REMOVE) type = ChangeType.REMOVE;
  else if (pending.type === ChangeType.UPDATE && next.type === ChangeType.UPDATE) type = ChangeType.UPDATE;
  return { ...next, type, oldValue: pending.oldValue };
}

/**
 * The pending changes of a PullPublications stream whose receiver is behind:
 * at most one per id, merged with {@link mergeChanges}, handed out in the
 * order in which each id first became pending. A receiver that keeps up
 * takes every change before the next arrives, so it sees every change.
 * Memory is bounded by the number of ids, not the number of changes.
 */
export class MergedChanges implements PendingItems<CollectionChange> {
  // A Map iterates in insertion order, and replacing a key's value keeps its place.
  readonly #byId = new Map<string, CollectionChange>();

  push(change: CollectionChange): void {
    const pending = this.#byId.get(change.id);
    if (pending === undefined) {
      this.#byId.set(change.id, change);
      return;
    }
    const merged = mergeChanges(pending, change);
    if (merged === undefined) this.#byId.delete(change.id);
    else this.#byId.set(change.id, merged);
  }

  shift(): CollectionChange | undefined {
    for (const [id, change] of this.#byId) {
      this.#byId.delete(id);
      return change;
    }
    return undefined;
  }

  get size(): number {
    return this.#byId.size;
  }
}
