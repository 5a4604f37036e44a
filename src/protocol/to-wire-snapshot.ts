import type { CacheError, CacheSnapshot } from "../core/cache-types.js";
import { encodedPublication } from "../core/encoded-publication.js";
import type { WireSnapshot, WireStateChange } from "./wire-snapshot.js";

/** Encodes a snapshot for the wire (hosts only, as is everything in this file; pages decode with `fromWireSnapshot`). */
export function toWireSnapshot(snapshot: CacheSnapshot): WireSnapshot {
  const { value, state, lastError } = snapshot;
  return {
    ...(lastError && { lastError: cleanError(lastError) }),
    ...(value && {
      value: {
        // The bytes the value was compared (and stored) with: nothing is encoded again per snapshot.
        publication: encodedPublication(value.publication),
        source: value.source,
        receivedAt: value.receivedAt,
        ...(value.lastConfirmedAt !== undefined && { lastConfirmedAt: value.lastConfirmedAt }),
      },
    }),
    state: {
      kind: state.kind,
      ...(state.kind === "retrying" && { nextAttemptAt: state.nextAttemptAt }),
      ...((state.kind === "retrying" || state.kind === "needs-auth") && { lastError: cleanError(state.lastError) }),
    },
  };
}

/** The state change of `wire`, whose value (if any) has `version`: everything but the value's bytes. */
export function toWireStateChange(wire: WireSnapshot, version: string | undefined): WireStateChange {
  const { value, state, lastError } = wire;
  return {
    state,
    ...(lastError && { lastError }),
    ...(value &&
      version !== undefined && {
        value: {
          version,
          source: value.source,
          receivedAt: value.receivedAt,
          ...(value.lastConfirmedAt !== undefined && { lastConfirmedAt: value.lastConfirmedAt }),
        },
      }),
  };
}

/** Copies only the documented fields, so nothing else an error object carries leaks out. */
function cleanError(error: CacheError): CacheError {
  return { code: error.code, message: error.message, at: error.at };
}
