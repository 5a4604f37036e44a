import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { AccessTokens } from "./access-tokens.js";

/**
 * Every call must carry `authorization: Bearer <jwt>` whose signature,
 * issuer, audience and expiry verify; otherwise UNAUTHENTICATED with
 * "missing", "expired" or "invalid bearer token" (the token is never echoed
 * or logged). A valid token holding none of `allowedRoles` → PERMISSION_DENIED,
 * a policy refusal as real servers answer it.
 */
export function requireAccessToken(tokens: AccessTokens, allowedRoles: readonly string[]): Interceptor {
  return (next) => async (req) => {
    const header = req.header.get("authorization");
    const match = /^Bearer +(\S+)\s*$/i.exec(header ?? "");
    if (match === null) {
      throw new ConnectError(header === null ? "missing bearer token" : "invalid bearer token", Code.Unauthenticated);
    }
    const check = await tokens.verify(match[1]!);
    if (!check.ok) throw new ConnectError(`${check.reason} bearer token`, Code.Unauthenticated);
    if (!check.token.roles.some((role) => allowedRoles.includes(role))) {
      throw new ConnectError(
        `${JSON.stringify(check.token.subject)} may not use the publication API (needs one of the roles ${allowedRoles.join(", ")})`,
        Code.PermissionDenied,
      );
    }
    return next(req);
  };
}
