import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";
import { linkedAbort } from "../abort-link.js";
import type { CacheState } from "../cache-types.js";
import type { FeedAttemptEnd, FeedContext, FeedProgress } from "./feed-context.js";
import { knowledgeOf } from "./index-knowledge.js";
import { withoutBody } from "./publication-metadata.js";
import { leaveRemoved, reconcile, type ReconcileScope } from "./reconcile.js";
import { ValueFetcher } from "./value-fetcher.js";

const LIVE: CacheState = { kind: "live" };

/**
 * The state of one PullPublications attempt, shared by the stream reader,
 * the snapshot settling and the liveness check (each in its own file).
 */
export class CollectionAttempt {
  readonly #abort;
  readonly fetcher: ValueFetcher;
  readonly scope: ReconcileScope;
  /** Messages received on the stream so far. */
  messages = 0;
  /** Clock time of the last message, or of the start. */
  lastMessageAt: number;
  firstMessageAt: number | undefined;
  /** True once the index holds every publication of the device (the snapshot settled). */
  indexComplete = false;
  /** This stream carries bodies (see stream-shape.ts): a change is the value itself. */
  readonly fullValues: boolean;
  /**
   * This stream asked for changes only (no opening snapshot of the device):
   * wanted publications are read one by one once it is open (wanted-opening.ts).
   */
  readonly updatesOnly: boolean;
  /** In `updatesOnly`: the opening reads have been asked for; a publication wanted from now on is read at once. */
  opened = false;
  #verdict: FeedAttemptEnd | undefined;
  #onFirstMessage: () => void = () => undefined;
  /** Resolves at the first message. */
  readonly firstMessage: Promise<void>;

  constructor(
    readonly ctx: FeedContext,
    readonly progress: FeedProgress,
    updatesOnly = false,
  ) {
    this.#abort = linkedAbort(ctx.signal);
    this.fullValues = ctx.shape.fullValues && !updatesOnly;
    this.updatesOnly = updatesOnly;
    this.lastMessageAt = ctx.clock.now();
    this.firstMessage = new Promise((resolve) => (this.#onFirstMessage = resolve));
    this.fetcher = new ValueFetcher(ctx, this.signal, "stream", {
      delivered: (id, publication) => {
        progress.delivered = true;
        // Seen through a download only (its ADD not yet): what we now know of it.
        if (!ctx.index.current(id)) ctx.index.set(id, publication);
        const held = ctx.wanted.get(id);
        if (held) leaveRemoved(held, LIVE);
      },
      missing: (id) => {
        ctx.index.delete(id);
        ctx.wanted.get(id)?.model.setState({ kind: "removed" });
      },
      failed: (error) => this.end({ kind: "failed", error }),
    });
    this.scope = { fetcher: this.fetcher, state: LIVE, source: "stream" };
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  get verdict(): FeedAttemptEnd | undefined {
    return this.#verdict;
  }

  /** Ends the attempt with `verdict` (the first one wins) and aborts the stream and every call. */
  end(verdict: FeedAttemptEnd): void {
    if (this.#verdict) return;
    this.#verdict = verdict;
    this.#abort.abort();
  }

  /** The stream said something: it is open, every wanted publication is live. */
  received(): void {
    this.messages++;
    this.lastMessageAt = this.ctx.clock.now();
    if (this.messages === 1) {
      this.firstMessageAt = this.lastMessageAt;
      this.ctx.wanted.setStates(LIVE);
      this.#onFirstMessage();
    }
  }

  /** Reconciles the wanted publication `id` (nothing for others) with what the index says. */
  reconcileId(id: string): void {
    const held = this.ctx.wanted.get(id);
    if (this.updatesOnly && held && !this.ctx.index.current(id)) {
      // Nothing said of it on this stream: read it — once the stream is open, or the read could miss a change.
      if (this.opened && held.loaded) this.fetcher.request(id);
      return;
    }
    if (held && reconcile(held, knowledgeOf(this.ctx.index, id, this.indexComplete), this.scope)) {
      this.progress.delivered = true;
    }
  }

  /**
   * The server described `publication` (an ADD, UPDATE or REPLACE): the
   * index takes its metadata; a wanted one is reconciled — or, when the
   * stream carries bodies, taken as it is.
   */
  described(publication: Publication): void {
    const { index, wanted } = this.ctx;
    if (!this.fullValues) {
      index.set(publication.id, publication);
      this.reconcileId(publication.id);
      return;
    }
    index.set(publication.id, publication.body.length > 0 ? withoutBody(publication) : publication);
    const held = wanted.get(publication.id);
    if (held?.accept(publication, "stream")) {
      this.progress.delivered = true;
      leaveRemoved(held, LIVE);
    }
  }

  /**
   * The server sent an UPDATE of `id` whose new value is another
   * publication (or none): the index keeps what it knew, and a wanted one
   * rejects it as it rejects any value that is not its own.
   */
  invalidChangeOf(id: string, newValue: Publication): void {
    const held = this.ctx.wanted.get(id);
    if (held) held.accept(newValue, "stream"); // rejects it, logs and reports why
    else this.ctx.logger.warn("skipped an UPDATE whose new value is another publication", { device: this.ctx.device, id });
  }

  /** The server removed `id`. */
  removed(id: string): void {
    this.ctx.index.delete(id);
    const held = this.ctx.wanted.get(id);
    if (held) held.model.setState({ kind: "removed" });
  }

  /**
   * The stream told every change in order until its last message: each
   * wanted value that still agrees with the index was current then, even
   * one the stream has not mentioned for hours. Said when the stream ends,
   * so a screen that goes offline reports its data as confirmed when the
   * server was last heard, not when each value last changed. Also before
   * the opening snapshot settled: what vouches is that this stream announced
   * the id (current in the index) and told every change after it; whether
   * the snapshot is complete only matters for ids it did not announce, and
   * those are not vouched for.
   */
  vouchForHeld(): void {
    if (this.messages === 0) return;
    for (const held of this.ctx.wanted.all()) {
      const version = held.value?.publication.version;
      if (version !== undefined && this.ctx.index.current(held.id) && version === this.ctx.index.get(held.id)?.version) held.model.confirm(this.lastMessageAt);
    }
  }

  dispose(): void {
    this.#abort.abort();
    this.#abort.dispose();
  }
}
