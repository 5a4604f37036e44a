import type { Publication } from "../../gen/smartcore/traits/publication_pb.js";
import type { FeedContext } from "./feed-context.js";

/** Pages asked at once; the reference server's maximum. */
const PAGE_SIZE = 1000;
/** A server that hands out tokens for ever (a bug) must not keep us paging: 1000 pages is a million publications. */
const MAX_PAGES = 1000;

/**
 * Every publication of the device through ListPublications, page by page,
 * with `readMask` (the server sends only those fields). Follows the page
 * token until it is empty (an exactly full last page may be followed by an
 * empty one, as the reference server does). Rejects with the call's error.
 */
export async function listPublications(
  ctx: FeedContext,
  readMask: { paths: string[] },
  signal: AbortSignal,
): Promise<Publication[]> {
  return (await listPublicationPages(ctx, readMask, signal)).publications;
}

/** {@link listPublications}, with the number of requests it took (polling weighs that against Gets). */
export async function listPublicationPages(
  ctx: FeedContext,
  readMask: { paths: string[] },
  signal: AbortSignal,
): Promise<{ publications: Publication[]; pages: number }> {
  const all: Publication[] = [];
  let pageToken = "";
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await ctx.client.listPublications(
      { name: ctx.device, readMask, pageSize: PAGE_SIZE, pageToken },
      { signal, timeoutMs: ctx.timing.callTimeoutMs },
    );
    all.push(...response.publications);
    pageToken = response.nextPageToken;
    if (pageToken === "") return { publications: all, pages: page + 1 };
  }
  ctx.logger.warn("ListPublications kept handing out page tokens; stopped paging", { device: ctx.device, pages: MAX_PAGES });
  return { publications: all, pages: MAX_PAGES };
}
