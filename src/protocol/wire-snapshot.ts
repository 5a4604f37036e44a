import { CACHE_ERROR_CODES } from "../core/cache-error-code.js";
import type { CacheError, CacheSnapshot, CacheState, CachedValue, ValueSource } from "../core/cache-types.js";
import { decodePublication } from "./publication-decoder.js";
import { absent, asBytes, asNumber, asOneOf, asRecord, asString, optional, type Untrusted } from "./validate.js";

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

/** Largest publication we accept over the channel. */
export const MAX_PUBLICATION_BYTES = 8 * 1024 * 1024;

const KINDS = ["connecting", "live", "polling", "retrying", "needs-auth", "removed", "closed"] as const;
const SOURCES = ["storage", "stream", "poll"] as const;

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
  const error = wire.state.lastError ?? { code: "unknown", message: "", at: 0 };
  let state: CacheState;
  switch (wire.state.kind) {
    case "retrying":
      state = { kind: "retrying", nextAttemptAt: wire.state.nextAttemptAt ?? 0, lastError: error };
      break;
    case "needs-auth":
      state = { kind: "needs-auth", lastError: error };
      break;
    default:
      state = { kind: wire.state.kind };
  }
  return wire.lastError ? { value, state, lastError: wire.lastError } : { value, state };
}

/** Validates an untrusted wire snapshot (shape only; bytes are decoded later). */
export function parseWireSnapshot(raw: Untrusted): WireSnapshot | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  const state = parseWireState(record.state);
  const value = optional(record.value, parseWireValue);
  const lastError = optional(record.lastError, parseCacheError);
  if (!state || value === undefined || lastError === undefined) return undefined;
  return { state, ...(value !== absent && { value }), ...(lastError !== absent && { lastError }) };
}

function parseWireValue(raw: Untrusted): WireValue | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  const publication = asBytes(record.publication, MAX_PUBLICATION_BYTES);
  const source = asOneOf(record.source, SOURCES);
  const receivedAt = asNumber(record.receivedAt, 0);
  const lastConfirmedAt = optional(record.lastConfirmedAt, (v) => asNumber(v, 0));
  if (!publication || !source || receivedAt === undefined || lastConfirmedAt === undefined) return undefined;
  return { publication, source, receivedAt, ...(lastConfirmedAt !== absent && { lastConfirmedAt }) };
}

function parseWireState(raw: Untrusted): WireState | undefined {
  const record = asRecord(raw);
  if (!record) return undefined;
  const kind = asOneOf(record.kind, KINDS);
  const nextAttemptAt = optional(record.nextAttemptAt, (v) => asNumber(v, 0));
  const lastError = optional(record.lastError, parseCacheError);
  if (!kind || nextAttemptAt === undefined || lastError === undefined) return undefined;
  return {
    kind,
    ...(nextAttemptAt !== absent && { nextAttemptAt }),
    ...(lastError !== absent && { lastError }),
  };
}

/** Validates a {@link CacheError} from untrusted data: a known code, bounded message. */
export function parseCacheError(raw: Untrusted): CacheError | undefined {
  const record = asRecord(raw);
  const code = asOneOf(record?.code, CACHE_ERROR_CODES);
  const message = asString(record?.message, 2048);
  const at = asNumber(record?.at, 0);
  if (code === undefined || message === undefined || at === undefined) return undefined;
  return { code, message, at };
}
