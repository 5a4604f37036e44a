import type { CacheSnapshot, PublicationCache } from "../cache-types.js";

/** Hears every snapshot of every publication claimed on a feed, with its id. */
export type FeedListener = (id: string, snapshot: CacheSnapshot) => void;

/**
 * What a host claims on a feed: a set of ids, each wanted or not (the host
 * counts its tabs; the feed only needs to know whether anyone does), and one
 * listener for all of them. Each claim is a view of the feed, so a claimed
 * publication shares its held value with views opened by `open`.
 */
export class FeedClaims {
  readonly #claimed = new Map<string, { readonly view: PublicationCache; readonly unwatch: () => void }>();
  #listener: FeedListener | undefined;

  constructor(private readonly open: (id: string) => PublicationCache) {}

  want(id: string): void {
    if (this.#claimed.has(id)) return;
    const view = this.open(id);
    const unwatch = view.watch((snapshot) => this.#listener?.(id, snapshot));
    this.#claimed.set(id, { view, unwatch });
  }

  unwant(id: string): void {
    const claim = this.#claimed.get(id);
    if (!claim) return;
    this.#claimed.delete(id);
    // Stop listening first: the host must not hear the `closed` snapshot of a claim it merely dropped.
    claim.unwatch();
    claim.view.close();
  }

  listen(listener: FeedListener): () => void {
    this.#listener = listener;
    return () => {
      if (this.#listener === listener) this.#listener = undefined;
    };
  }

  ids(): string[] {
    return [...this.#claimed.keys()];
  }

  /** The feed closes: nobody hears of it (its values stay stored). */
  close(): void {
    this.#listener = undefined;
    for (const id of this.ids()) this.unwant(id);
  }
}
