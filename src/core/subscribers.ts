import type { Publication } from "../gen/smartcore/traits/publication_pb.js";
import type { CacheSnapshot, CachedValue } from "./cache-types.js";
import type { Logger } from "./logger.js";

interface ValueEntry {
  readonly listener: (value: CachedValue) => void;
  /** The publication this listener saw last; compared by reference (the model keeps the object of an identical value). */
  last: Publication | undefined;
}

interface SnapshotEntry {
  readonly listener: (snapshot: CacheSnapshot) => void;
  last: CacheSnapshot | undefined;
}

/**
 * Delivers a cache's value and snapshot to its listeners with the Go `Pull`
 * semantics: the current value first, then updates; a listener that has not
 * caught up only gets the latest; never the same value twice in a row.
 *
 * Delivery happens in a microtask after a change, coalescing the changes of
 * one tick: listeners may unsubscribe or close the cache from inside a
 * callback, and a listener that throws is logged without affecting others.
 */
export class Subscribers {
  readonly #valueEntries = new Set<ValueEntry>();
  readonly #snapshotEntries = new Set<SnapshotEntry>();
  readonly #iteratorWakers = new Set<() => void>();
  #flushScheduled = false;
  #closed = false;

  constructor(
    private readonly current: () => CacheSnapshot,
    private readonly logger: Logger,
  ) {}

  /** Number of registered listeners and open iterators; 0 after `close()`. */
  get size(): number {
    return this.#valueEntries.size + this.#snapshotEntries.size + this.#iteratorWakers.size;
  }

  subscribe(listener: (value: CachedValue) => void): () => void {
    if (this.#closed) return () => {};
    const entry: ValueEntry = { listener, last: undefined };
    this.#valueEntries.add(entry);
    this.changed();
    return () => this.#valueEntries.delete(entry);
  }

  watch(listener: (snapshot: CacheSnapshot) => void): () => void {
    if (this.#closed) return () => {};
    const entry: SnapshotEntry = { listener, last: undefined };
    this.#snapshotEntries.add(entry);
    this.changed();
    return () => this.#snapshotEntries.delete(entry);
  }

  /**
   * The values as an async iterable: the current one first (or the first to
   * arrive), then the latest each time the consumer asks again. Ends when
   * `signal` aborts or the cache closes.
   */
  async *values(signal?: AbortSignal): AsyncGenerator<CachedValue, void, undefined> {
    let seen: Publication | undefined;
    let wake: (() => void) | undefined;
    const waker = () => wake?.();
    this.#iteratorWakers.add(waker);
    signal?.addEventListener("abort", waker);
    try {
      for (;;) {
        if (this.#closed || signal?.aborted) return;
        const value = this.current().value;
        if (value && value.publication !== seen) {
          seen = value.publication;
          yield value;
          continue;
        }
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      this.#iteratorWakers.delete(waker);
      signal?.removeEventListener("abort", waker);
    }
  }

  /** Something in the snapshot changed: schedule a delivery. */
  changed(): void {
    for (const wakeIterator of [...this.#iteratorWakers]) wakeIterator();
    if (this.#flushScheduled || this.#closed) return;
    this.#flushScheduled = true;
    void Promise.resolve().then(() => {
      this.#flushScheduled = false;
      if (!this.#closed) this.#flush();
    });
  }

  /**
   * Delivers the final snapshot to the watchers at once, ends every iterator
   * and forgets every listener: nothing is delivered after this.
   */
  close(): void {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    for (const wakeIterator of [...this.#iteratorWakers]) wakeIterator();
    this.#valueEntries.clear();
    this.#snapshotEntries.clear();
  }

  #flush(): void {
    const snapshot = this.current();
    const value = snapshot.value;
    for (const entry of [...this.#valueEntries]) {
      if (!value || value.publication === entry.last || !this.#valueEntries.has(entry)) continue;
      entry.last = value.publication;
      this.#call(() => entry.listener(value));
    }
    for (const entry of [...this.#snapshotEntries]) {
      if (snapshot === entry.last || !this.#snapshotEntries.has(entry)) continue;
      entry.last = snapshot;
      this.#call(() => entry.listener(snapshot));
    }
  }

  #call(deliver: () => void): void {
    try {
      deliver();
    } catch (err) {
      this.logger.error("cache listener threw", { error: err instanceof Error ? err.message : String(err) });
    }
  }
}
