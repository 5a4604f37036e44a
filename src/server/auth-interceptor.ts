import { timingSafeEqual } from "node:crypto";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";

/**
 * Every call must carry `authorization: Bearer <token>`; otherwise
 * UNAUTHENTICATED, as a real server answers a missing or expired token. The
 * token is compared in constant time and never logged.
 */
export function requireBearerToken(token: string): Interceptor {
  const expected = Buffer.from(token, "utf8");
  return (next) => async (req) => {
    const match = /^Bearer +(.+)$/i.exec(req.header.get("authorization") ?? "");
    const given = Buffer.from(match?.[1] ?? "", "utf8");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ConnectError(
        match === null ? "missing bearer token" : "invalid bearer token",
        Code.Unauthenticated,
      );
    }
    return next(req);
  };
}
