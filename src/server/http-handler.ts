import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { cors } from "@connectrpc/connect";
import type { ServerStats } from "./call-stats.js";

// Accept is listed although browsers treat it as safelisted: grpc-web-text clients send `Accept: application/grpc-web-text`.
const allowedHeaders = [...cors.allowedHeaders, "Accept", "Authorization"].join(", ");
const exposedHeaders = cors.exposedHeaders.join(", ");

/**
 * The HTTP surface around the RPC handler: CORS for any origin (browsers call
 * from the dashboard's origin), preflight, `/healthz`, `/debug/stats` and the
 * fault endpoints (404 when faults are off). Everything else goes to `rpc`.
 */
export function createHttpHandler(deps: {
  readonly rpc: (req: IncomingMessage, res: ServerResponse) => void;
  readonly stats: () => ServerStats;
  readonly faults: ((req: IncomingMessage, res: ServerResponse, url: URL) => void) | undefined;
}): RequestListener {
  return (req, res) => {
    const origin = req.headers.origin;
    res.setHeader("Access-Control-Allow-Origin", origin ?? "*");
    if (origin !== undefined) res.setHeader("Vary", "Origin");
    res.setHeader("Access-Control-Expose-Headers", exposedHeaders);

    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "Access-Control-Allow-Methods": cors.allowedMethods.join(", "),
        "Access-Control-Allow-Headers": allowedHeaders,
        "Access-Control-Max-Age": "7200",
      });
      res.end();
      return;
    }

    const url = new URL(req.url ?? "/", "http://server");
    if (url.pathname === "/healthz" && req.method === "GET") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
    } else if (url.pathname === "/debug/stats" && req.method === "GET") {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(deps.stats()));
    } else if (url.pathname.startsWith("/faults/")) {
      if (deps.faults === undefined) {
        res.writeHead(404, { "content-type": "text/plain" }).end("faults are disabled (start with --faults)\n");
      } else {
        deps.faults(req, res, url);
      }
    } else {
      deps.rpc(req, res);
    }
  };
}
