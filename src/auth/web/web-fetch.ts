import type { FetchLike } from "../token-endpoint.js";

/**
 * The browser's fetch for identity-provider calls: no cookies (`omit`: the
 * endpoints need none, and none should ride along), nothing cached, no
 * referrer (the page's URL may carry parameters), and no redirects (a token
 * endpoint never redirects; a captive portal does — that is "unreachable").
 */
export const webFetch: FetchLike = (url, init) =>
  fetch(url, { ...init, credentials: "omit", cache: "no-store", referrerPolicy: "no-referrer", redirect: "error" });
