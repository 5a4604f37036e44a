import type { CacheError, CacheSnapshot, CacheState, CachedValue, ValueSource } from "../core/cache-types.js";
import { parseCacheError } from "./cache-error.js";
import { decodePublication } from "./publication-decoder.js";
import { bytesOf, numberOf, oneOf, optionalOf, recordOf, stringOf, type Reader } from "./validate.js";

/**
 * A {@link CacheSnapshot} as it crosses a postMessage/BroadcastChannel
 * boundary: the publication travels as its protobuf bytes (structured clone
 * would strip the message's prototype and `$typeName` is not to be trusted).
 */
export interface WireSnapshot {
  readonly value?: WireValue;
  readonly state: WireState;
  /** A problem the state does not show (rejected publication, storage failure). */
  readonly lastError?: CacheError;
}

export interface WireValue {
  readonly publication: Uint8Array;
  readonly source: ValueSource;
  readonly receivedAt: number;
  readonly lastConfirmedAt?: number;
}

export interface WireState {
  readonly kind: CacheState["kind"];
  readonly nextAttemptAt?: number;
  readonly lastError?: CacheError;
}

/**
 * A snapshot of a ref whose value the pages already have (the same bytes as
 * the last `snapshot` sent): its version and freshness, the state and the
 * last error — a few hundred bytes instead of the body again (issue 16).
 */
export interface WireStateChange {
  readonly value?: WireFreshness;
  readonly state: WireState;
  readonly lastError?: CacheError;
}

/** What a value's bytes do not say: which version it is (so a tab knows it holds it), where it came from and how fresh it is. */
export interface WireFreshness {
  readonly version: string;
  readonly source: ValueSource;
  readonly receivedAt: number;
  readonly lastConfirmedAt?: number;
}

/** Longest version string a state change may name. */
const MAX_VERSION = 1024;

/** Largest publication we accept over the channel. */
export const MAX_PUBLICATION_BYTES = 8 * 1024 * 1024;

const KINDS = ["connecting", "live", "polling", "retrying", "needs-auth", "removed", "closed"] as const;
const SOURCES = ["storage", "stream", "poll"] as const;

const time = numberOf(0);
const optionalError = optionalOf(parseCacheError);

/** What a value and its freshness share: where it came from, when it arrived, when it was last confirmed. */
const VALUE_ORIGIN = { source: oneOf(SOURCES), receivedAt: time, lastConfirmedAt: optionalOf(time) };

const parseWireState: Reader<WireState> = recordOf({ kind: oneOf(KINDS), nextAttemptAt: optionalOf(time), lastError: optionalError });

/** Validates an untrusted wire snapshot (shape only; bytes are decoded later). */
export const parseWireSnapshot: Reader<WireSnapshot> = recordOf({
  state: parseWireState,
  value: optionalOf(recordOf({ publication: bytesOf(MAX_PUBLICATION_BYTES), ...VALUE_ORIGIN })),
  lastError: optionalError,
});

/** Validates an untrusted state change (shape only). */
export const parseWireStateChange: Reader<WireStateChange> = recordOf({
  state: parseWireState,
  value: optionalOf(recordOf({ version: stringOf(MAX_VERSION), ...VALUE_ORIGIN })),
  lastError: optionalError,
});

/**
 * Decodes a validated wire snapshot back into the core's shape; `undefined`
 * when the publication's bytes do not decode. Encoding is in
 * `to-wire-snapshot.ts`: only hosts encode, and pages must not load the
 * protobuf runtime it needs.
 */
export function fromWireSnapshot(wire: WireSnapshot): CacheSnapshot | undefined {
  let value: CachedValue | undefined;
  if (wire.value) {
    try {
      value = {
        publication: decodePublication(wire.value.publication),
        source: wire.value.source,
        receivedAt: wire.value.receivedAt,
        lastConfirmedAt: wire.value.lastConfirmedAt,
      };
    } catch {
      return undefined;
    }
  }
  const state = fromWireState(wire.state);
  return wire.lastError ? { value, state, lastError: wire.lastError } : { value, state };
}

/** A validated wire state in the core's shape. */
export function fromWireState(wire: WireState): CacheState {
  const error = wire.lastError ?? { code: "unknown", message: "", at: 0 };
  switch (wire.kind) {
    case "retrying":
      return { kind: "retrying", nextAttemptAt: wire.nextAttemptAt ?? 0, lastError: error };
    case "needs-auth":
      return { kind: "needs-auth", lastError: error };
    default:
      return { kind: wire.kind };
  }
}
