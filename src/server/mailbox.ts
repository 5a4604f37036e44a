/**
 * A one-consumer queue between a change feed and a stream handler.
 *
 * - `every`: keeps every item, in order (PullPublications: no change may be lost).
 * - `latest`: keeps only the newest item not yet taken, so a slow receiver
 *   skips intermediate values but always ends with the latest
 *   (PullPublication, as the spec allows).
 */
export class Mailbox<T> {
  readonly #mode: "every" | "latest";
  #items: T[] = [];
  #closed = false;
  #wake: (() => void) | undefined;

  constructor(mode: "every" | "latest") {
    this.#mode = mode;
  }

  /** Queues an item; ignored once the mailbox is closed. */
  push(item: T): void {
    if (this.#closed) return;
    if (this.#mode === "latest") this.#items = [item];
    else this.#items.push(item);
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
      if (this.#items.length > 0) return this.#items.shift();
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
