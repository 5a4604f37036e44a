import type { Publication } from "../gen/smartcore/traits/publication_pb.js";

type Callback = (publications: readonly Publication[]) => void;

/**
 * The tab's watchers of its whole device (fleet views): one watch on the
 * host however many callbacks, the last list kept so a newcomer gets it at
 * once, and the watch ended with the last callback.
 */
export class DeviceWatchers {
  readonly #callbacks = new Set<Callback>();
  #last: readonly Publication[] | undefined;

  constructor(
    private readonly start: () => void,
    private readonly stop: () => void,
  ) {}

  get watching(): boolean {
    return this.#callbacks.size > 0;
  }

  add(callback: Callback): () => void {
    this.#callbacks.add(callback);
    if (this.#callbacks.size === 1) this.start();
    const last = this.#last;
    if (last) queueMicrotask(() => this.#callbacks.has(callback) && callback(last));
    return () => {
      if (!this.#callbacks.delete(callback)) return;
      if (this.#callbacks.size === 0) {
        this.#last = undefined;
        this.stop();
      }
    };
  }

  /** The host sent the device's publications. */
  deliver(publications: readonly Publication[]): void {
    if (!this.watching) return;
    this.#last = publications;
    for (const callback of [...this.#callbacks]) {
      try {
        callback(publications);
      } catch {
        // One watcher's failure is its own; the others still get the list.
      }
    }
  }
}
