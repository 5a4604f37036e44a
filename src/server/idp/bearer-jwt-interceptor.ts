import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import type { AccessTokens } from "./access-tokens.js";

/** Who may call what (the spec's "Access policy", Smart Core BOS's default policy). */
export interface AccessPolicy {
  /** Roles that may call every method (`trait:write`, or an admin role). */
  readonly allowedRoles: readonly string[];
  /**
   * Roles that may only read (`trait:read`): the methods whose names start
   * with Get, List, Pull or Describe. Create, Update, Delete and
   * AcknowledgePublication are refused.
   */
  readonly readOnlyRoles: readonly string[];
}

/** As BOS's default policy reads a method name: these prefixes are reads, everything else is a write. */
export function isReadMethod(method: string): boolean {
  return /^(Get|List|Pull|Describe)/.test(method);
}

/**
 * Every call must carry `authorization: Bearer <jwt>` whose signature,
 * issuer, audience and expiry verify; otherwise UNAUTHENTICATED with
 * "missing", "expired" or "invalid bearer token" (the token is never echoed
 * or logged). A valid token holding none of the policy's roles, or only a
 * read-only role on a method that writes (AcknowledgePublication included) →
 * PERMISSION_DENIED, a policy refusal as real servers answer it.
 */
export function requireAccessToken(tokens: AccessTokens, policy: AccessPolicy): Interceptor {
  const { allowedRoles, readOnlyRoles } = policy;
  return (next) => async (req) => {
    const header = req.header.get("authorization");
    const match = /^Bearer +(\S+)\s*$/i.exec(header ?? "");
    if (match === null) {
      throw new ConnectError(header === null ? "missing bearer token" : "invalid bearer token", Code.Unauthenticated);
    }
    const check = await tokens.verify(match[1]!);
    if (!check.ok) throw new ConnectError(`${check.reason} bearer token`, Code.Unauthenticated);
    const roles = check.token.roles;
    if (roles.some((role) => allowedRoles.includes(role))) return next(req);
    const subject = JSON.stringify(check.token.subject);
    if (!roles.some((role) => readOnlyRoles.includes(role))) {
      throw new ConnectError(
        `${subject} may not use the publication API (needs one of the roles ${allowedRoles.join(", ")})`,
        Code.PermissionDenied,
      );
    }
    if (!isReadMethod(req.method.name)) {
      throw new ConnectError(
        `${subject} may only read publications, not call ${req.method.name} (needs one of the roles ${allowedRoles.join(", ")})`,
        Code.PermissionDenied,
      );
    }
    return next(req);
  };
}
