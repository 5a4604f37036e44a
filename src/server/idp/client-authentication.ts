import { sameSecret, type Accounts, type ClientAccount, type GrantName } from "./accounts.js";
import { OAuthError } from "./oauth-error.js";

const BASIC_CHALLENGE = 'Basic realm="pubcache development identity provider"';

/**
 * Which client a token or device-authorization request comes from (RFC 6749
 * §2.3): HTTP Basic (`client_id:client_secret`, each form-urlencoded) or
 * `client_id` / `client_secret` in the body — never both. Returns undefined
 * when the request names no client. A client that is unknown or whose secret
 * is wrong or missing → `invalid_client` (401); a client not allowed `grant`
 * → `unauthorized_client`.
 */
export function authenticateClient(
  accounts: Accounts,
  params: URLSearchParams,
  authorization: string | undefined,
  grant: GrantName,
): ClientAccount | undefined {
  const basic = authorization === undefined ? undefined : parseBasic(authorization);
  let clientId = params.get("client_id") ?? undefined;
  let secret = params.get("client_secret") ?? undefined;
  if (basic !== undefined) {
    if (secret !== undefined) throw new OAuthError("invalid_request", "use one way of client authentication, not both HTTP Basic and client_secret");
    if (clientId !== undefined && clientId !== basic.clientId) throw new OAuthError("invalid_request", "client_id differs from the HTTP Basic client");
    clientId = basic.clientId;
    secret = basic.secret;
  }
  if (clientId === undefined || clientId === "") {
    if (secret !== undefined) throw new OAuthError("invalid_request", "client_secret without client_id");
    return undefined;
  }

  const challenge = basic !== undefined ? BASIC_CHALLENGE : undefined;
  const client = accounts.client(clientId);
  if (client === undefined) throw new OAuthError("invalid_client", "unknown client", { challenge });
  if (client.secret !== undefined && (secret === undefined || !sameSecret(client.secret, secret))) {
    throw new OAuthError("invalid_client", secret === undefined ? "this client must authenticate" : "client authentication failed", {
      challenge,
    });
  }
  if (!client.grants.includes(grant)) {
    throw new OAuthError("unauthorized_client", `this client may not use the ${grant} grant`);
  }
  return client;
}

/** `Basic base64(urlencode(id) ":" urlencode(secret))`; a malformed header is `invalid_client`. */
function parseBasic(header: string): { clientId: string; secret: string } | undefined {
  const match = /^Basic +([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (match === null) {
    if (/^Basic\b/i.test(header)) throw new OAuthError("invalid_client", "malformed HTTP Basic credentials", { challenge: BASIC_CHALLENGE });
    return undefined; // another scheme (e.g. a Bearer token sent by habit): not client authentication
  }
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) throw new OAuthError("invalid_client", "malformed HTTP Basic credentials", { challenge: BASIC_CHALLENGE });
  try {
    return {
      clientId: decodeURIComponent(decoded.slice(0, colon).replace(/\+/g, " ")),
      secret: decodeURIComponent(decoded.slice(colon + 1).replace(/\+/g, " ")),
    };
  } catch {
    throw new OAuthError("invalid_client", "malformed HTTP Basic credentials", { challenge: BASIC_CHALLENGE });
  }
}
