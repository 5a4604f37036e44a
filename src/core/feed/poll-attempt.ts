import { Code } from "@connectrpc/connect";
import { hasCode } from "../error-policy.js";
import type { AttemptEnd, AttemptProgress, LoopContext } from "./loop-context.js";

/**
 * Polling for servers that answer PullPublication with UNIMPLEMENTED:
 * GetPublication at once, then every poll interval, until a call fails (the
 * attempt ends with that error) or the cache closes (at once: the wait is on
 * the cache's signal, unlike the Go version that lingers until the next tick).
 */
export async function runPolling(ctx: LoopContext, progress: AttemptProgress): Promise<AttemptEnd> {
  for (;;) {
    try {
      const publication = await ctx.client.getPublication({ name: ctx.device, id: ctx.id }, { signal: ctx.signal });
      if (ctx.accept(publication, "poll")) progress.delivered = true;
    } catch (err) {
      return { kind: "failed", error: err };
    }
    ctx.model.setState({ kind: "polling" });
    const outcome = await ctx.waits.wait(ctx.pollIntervalMs, "poll", ctx.signal);
    if (outcome === "aborted") return { kind: "failed", error: ctx.signal.reason };
  }
}

/**
 * A stream that ended with OK may mean the publication was deleted (that is
 * how the reference server reports a deletion). Ask GetPublication: NOT_FOUND
 * → `removed`; a value → take it (the stream simply ended) → `stream-ended`.
 */
export async function confirmAfterStreamEnd(ctx: LoopContext, progress: AttemptProgress): Promise<AttemptEnd> {
  try {
    const publication = await ctx.client.getPublication({ name: ctx.device, id: ctx.id }, { signal: ctx.signal });
    if (ctx.accept(publication, "poll")) progress.delivered = true;
    return { kind: "stream-ended" };
  } catch (err) {
    if (hasCode(err, Code.NotFound)) return { kind: "removed" };
    return { kind: "failed", error: err };
  }
}
