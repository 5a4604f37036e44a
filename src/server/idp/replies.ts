import type { IncomingMessage, ServerResponse } from "node:http";
import { type OAuthError } from "./oauth-error.js";

/**
 * A JSON answer. `no-store` on everything: token answers must not be cached
 * (RFC 6749 §5.1), and nothing else here is worth caching.
 */
export function replyJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res
    .writeHead(status, { "content-type": "application/json", "cache-control": "no-store", pragma: "no-cache", ...headers })
    .end(JSON.stringify(body));
}

/** An OAuth error body `{error, error_description}` with its status (and `WWW-Authenticate` after HTTP Basic). */
export function replyOAuthError(res: ServerResponse, error: OAuthError): void {
  replyJson(res, error.status, error.toJSON(), error.challenge === undefined ? {} : { "www-authenticate": error.challenge });
}

/**
 * The origin the client reached us at, from its `Host` header, so the URLs
 * we hand out (verification_uri) work from wherever the device is: another
 * machine on the LAN gets the LAN address.
 */
export function originOf(req: IncomingMessage): string {
  const host = req.headers.host;
  return `http://${host !== undefined && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? host : "127.0.0.1"}`;
}
