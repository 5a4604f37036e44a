import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * CORS for the identity provider's endpoints: dashboards call them from
 * their own origin (a page on http://localhost:8080, this server on
 * 127.0.0.1:8700). Any origin is allowed; no cookies are involved, so no
 * credentials mode. A form-urlencoded POST is a simple request; HTTP Basic
 * client authentication (an `Authorization` header) needs the preflight.
 */
export function allowCrossOrigin(req: IncomingMessage, res: ServerResponse): void {
  const origin = req.headers.origin;
  res.setHeader("Access-Control-Allow-Origin", origin ?? "*");
  if (origin !== undefined) res.setHeader("Vary", "Origin");
  // Not CORS-safelisted: without this a page could not read the challenge of a 401 invalid_client.
  res.setHeader("Access-Control-Expose-Headers", "WWW-Authenticate");
}

/** Answers a preflight (`OPTIONS`) for an endpoint that takes `methods`. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse, methods: readonly string[]): void {
  allowCrossOrigin(req, res);
  res.writeHead(204, {
    "Access-Control-Allow-Methods": methods.join(", "),
    "Access-Control-Allow-Headers": "Authorization, Content-Type",
    "Access-Control-Max-Age": "7200",
  });
  res.end();
}
