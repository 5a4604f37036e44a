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
 * machine on the LAN gets the LAN address. With `publicName` (the server's
 * `--name`, or a `--host` others can reach), that name instead, as Keycloak
 * builds its addresses from its configured hostname: a screen that reaches
 * the server on loopback must still show a phone an address it can open.
 */
export function originOf(req: IncomingMessage, publicName?: string): string {
  const header = req.headers.host ?? req.headers[":authority"];
  const host = typeof header === "string" && /^[A-Za-z0-9.:[\]-]+$/.test(header) ? header : "127.0.0.1";
  // Over TLS (--tls) the addresses we hand out are https too.
  const scheme = (req.socket as { encrypted?: boolean } | undefined)?.encrypted ? "https" : "http";
  if (publicName === undefined) return `${scheme}://${host}`;
  // The public name replaces whatever name the client used (loopback, say); the port is the one it reached.
  const port = /:(\d+)$/.exec(host)?.[1] ?? String(req.socket?.localPort ?? "");
  const name = publicName.includes(":") ? `[${publicName}]` : publicName;
  return `${scheme}://${name}${port === "" ? "" : `:${port}`}`;
}
