/** What a mailbox keeps between a push and the matching take: its rule for a receiver that falls behind. */
export interface PendingItems<T> {
  push(item: T): void;
  /** The next item to hand out, removed; `undefined` when none is pending. */
  shift(): T | undefined;
}

/**
 * A one-consumer queue between a change feed and a stream handler.
 *
 * - `every`: keeps every item, in order.
 * - `latest`: keeps only the newest item not yet taken, so a slow receiver
 *   skips intermediate values but always ends with the latest
 *   (PullPublication, as the spec allows).
 * - any {@link PendingItems}: its own rule, e.g. merging the pending changes
 *   of one id (PullPublications: `MergedChanges`).
 */
export class Mailbox<T> {
  readonly #pending: PendingItems<T>;
  #closed = false;
  #wake: (() => void) | undefined;

  constructor(mode: "every" | "latest" | PendingItems<T>) {
    this.#pending = mode === "every" ? new EveryItem<T>() : mode === "latest" ? new LatestItem<T>() : mode;
  }

  /** Queues an item; ignored once the mailbox is closed. */
  push(item: T): void {
    if (this.#closed) return;
    this.#pending.push(item);
    this.#wake?.();
  }

  /** No more items: `take` drains what is queued, then reports the end. */
  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  /**
   * The next item, waiting for one if needed. Resolves to `undefined` when the
   * mailbox is closed and drained, or as soon as `signal` aborts.
   */
  async take(signal: AbortSignal): Promise<T | undefined> {
    for (;;) {
      if (signal.aborted) return undefined;
      const next = this.#pending.shift();
      if (next !== undefined) return next;
      if (this.#closed) return undefined;
      let onAbort: () => void = () => {};
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
        onAbort = resolve;
        signal.addEventListener("abort", onAbort, { once: true });
      });
      // A long stream waits many times: drop each listener, or they pile up on the signal.
      signal.removeEventListener("abort", onAbort);
      this.#wake = undefined;
    }
  }
}

class EveryItem<T> implements PendingItems<T> {
  #items: T[] = [];
  push(item: T): void {
    this.#items.push(item);
  }
  shift(): T | undefined {
    return this.#items.shift();
  }
}

class LatestItem<T> implements PendingItems<T> {
  #item: { value: T } | undefined;
  push(item: T): void {
    this.#item = { value: item };
  }
  shift(): T | undefined {
    const item = this.#item;
    this.#item = undefined;
    return item?.value;
  }
}
