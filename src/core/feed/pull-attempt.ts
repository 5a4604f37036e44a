import { Code } from "@connectrpc/connect";
import { linkedAbort } from "../abort-link.js";
import { hasCode } from "../error-policy.js";
import type { AttemptEnd, AttemptProgress, LoopContext } from "./loop-context.js";
import { watchStreamLiveness, type StreamActivity } from "./stream-liveness.js";

/**
 * One PullPublication stream: commits every change in order while watching
 * the stream for silence. Resolves with `unimplemented` when the server does
 * not stream (the caller falls back to polling), otherwise with how the
 * stream ended. Never rejects; the stream and its liveness watcher are both
 * over when it resolves.
 */
export async function runPullStream(
  ctx: LoopContext,
  progress: AttemptProgress,
): Promise<AttemptEnd | { readonly kind: "unimplemented" }> {
  const stream = linkedAbort(ctx.signal);
  const activity: StreamActivity = { lastMessageAt: ctx.clock.now(), messages: 0 };
  let verdict: AttemptEnd | undefined;
  const liveness = watchStreamLiveness(ctx, progress, activity, stream.signal).then((end) => {
    if (end === undefined || stream.signal.aborted) return;
    verdict = end;
    stream.abort();
  });
  try {
    const responses = ctx.client.pullPublication({ name: ctx.device, id: ctx.id }, { signal: stream.signal });
    for await (const response of responses) {
      activity.lastMessageAt = ctx.clock.now();
      activity.messages++;
      for (const change of response.changes) {
        if (ctx.accept(change.publication, "stream")) progress.delivered = true;
      }
      ctx.model.setState({ kind: "live" });
    }
    return verdict ?? { kind: "stream-ended" };
  } catch (err) {
    if (verdict) return verdict;
    if (hasCode(err, Code.Unimplemented)) return { kind: "unimplemented" };
    return { kind: "failed", error: err };
  } finally {
    stream.abort();
    stream.dispose();
    await liveness;
  }
}
