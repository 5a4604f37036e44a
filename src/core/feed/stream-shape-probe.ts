import type { FeedContext } from "./feed-context.js";
import { ID_READ_MASK } from "./publication-metadata.js";
import { FULL_VALUES_UP_TO } from "./stream-shape.js";

/**
 * Before the first stream of an `auto` feed: is the device small? Asked
 * without reading the device, so the first stream already has the right
 * shape and never has to be reopened (a reopen briefly holds two
 * connections, and costs the server a second snapshot):
 * - one ListPublications page of one id: a server that counts
 *   (`total_size`, as the reference server does) says the size outright;
 * - a server that does not count (the database-backed one) gets one more
 *   page of ids, one more than the limit: a full page means large.
 * A server that answers with a body (read masks ignored: the
 * database-backed server) is asked nothing more — polling learns from that
 * answer too. Any failure (no ListPublications, a timeout, a refusal) leaves the shape
 * undecided: the stream starts with metadata only and the settled snapshot
 * decides (snapshot-settle.ts).
 */
export async function probeStreamShape(ctx: FeedContext, signal: AbortSignal): Promise<void> {
  const { shape } = ctx;
  if (shape.policy !== "auto" || shape.decided) return;
  const page = (pageSize: number) =>
    ctx.client.listPublications({ name: ctx.device, readMask: ID_READ_MASK, pageSize }, { signal, timeoutMs: ctx.timing.openTimeoutMs });
  try {
    const first = await page(1);
    ctx.pollCosts.learnMasks(first.publications);
    if (ctx.pollCosts.masks === "ignored") {
      // A body where only ids were asked: the server ignores masks (the database-backed one, which does not
      // stream either). A page of 33 would carry 33 bodies to learn what the stream, if any, will tell.
      return;
    }
    if (first.nextPageToken === "") shape.fullValues = true;
    else if (first.totalSize > 0) shape.fullValues = first.totalSize <= FULL_VALUES_UP_TO;
    else {
      const more = await page(FULL_VALUES_UP_TO + 1);
      shape.fullValues = more.nextPageToken === "" && more.publications.length <= FULL_VALUES_UP_TO;
    }
    shape.decided = true;
  } catch (error) {
    if (signal.aborted) return;
    ctx.logger.info("could not tell the device's size before streaming; metadata only until the snapshot says", {
      device: ctx.device,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
