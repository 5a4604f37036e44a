import { Code, ConnectError } from "@connectrpc/connect";

/**
 * List page tokens: opaque to clients (base64url of a small JSON object),
 * holding the last id sent so paging stays correct while publications are
 * added or removed between pages.
 */
export function encodePageToken(lastId: string): string {
  return Buffer.from(JSON.stringify({ after: lastId }), "utf8").toString("base64url");
}

/** The id after which the page starts ("" for the first page). Throws INVALID_ARGUMENT for a token we did not issue. */
export function decodePageToken(token: string): string {
  if (token === "") return "";
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    const after = (parsed as { after?: unknown } | null)?.after;
    if (typeof after === "string" && after !== "") return after;
  } catch {
    // falls through to the error below
  }
  throw new ConnectError("bad page token", Code.InvalidArgument);
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

/** page_size as the reference server reads it: 0 → 50, above 1000 → 1000; negative is INVALID_ARGUMENT. */
export function effectivePageSize(requested: number): number {
  if (requested < 0) throw new ConnectError("page_size must not be negative", Code.InvalidArgument);
  if (requested === 0) return DEFAULT_PAGE_SIZE;
  return Math.min(requested, MAX_PAGE_SIZE);
}
