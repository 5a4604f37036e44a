import { Code } from "@connectrpc/connect";
import { hasCode } from "../error-policy.js";
import type { AttemptEnd, AttemptProgress, LoopContext } from "./loop-context.js";
import { rejectionReason } from "../validate-publication.js";

/** What the stream reader tells the liveness watcher. */
export interface StreamActivity {
  /** Clock time of the last message (or of the stream's start). */
  lastMessageAt: number;
  /** Messages received so far. */
  messages: number;
}

/** Only the fields a liveness check needs: the answer stays tiny whatever the body size. */
export const LIVENESS_READ_MASK = { paths: ["id", "version"] };

/**
 * Dead-stream detection. A stream can hang silently (laptop sleep, a NAT
 * entry that timed out) and would then never deliver again. While the stream
 * is open and has been quiet for a poll interval (or at once on `wake()`),
 * ask GetPublication for the id and version only:
 * - same version as the held value → the value is confirmed (`lastConfirmedAt` advances);
 * - another version (or a value we lack) → the stream missed it: end with `restart`;
 * - NOT_FOUND → the publication does not exist (state `removed`); keep the
 *   stream, which delivers it if it comes back;
 * - any other error → end the attempt with it.
 *
 * Resolves with the verdict that ends the stream (the caller aborts the
 * stream), or `undefined` once `signal` aborts.
 */
export async function watchStreamLiveness(
  ctx: LoopContext,
  progress: AttemptProgress,
  activity: StreamActivity,
  signal: AbortSignal,
): Promise<AttemptEnd | undefined> {
  let lastCheckAt = activity.lastMessageAt;
  while (!signal.aborted) {
    const quietSince = Math.max(activity.lastMessageAt, lastCheckAt);
    const outcome = await ctx.waits.wait(quietSince + ctx.pollIntervalMs - ctx.clock.now(), "quiet", signal);
    if (outcome === "aborted") return undefined;
    // A message during the wait moved the deadline: wait for the rest.
    const quietFor = ctx.clock.now() - Math.max(activity.lastMessageAt, lastCheckAt);
    if (outcome === "elapsed" && quietFor < ctx.pollIntervalMs) continue;

    const messagesBefore = activity.messages;
    let version: string;
    try {
      const answer = await ctx.client.getPublication(
        { name: ctx.device, id: ctx.id, readMask: LIVENESS_READ_MASK },
        { signal },
      );
      const reason = rejectionReason(answer, ctx.id);
      if (reason !== undefined) {
        ctx.logger.warn("liveness check answered for another publication", { device: ctx.device, id: ctx.id, reason });
        ctx.model.report({ code: "invalid-publication", message: reason, at: ctx.clock.now() });
        lastCheckAt = ctx.clock.now();
        continue;
      }
      version = answer.version;
    } catch (err) {
      if (signal.aborted) return undefined;
      if (!hasCode(err, Code.NotFound)) return { kind: "failed", error: err };
      lastCheckAt = ctx.clock.now();
      if (activity.messages === messagesBefore) ctx.model.setState({ kind: "removed" });
      continue;
    }
    lastCheckAt = ctx.clock.now();
    // A message that arrived during the check is newer than the check's answer.
    if (activity.messages !== messagesBefore) continue;
    const held = ctx.model.value;
    if (!held || held.publication.version !== version) return { kind: "restart" };
    progress.delivered = true;
    ctx.model.confirm();
    ctx.model.setState({ kind: "live" });
  }
  return undefined;
}
