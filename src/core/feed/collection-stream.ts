import { Code } from "@connectrpc/connect";
import { CacheFault, hasCode } from "../error-policy.js";
import { CollectionAttempt } from "./collection-attempt.js";
import { applyChange } from "./collection-changes.js";
import { watchCollectionLiveness } from "./collection-liveness.js";
import type { FeedAttemptEnd, FeedContext, FeedProgress } from "./feed-context.js";
import { METADATA_READ_MASK } from "./publication-metadata.js";
import { settleSnapshot } from "./snapshot-settle.js";
import { probeStreamShape } from "./stream-shape-probe.js";
import { openWanted, opensWithUpdatesOnly } from "./wanted-opening.js";

/**
 * One PullPublications stream for the whole device: metadata of every
 * publication, bodies downloaded only for wanted ones that changed — or, for
 * a large device nobody watches whole, changes only, with the wanted
 * publications read one by one (wanted-opening.ts). Wanted
 * publications may be added or dropped while it runs. Resolves with how it
 * ended (`unimplemented` when the server does not offer it); never rejects.
 */
export async function runCollectionStream(ctx: FeedContext, progress: FeedProgress): Promise<FeedAttemptEnd> {
  await probeStreamShape(ctx, ctx.signal);
  if (ctx.signal.aborted) return { kind: "idle" };
  const updatesOnly = opensWithUpdatesOnly({ ctx });
  const attempt = new CollectionAttempt(ctx, progress, updatesOnly);
  ctx.index.beginGeneration();
  const whenLoaded = (id: string) => {
    const held = ctx.wanted.get(id);
    void held?.load().then(() => {
      if (attempt.signal.aborted || ctx.wanted.get(id) !== held) return;
      if (attempt.messages > 0 && held.model.state.kind !== "removed") held.model.setState({ kind: "live" });
      attempt.reconcileId(id);
    });
  };
  const unlisten = ctx.wanted.listen({
    added: (held) => whenLoaded(held.id),
    // Nobody wants anything from this device: let the connection go.
    removed: () => !ctx.wanted.demanded && attempt.end({ kind: "idle" }),
    demandChanged: () => {
      if (!ctx.wanted.demanded) attempt.end({ kind: "idle" });
      // A fleet view started watching the whole device: it needs the snapshot this stream did not ask for.
      else if (updatesOnly && ctx.wanted.deviceWatched) attempt.end({ kind: "restart" });
    },
  });
  for (const id of ctx.wanted.ids()) whenLoaded(id);
  const opening = updatesOnly ? openWanted(attempt) : settleSnapshot(attempt);
  const tasks = Promise.all([opening, watchCollectionLiveness(attempt)]);

  try {
    const responses = ctx.client.pullPublications(
      // Bodies in the stream only for a device known to be small (stream-shape.ts).
      attempt.fullValues ? { name: ctx.device } : { name: ctx.device, readMask: METADATA_READ_MASK, updatesOnly },
      { signal: attempt.signal },
    );
    for await (const response of responses) {
      attempt.received();
      for (const change of response.changes) applyChange(attempt, change);
    }
    return attempt.verdict ?? { kind: "failed", error: new CacheFault("stream-ended", "the server ended the stream") };
  } catch (error) {
    if (attempt.verdict) return attempt.verdict;
    if (hasCode(error, Code.Unimplemented)) return { kind: "unimplemented" };
    return { kind: "failed", error };
  } finally {
    attempt.vouchForHeld();
    attempt.dispose();
    unlisten();
    await tasks;
    await attempt.fetcher.idle();
  }
}
