import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { cors } from "@connectrpc/connect";
import type { ServerStats } from "./call-stats.js";
import { CA_CERTIFICATE_PATH } from "./tls/server-tls.js";

// Accept is listed although browsers treat it as safelisted: grpc-web-text clients send `Accept: application/grpc-web-text`.
const allowedHeaders = [...cors.allowedHeaders, "Accept", "Authorization"].join(", ");
const exposedHeaders = cors.exposedHeaders.join(", ");

/**
 * The HTTP surface around the RPC handler: CORS for any origin (browsers call
 * from the dashboard's origin), preflight, `/healthz`, `/debug/stats`, the
 * development CA certificate at `/ca.crt` (with `--tls`) and the
 * fault endpoints (404 when faults are off). Everything else goes to `rpc`.
 */
export function createHttpHandler(deps: {
  readonly rpc: (req: IncomingMessage, res: ServerResponse) => void;
  readonly stats: () => ServerStats;
  readonly faults: ((req: IncomingMessage, res: ServerResponse, url: URL) => void) | undefined;
  /** The development CA certificate (PEM) to serve at {@link CA_CERTIFICATE_PATH}; undefined: 404. */
  readonly caCertificatePem?: string;
}): RequestListener {
  return (req, res) => {
    const origin = req.headers.origin;
    res.setHeader("Access-Control-Allow-Origin", origin ?? "*");
    if (origin !== undefined) res.setHeader("Vary", "Origin");
    res.setHeader("Access-Control-Expose-Headers", exposedHeaders);
    // Lets a dashboard on another origin read the protocol its calls went over (Resource Timing's nextHopProtocol).
    res.setHeader("Timing-Allow-Origin", "*");

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
    } else if (url.pathname === CA_CERTIFICATE_PATH && deps.caCertificatePem !== undefined && (req.method === "GET" || req.method === "HEAD")) {
      // The type Android and iOS offer to install as a CA certificate on download.
      res.writeHead(200, { "content-type": "application/x-x509-ca-cert", "content-disposition": 'attachment; filename="ca.crt"' });
      res.end(req.method === "HEAD" ? undefined : deps.caCertificatePem);
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
