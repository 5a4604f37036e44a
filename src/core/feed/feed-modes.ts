/**
 * How a feed follows its device, best first:
 * - `collection`: one PullPublications stream for the whole device;
 * - `per-publication`: one PullPublication stream per wanted publication
 *   (servers without PullPublications; each stream holds a connection);
 * - `polling`: one ListPublications per poll interval for the whole device,
 *   plus GetPublication for what changed (servers that stream nothing, such
 *   as the database-backed one).
 */
export type FeedMode = "collection" | "per-publication" | "polling";

const ORDER: readonly FeedMode[] = ["collection", "per-publication", "polling"];

/**
 * What the feed learnt of the server: which modes answered UNIMPLEMENTED,
 * and when. A verdict is believed for `reprobeMs` only — servers get
 * upgraded — after which the better mode is tried again.
 */
export class FeedModes {
  readonly #unsupportedAt = new Map<FeedMode, number>();

  /** `order`: the modes this feed may use, best first; the last is the one never refused. */
  constructor(
    private readonly reprobeMs: number,
    private readonly order: readonly FeedMode[] = ORDER,
  ) {}

  get #last(): FeedMode {
    return this.order.at(-1) ?? "polling";
  }

  /** The best mode not (recently) refused. The last one (`polling` for a device) is never refused. */
  choose(now: number): FeedMode {
    return this.order.find((mode) => mode === this.#last || !this.#refused(mode, now)) ?? this.#last;
  }

  markUnsupported(mode: FeedMode, now: number): void {
    if (mode !== this.#last) this.#unsupportedAt.set(mode, now);
  }

  /** When a mode better than `mode` is due to be tried again; `undefined` when none is refused. */
  reprobeAt(mode: FeedMode): number | undefined {
    const better = this.order.slice(0, this.order.indexOf(mode));
    const due = better.map((m) => this.#unsupportedAt.get(m)).filter((at): at is number => at !== undefined);
    return due.length === 0 ? undefined : Math.min(...due) + this.reprobeMs;
  }

  #refused(mode: FeedMode, now: number): boolean {
    const at = this.#unsupportedAt.get(mode);
    return at !== undefined && now < at + this.reprobeMs;
  }
}
