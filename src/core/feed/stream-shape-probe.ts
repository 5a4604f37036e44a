import type { FeedContext } from "./feed-context.js";
import { ID_READ_MASK } from "./publication-metadata.js";
import { FULL_VALUES_UP_TO } from "./stream-shape.js";

/**
 * Before the first stream of an `auto` feed: is the device small? One
 * ListPublications page of ids, one more than the limit, says so without
 * reading the device — so the first stream already has the right shape and
 * never has to be reopened (a reopen briefly holds two connections, and
 * costs the server a second snapshot). Any failure (no ListPublications,
 * a timeout, a refusal) leaves the shape undecided: the stream starts with
 * metadata only and the settled snapshot decides (snapshot-settle.ts).
 */
export async function probeStreamShape(ctx: FeedContext, signal: AbortSignal): Promise<void> {
  const { shape } = ctx;
  if (shape.policy !== "auto" || shape.decided) return;
  try {
    const page = await ctx.client.listPublications(
      { name: ctx.device, readMask: ID_READ_MASK, pageSize: FULL_VALUES_UP_TO + 1 },
      { signal, timeoutMs: ctx.timing.openTimeoutMs },
    );
    shape.fullValues = page.nextPageToken === "" && page.publications.length <= FULL_VALUES_UP_TO;
    shape.decided = true;
  } catch (error) {
    if (signal.aborted) return;
    ctx.logger.info("could not tell the device's size before streaming; metadata only until the snapshot says", {
      device: ctx.device,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
