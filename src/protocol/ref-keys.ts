import type { PublicationRef, RefScope } from "./publication-ref.js";

// The host's bookkeeping of refs and scopes; apart from publication-ref.ts,
// which pages load too, so that they do not carry it.

/** A stable string key for maps; unambiguous because it is JSON of an array. */
export function refKey(ref: PublicationRef): string {
  return JSON.stringify([ref.server, ref.device, ref.partition, ref.id]);
}

/** A stable string key for a scope. */
export function scopeKeyOf(scope: RefScope): string {
  return JSON.stringify([scope.server, scope.device, scope.partition]);
}

/** True when the ref lies in the scope. */
export function inScope(ref: PublicationRef, scope: RefScope): boolean {
  return ref.server === scope.server && ref.device === scope.device && ref.partition === scope.partition;
}
