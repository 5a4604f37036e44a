import { linkedAbort } from "../abort-link.js";
import type { Backoff } from "../backoff.js";
import { sleep } from "../clock.js";
import type { HeldPublication } from "../held-publication.js";
import type { LoopContext } from "./loop-context.js";
import { runUpdateLoop, type CredentialsEpoch } from "./update-loop.js";
import type { FeedAttemptEnd, FeedContext } from "./feed-context.js";
import { listPublications } from "./list-publications.js";
import { METADATA_READ_MASK } from "./publication-metadata.js";

/** What the per-publication mode needs beyond the feed's context. */
export interface PublicationStreamsDeps {
  /** A fresh backoff for one publication's loop. */
  readonly newBackoff: () => Backoff;
  readonly credentials: CredentialsEpoch;
  /** When to end and try a better mode again; `undefined`: never. */
  readonly reprobeAt: number | undefined;
  /**
   * The Go-parity cache of one publication: a refused PullPublication falls
   * back to polling GetPublication in its own loop (there is no better
   * device-wide way to go to), and its one stream starts without a settle wait.
   */
  readonly standalone: boolean;
}

/**
 * For servers without PullPublications: one PullPublication stream per
 * wanted publication — today's per-publication engine, each with its own
 * backoff and dead-stream check, started and stopped as publications are
 * added and dropped. Each stream holds one of the browser's connections to
 * the server, which is why this is the fallback and not the way.
 *
 * Ends with `unimplemented` as soon as one PullPublication is refused
 * (polling the whole device beats polling each publication), with
 * `reprobe` when a better mode is due to be tried again, and with `idle`
 * when nothing is wanted.
 */
export async function runPublicationStreams(ctx: FeedContext, deps: PublicationStreamsDeps): Promise<FeedAttemptEnd> {
  const attempt = linkedAbort(ctx.signal);
  let verdict: FeedAttemptEnd | undefined;
  const end = (next: FeedAttemptEnd) => {
    verdict ??= next;
    attempt.abort();
  };
  const loops = new Map<HeldPublication, { readonly stop: () => void; readonly done: Promise<void> }>();

  const start = (held: HeldPublication) => {
    const own = linkedAbort(attempt.signal);
    const loopCtx: LoopContext = {
      client: ctx.client,
      device: ctx.device,
      id: held.id,
      clock: ctx.clock,
      logger: ctx.logger,
      // A device feed falls to device polling, never to this loop's: the interval only times its quiet check.
      pollIntervalMs: deps.standalone ? ctx.timing.pollIntervalMs : ctx.timing.quietCheckMs,
      model: held.model,
      waits: ctx.waits,
      signal: own.signal,
      accept: (publication, source) => held.accept(publication, source),
      ...(!deps.standalone && { onPullUnimplemented: () => end({ kind: "unimplemented" }) }),
    };
    void held.load();
    const done = runUpdateLoop(loopCtx, deps.newBackoff(), deps.credentials)
      .catch((error: unknown) => ctx.logger.error("publication loop crashed", { device: ctx.device, id: held.id, error: String(error) }))
      .finally(() => own.dispose());
    loops.set(held, { stop: () => own.abort(), done });
  };
  // One stream probes first: if the server refuses PullPublication too, one
  // call finds out, not one per publication.
  let probing = true;
  const unlisten = ctx.wanted.listen({
    added: (held) => !probing && start(held),
    removed: (held) => {
      loops.get(held)?.stop();
      loops.delete(held);
      if (!ctx.wanted.demanded) end({ kind: "idle" });
    },
    demandChanged: () => !ctx.wanted.demanded && end({ kind: "idle" }),
  });
  const [probe] = ctx.wanted.all();
  if (probe) start(probe);
  const listing = deps.standalone ? Promise.resolve() : listWhileWatched(ctx, attempt.signal);
  if (!deps.standalone) await sleep(ctx.clock, ctx.timing.settleMs, attempt.signal).promise;
  probing = false;
  if (!attempt.signal.aborted) for (const held of ctx.wanted.all()) if (!loops.has(held)) start(held);

  if (deps.reprobeAt !== undefined) {
    const outcome = await sleep(ctx.clock, deps.reprobeAt - ctx.clock.now(), attempt.signal).promise;
    if (outcome === "elapsed") end({ kind: "reprobe" });
  } else if (!attempt.signal.aborted) {
    await new Promise<void>((resolve) => attempt.signal.addEventListener("abort", () => resolve(), { once: true }));
  }
  unlisten();
  await Promise.all([...loops.values()].map((loop) => loop.done));
  await listing;
  attempt.dispose();
  return verdict ?? { kind: "idle" };
}

/**
 * Streams of single publications say nothing of the rest of the device: while
 * someone watches the whole device, list it (metadata) once per poll interval.
 * A failed listing is logged and tried at the next interval; the streams go on.
 */
async function listWhileWatched(ctx: FeedContext, signal: AbortSignal): Promise<void> {
  while (!signal.aborted) {
    if (ctx.wanted.deviceWatched) {
      try {
        ctx.index.replaceAll(await listPublications(ctx, METADATA_READ_MASK, signal));
      } catch (error) {
        if (!signal.aborted) ctx.logger.info("listing the device failed", { device: ctx.device, error: String(error) });
      }
    }
    await ctx.waits.wait(ctx.timing.pollIntervalMs, "poll", signal);
  }
}
