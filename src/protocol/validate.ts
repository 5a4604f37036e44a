/**
 * Small hand-written readers for untrusted structured-clone data. Each returns
 * the typed value or `undefined`; callers drop the whole message on the first
 * `undefined`, so nothing half-checked travels further.
 */

export type Untrusted = unknown;

/** A plain object (not an array, not null). */
export function asRecord(value: Untrusted): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A string no longer than `maxLength` (default 4096). */
export function asString(value: Untrusted, maxLength = 4096): string | undefined {
  return typeof value === "string" && value.length <= maxLength ? value : undefined;
}

/** A finite number within [min, max]. */
export function asNumber(value: Untrusted, min = -Number.MAX_VALUE, max = Number.MAX_VALUE): number | undefined {
  return typeof value === "number" && Number.isFinite(value) && value >= min && value <= max ? value : undefined;
}

/** One of the listed string literals. */
export function asOneOf<T extends string>(value: Untrusted, allowed: readonly T[]): T | undefined {
  return typeof value === "string" && (allowed as readonly string[]).includes(value) ? (value as T) : undefined;
}

/** A byte array no larger than `maxBytes`. */
export function asBytes(value: Untrusted, maxBytes: number): Uint8Array | undefined {
  return value instanceof Uint8Array && value.byteLength <= maxBytes ? value : undefined;
}

/** An array of at most `maxItems` whose every item passes `item`; `undefined` if any fails. */
export function asArrayOf<T>(value: Untrusted, maxItems: number, item: (v: Untrusted) => T | undefined): T[] | undefined {
  if (!Array.isArray(value) || value.length > maxItems) return undefined;
  const out: T[] = [];
  for (const raw of value) {
    const parsed = item(raw);
    if (parsed === undefined) return undefined;
    out.push(parsed);
  }
  return out;
}

/** `absent` when the field is missing/undefined, the parsed value when valid, `undefined` when invalid. */
export function optional<T>(value: Untrusted, read: (v: Untrusted) => T | undefined): T | typeof absent | undefined {
  return value === undefined ? absent : read(value);
}

/** Marker for "field not present" in {@link optional}. */
export const absent: unique symbol = Symbol("absent");
