import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * The answer to a path no RPC serves. A gRPC-Web client gets a proper
 * trailers-only response with status 12 (UNIMPLEMENTED), as a gRPC server
 * answers an unknown method; a Connect client gets HTTP 404 with the
 * `unimplemented` error body; anything else a plain 404.
 */
export function answerUnknownMethod(req: IncomingMessage, res: ServerResponse): void {
  const contentType = req.headers["content-type"] ?? "";
  const message = `unknown method ${req.url ?? ""}`;
  // Drain the body so a keep-alive connection stays usable.
  req.resume();
  if (/^application\/grpc-web/i.test(contentType)) {
    res.writeHead(200, {
      "content-type": contentType,
      "grpc-status": "12",
      "grpc-message": encodeURIComponent(message),
    });
    res.end();
  } else if (/^application\/(json|proto)/i.test(contentType) || req.headers["connect-protocol-version"] !== undefined) {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ code: "unimplemented", message }));
  } else {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
  }
}
