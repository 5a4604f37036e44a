import type { IncomingMessage, ServerResponse } from "node:http";
import { allowCrossOrigin, answerPreflight } from "./cors.js";
import { replyJson } from "./replies.js";

/** One endpoint's handlers by method. */
export type Route = Partial<Record<"GET" | "POST", (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>>>;

/** Endpoints by exact path. */
export type RouteTable = ReadonlyMap<string, Route>;

/**
 * Serves `req` if its path is in `table`: CORS on every answer, `OPTIONS`
 * preflight, 405 for a method the endpoint does not take. Returns false
 * (touching nothing) for any other path. A handler that throws gets a 500
 * and `onError`; handlers answer their own expected errors.
 */
export function dispatch(
  table: RouteTable,
  req: IncomingMessage,
  res: ServerResponse,
  onError: (path: string, err: unknown) => void,
): boolean {
  const url = new URL(req.url ?? "/", "http://server");
  const route = table.get(url.pathname);
  if (route === undefined) return false;
  const methods = Object.keys(route);
  if (req.method === "OPTIONS") {
    answerPreflight(req, res, methods);
    return true;
  }
  allowCrossOrigin(req, res);
  const handler = route[req.method as "GET" | "POST"];
  if (handler === undefined) {
    req.resume();
    replyJson(res, 405, { error: "invalid_request", error_description: `use ${methods.join(" or ")}` }, { allow: methods.join(", ") });
    return true;
  }
  handler(req, res, url).catch((err: unknown) => {
    onError(url.pathname, err);
    if (!res.headersSent) replyJson(res, 500, { error: "server_error", error_description: "internal error" });
    else res.destroy();
  });
  return true;
}
