import { clone } from "@bufbuild/protobuf";
import { PublicationSchema, type Publication } from "../gen/smartcore/traits/publication_pb.js";
import { ChangeType } from "../gen/smartcore/types/change_pb.js";

/** A publication as the server holds it, with the time of its last change (ms). */
export interface StoredPublication {
  readonly publication: Publication;
  readonly changedAt: number;
}

/** One change to the collection, with the values before and after. */
export interface PublicationChange {
  readonly id: string;
  readonly type: ChangeType.ADD | ChangeType.UPDATE | ChangeType.REMOVE;
  /** Undefined for ADD. */
  readonly oldValue: Publication | undefined;
  /** Undefined for REMOVE. */
  readonly newValue: Publication | undefined;
  readonly changeTime: number;
}

export type ChangeListener = (change: PublicationChange) => void;

/**
 * The server's publications in memory, and the feed of their changes. It
 * holds no rules (versions, errors): the service decides what to write, and
 * writes the file first. Values are copied in; values handed out are shared
 * and must not be modified.
 */
export class PublicationStore {
  readonly #entries = new Map<string, StoredPublication>();
  readonly #listeners = new Set<ChangeListener>();

  constructor(initial: Iterable<StoredPublication> = []) {
    for (const entry of initial) this.#entries.set(entry.publication.id, entry);
  }

  get(id: string): StoredPublication | undefined {
    return this.#entries.get(id);
  }

  /** Every publication, sorted by id in UTF-8 byte order (as the Go server sorts). */
  list(): StoredPublication[] {
    return [...this.#entries.values()].sort((a, b) => compareIds(a.publication.id, b.publication.id));
  }

  /** Adds or replaces the publication with this id and notifies listeners (ADD or UPDATE). */
  put(publication: Publication, changeTime: number): PublicationChange {
    const newValue = clone(PublicationSchema, publication);
    const old = this.#entries.get(newValue.id);
    this.#entries.set(newValue.id, { publication: newValue, changedAt: changeTime });
    return this.#emit({
      id: newValue.id,
      type: old === undefined ? ChangeType.ADD : ChangeType.UPDATE,
      oldValue: old?.publication,
      newValue,
      changeTime,
    });
  }

  /** Removes the publication and notifies listeners (REMOVE); `undefined` when there was none. */
  remove(id: string, changeTime: number): PublicationChange | undefined {
    const old = this.#entries.get(id);
    if (old === undefined) return undefined;
    this.#entries.delete(id);
    return this.#emit({ id, type: ChangeType.REMOVE, oldValue: old.publication, newValue: undefined, changeTime });
  }

  /** Calls `listener` for every later change, synchronously; returns the unsubscribe function. */
  subscribe(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(change: PublicationChange): PublicationChange {
    for (const listener of this.#listeners) listener(change);
    return change;
  }
}

/** Orders ids by UTF-8 bytes (code points), not UTF-16 code units, to match Go's string order. */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, "utf8"), Buffer.from(b, "utf8"));
}
