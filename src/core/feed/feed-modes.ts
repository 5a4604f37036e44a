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

  constructor(private readonly reprobeMs: number) {}

  /** The best mode not (recently) refused. `polling` is never refused. */
  choose(now: number): FeedMode {
    return ORDER.find((mode) => mode === "polling" || !this.#refused(mode, now)) ?? "polling";
  }

  markUnsupported(mode: FeedMode, now: number): void {
    if (mode !== "polling") this.#unsupportedAt.set(mode, now);
  }

  /** When a mode better than `mode` is due to be tried again; `undefined` when none is refused. */
  reprobeAt(mode: FeedMode): number | undefined {
    const better = ORDER.slice(0, ORDER.indexOf(mode));
    const due = better.map((m) => this.#unsupportedAt.get(m)).filter((at): at is number => at !== undefined);
    return due.length === 0 ? undefined : Math.min(...due) + this.reprobeMs;
  }

  #refused(mode: FeedMode, now: number): boolean {
    const at = this.#unsupportedAt.get(mode);
    return at !== undefined && now < at + this.reprobeMs;
  }
}
