import type { CacheState } from "../cache-types.js";
import type { HeldPublication } from "../held-publication.js";

/** What the running attempt wants to hear about the set of wanted publications. */
export interface WantedListener {
  added(held: HeldPublication): void;
  removed(held: HeldPublication): void;
  /** Someone started or stopped watching the whole device (see {@link WantedPublications.demanded}). */
  demandChanged?(): void;
}

/**
 * The publications of the device that someone is subscribed to, each held
 * once however many views share it. The running attempt listens, so adding
 * or dropping a publication never restarts the stream.
 */
export class WantedPublications {
  readonly #held = new Map<string, HeldPublication>();
  #listener: WantedListener | undefined;
  #deviceWatchers = 0;
  /** What the feed last said of all of them: a publication wanted later starts in it. */
  #state: CacheState = { kind: "connecting" };

  get size(): number {
    return this.#held.size;
  }

  /** True while anything is wanted: a publication, or the whole device's metadata (a fleet view). */
  get demanded(): boolean {
    return this.#held.size > 0 || this.#deviceWatchers > 0;
  }

  /** True while someone watches every publication of the device. */
  get deviceWatched(): boolean {
    return this.#deviceWatchers > 0;
  }

  /** One more watcher of the whole device; returns the function that ends it. */
  watchDevice(): () => void {
    this.#deviceWatchers++;
    this.#listener?.demandChanged?.();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.#deviceWatchers--;
      this.#listener?.demandChanged?.();
    };
  }

  get(id: string): HeldPublication | undefined {
    return this.#held.get(id);
  }

  all(): HeldPublication[] {
    return [...this.#held.values()];
  }

  ids(): string[] {
    return [...this.#held.keys()];
  }

  /**
   * A publication is wanted from now on. It takes the feed's current state
   * (a publication wanted while the feed waits for credentials is waiting
   * for them too), then the running attempt, if any, takes it from there.
   */
  add(held: HeldPublication): void {
    this.#held.set(held.id, held);
    if (held.model.state.kind !== "removed") held.model.setState(this.#state);
    this.#listener?.added(held);
  }

  remove(held: HeldPublication): void {
    if (this.#held.get(held.id) !== held) return;
    this.#held.delete(held.id);
    this.#listener?.removed(held);
  }

  /** One listener at a time: the attempt that runs now. Returns the function that stops listening. */
  listen(listener: WantedListener): () => void {
    this.#listener = listener;
    return () => {
      if (this.#listener === listener) this.#listener = undefined;
    };
  }

  /**
   * Sets the state of every wanted publication, except that `removed` stays
   * until the server delivers that publication again (a stream for a deleted
   * publication says nothing, and the flag must not flicker away).
   */
  setStates(state: CacheState): void {
    this.#state = state;
    for (const held of this.#held.values()) {
      if (held.model.state.kind !== "removed") held.model.setState(state);
    }
  }
}
