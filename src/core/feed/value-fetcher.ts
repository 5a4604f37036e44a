import { Code } from "@connectrpc/connect";
import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";
import type { ValueSource } from "../cache-types.js";
import { hasCode } from "../error-policy.js";
import type { FeedContext } from "./feed-context.js";

/** What the fetcher reports back to its attempt. */
export interface FetchOutcomes {
  /** The value arrived and was accepted. */
  delivered(id: string, publication: Publication): void;
  /** The server says the publication does not exist. */
  missing(id: string): void;
  /** A call failed for another reason: the attempt ends with it. */
  failed(error: unknown): void;
  /** Every answer, accepted or not (polling measures its bytes). */
  received?(publication: Publication): void;
  /**
   * The server said UNKNOWN: the database-backed server says so for a
   * missing row ("no rows in result set"), and for any database failure.
   * Without this handler it is a failure like any other.
   */
  unknown?(id: string, error: unknown): void;
}

/**
 * Downloads the full value (GetPublication) of wanted publications whose
 * metadata says they changed. One call per id at a time; a change announced
 * while that call runs queues one more (latest wins, nothing is lost); at
 * most `concurrency` calls at once, so a reconnect after a long outage does
 * not take every connection the browser gives this server.
 */
export class ValueFetcher {
  readonly #queue: string[] = [];
  readonly #inFlight = new Map<string, { dirty: boolean }>();
  #idleWaiters: Array<() => void> = [];

  constructor(
    private readonly ctx: FeedContext,
    private readonly signal: AbortSignal,
    private readonly source: Exclude<ValueSource, "storage">,
    private readonly outcomes: FetchOutcomes,
    private readonly concurrency = 2,
  ) {}

  /** Makes sure the value of `id` is downloaded after this moment. */
  request(id: string): void {
    if (this.signal.aborted) return;
    const running = this.#inFlight.get(id);
    if (running) {
      running.dirty = true;
      return;
    }
    if (!this.#queue.includes(id)) this.#queue.push(id);
    this.#pump();
  }

  /** True while a download of `id` is queued or running. */
  pending(id: string): boolean {
    return this.#inFlight.has(id) || this.#queue.includes(id);
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    // Aborted, a queued id never starts: waiting for it would wait for ever.
    if (this.#inFlight.size === 0 && (this.#queue.length === 0 || this.signal.aborted)) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #pump(): void {
    while (this.#inFlight.size < this.concurrency && this.#queue.length > 0 && !this.signal.aborted) {
      const id = this.#queue.shift()!;
      this.#inFlight.set(id, { dirty: false });
      void this.#fetch(id);
    }
    if (this.#inFlight.size === 0 && (this.#queue.length === 0 || this.signal.aborted)) {
      for (const wake of this.#idleWaiters.splice(0)) wake();
    }
  }

  async #fetch(id: string): Promise<void> {
    const { ctx } = this;
    try {
      const publication = await ctx.client.getPublication(
        { name: ctx.device, id },
        { signal: this.signal, timeoutMs: ctx.timing.callTimeoutMs },
      );
      this.outcomes.received?.(publication);
      // A change announced while this call ran: its answer may be older than the change, and the next call is queued.
      if (this.#inFlight.get(id)?.dirty) return;
      // Dropped meanwhile: nobody wants it any more.
      if (ctx.wanted.get(id)?.accept(publication, this.source)) this.outcomes.delivered(id, publication);
    } catch (error) {
      if (!this.signal.aborted) {
        if (hasCode(error, Code.NotFound)) this.outcomes.missing(id);
        else if (hasCode(error, Code.Unknown) && this.outcomes.unknown) this.outcomes.unknown(id, error);
        else this.outcomes.failed(error);
      }
    } finally {
      const dirty = this.#inFlight.get(id)?.dirty === true;
      this.#inFlight.delete(id);
      if (dirty && ctx.wanted.get(id)) this.#queue.push(id);
      this.#pump();
    }
  }
}
