import { linkedAbort } from "../abort-link.js";
import type { CacheState } from "../cache-types.js";
import type { FeedAttemptEnd, FeedContext, FeedProgress } from "./feed-context.js";
import { knowledgeOf } from "./index-knowledge.js";
import { listPublications } from "./list-publications.js";
import { METADATA_READ_MASK } from "./publication-metadata.js";
import { leaveRemoved, reconcile, type ReconcileScope } from "./reconcile.js";
import { ValueFetcher } from "./value-fetcher.js";

const POLLING: CacheState = { kind: "polling" };

/**
 * For servers that stream nothing (the database-backed server answers
 * UNIMPLEMENTED to both pulls): one ListPublications per poll interval for
 * the whole device — metadata only, so an acknowledgement or an identical
 * re-publish is seen too — then GetPublication only for wanted
 * publications whose version changed. Absent ones become `removed`.
 *
 * Ends with the first failed call, with `reprobe` when a streaming mode is
 * due to be tried again, and with `idle` when nothing is wanted.
 */
export async function runDevicePolling(
  ctx: FeedContext,
  progress: FeedProgress,
  reprobeAt: number | undefined,
): Promise<FeedAttemptEnd> {
  const attempt = linkedAbort(ctx.signal);
  let verdict: FeedAttemptEnd | undefined;
  const end = (next: FeedAttemptEnd) => {
    verdict ??= next;
    attempt.abort();
  };
  const fetcher = new ValueFetcher(ctx, attempt.signal, "poll", {
    delivered: (id) => {
      progress.delivered = true;
      const held = ctx.wanted.get(id);
      if (held) leaveRemoved(held, POLLING);
    },
    missing: (id) => {
      ctx.index.delete(id);
      ctx.wanted.get(id)?.model.setState({ kind: "removed" });
    },
    failed: (error) => end({ kind: "failed", error }),
  });
  const scope: ReconcileScope = { fetcher, state: POLLING, source: "poll" };
  let listed = false;
  const reconcileLoaded = (id: string) => {
    const held = ctx.wanted.get(id);
    void held?.load().then(() => {
      if (!listed || attempt.signal.aborted || ctx.wanted.get(id) !== held) return;
      if (reconcile(held, knowledgeOf(ctx.index, id, true), scope)) progress.delivered = true;
    });
  };
  const unlisten = ctx.wanted.listen({
    added: (held) => {
      if (listed) held.model.setState(POLLING);
      reconcileLoaded(held.id);
    },
    removed: () => !ctx.wanted.demanded && end({ kind: "idle" }),
    demandChanged: () => !ctx.wanted.demanded && end({ kind: "idle" }),
  });

  try {
    while (!attempt.signal.aborted) {
      try {
        ctx.index.replaceAll(await listPublications(ctx, METADATA_READ_MASK, attempt.signal));
      } catch (error) {
        if (!attempt.signal.aborted) end({ kind: "failed", error });
        break;
      }
      listed = true;
      progress.delivered = true;
      ctx.wanted.setStates(POLLING);
      for (const id of ctx.wanted.ids()) reconcileLoaded(id);
      await fetcher.idle();
      if (attempt.signal.aborted) break;
      const nextPollAt = ctx.clock.now() + ctx.timing.pollIntervalMs;
      if (reprobeAt !== undefined && reprobeAt <= nextPollAt) {
        await ctx.waits.wait(reprobeAt - ctx.clock.now(), "poll", attempt.signal);
        if (!attempt.signal.aborted) end({ kind: "reprobe" });
        break;
      }
      await ctx.waits.wait(ctx.timing.pollIntervalMs, "poll", attempt.signal);
    }
  } finally {
    unlisten();
    attempt.abort();
    await fetcher.idle();
    attempt.dispose();
  }
  return verdict ?? { kind: "idle" };
}
