import { Code, ConnectError } from "@connectrpc/connect";
import { CONNECT_CODE_NAMES, type CacheErrorCode } from "./cache-error-code.js";
import type { CacheError } from "./cache-types.js";

/**
 * What the update loop does about a failed call:
 * - `transient`: back off and retry (network failures, server trouble).
 * - `auth`: the credentials were refused; wait for new ones (or the max backoff).
 * - `permanent`: retrying soon cannot help (the request or the id is wrong);
 *   report it and back off straight to the maximum.
 */
export type ErrorClass = "transient" | "auth" | "permanent";

/**
 * Classifies an error from a PublicationApi call.
 *
 * connect-web reports a network failure ("Failed to fetch") as `Code.Unknown`,
 * not `Code.Unavailable`, so Unknown must stay transient. Anything that is not
 * a ConnectError at all (a bug in a transport or interceptor) is treated as
 * transient too: backing off is always safe, giving up never is.
 */
export function classifyError(err: unknown): ErrorClass {
  if (!(err instanceof ConnectError)) return "transient";
  switch (err.code) {
    case Code.Unauthenticated:
    case Code.PermissionDenied:
      return "auth";
    case Code.InvalidArgument:
    case Code.NotFound:
      return "permanent";
    default:
      return "transient";
  }
}

/**
 * A failure the cache detects itself rather than a call reporting it (e.g. a
 * stream that never delivers): carries its cache code to the state.
 */
export class CacheFault extends Error {
  override readonly name = "CacheFault";
  constructor(
    readonly code: Exclude<CacheErrorCode, `storage-${string}`>,
    message: string,
  ) {
    super(message);
  }
}

/** True for a ConnectError with the given code. */
export function hasCode(err: unknown, code: Code): boolean {
  return err instanceof ConnectError && err.code === code;
}

/**
 * The serialisable form the cache reports. Keeps the code name and the raw
 * message only: never metadata, which can carry credentials.
 */
export function toCacheError(err: unknown, at: number): CacheError {
  if (err instanceof ConnectError) {
    return { code: codeName(err.code), message: err.rawMessage, at };
  }
  if (err instanceof CacheFault) return { code: err.code, message: err.message, at };
  if (err instanceof Error) return { code: "unknown", message: err.message, at };
  return { code: "unknown", message: String(err), at };
}

/** `Code.PermissionDenied` → `"permission_denied"`, the gRPC spelling in lower case. */
function codeName(code: Code): CacheErrorCode {
  const name = (Code[code] ?? "unknown").replace(/[A-Z]/g, (c, i: number) => (i === 0 ? c : `_${c}`)).toLowerCase();
  return (CONNECT_CODE_NAMES as readonly string[]).includes(name) ? (name as CacheErrorCode) : "unknown";
}
