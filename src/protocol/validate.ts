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

/**
 * A reader of one untrusted value: the typed value, or `undefined` when it is
 * malformed. The `…Of` helpers below make readers, so that a message's shape
 * reads as a table of its fields (see {@link recordOf}).
 */
export type Reader<T> = (value: Untrusted) => T | undefined;

// The factories below are marked free of side effects, so that a bundle
// drops a reader built at a module's top level that nothing uses.

/** Reads strings of at most `maxLength` characters. */
/* @__NO_SIDE_EFFECTS__ */
export function stringOf(maxLength?: number): Reader<string> {
  return (value) => asString(value, maxLength);
}

/** Reads strings of at most `maxLength` characters that are not empty. */
/* @__NO_SIDE_EFFECTS__ */
export function nonEmptyStringOf(maxLength: number): Reader<string> {
  return (value) => asString(value, maxLength) || undefined;
}

/** Reads finite numbers of at least `min` (and at most `max`). */
/* @__NO_SIDE_EFFECTS__ */
export function numberOf(min: number, max?: number): Reader<number> {
  return (value) => asNumber(value, min, max);
}

/** Reads one of the `allowed` string literals. */
/* @__NO_SIDE_EFFECTS__ */
export function oneOf<T extends string>(allowed: readonly T[]): Reader<T> {
  return (value) => asOneOf(value, allowed);
}

/** Reads byte arrays of at most `maxBytes`. */
/* @__NO_SIDE_EFFECTS__ */
export function bytesOf(maxBytes: number): Reader<Uint8Array> {
  return (value) => asBytes(value, maxBytes);
}

/** Reads arrays of at most `maxItems` whose every item `item` reads. */
/* @__NO_SIDE_EFFECTS__ */
export function arrayOf<T>(maxItems: number, item: Reader<T>): Reader<T[]> {
  return (value) => asArrayOf(value, maxItems, item);
}

/** A field that may be left out: {@link absent} when it is, else what `read` makes of it. */
/* @__NO_SIDE_EFFECTS__ */
export function optionalOf<T>(read: Reader<T>): Reader<T | typeof absent> {
  return (value) => optional(value, read);
}

/** The fields of a record: each name with the reader of its value. */
export type FieldReaders = Readonly<Record<string, Reader<unknown>>>;

type Read<R> = R extends Reader<infer T> ? Exclude<T, typeof absent> : never;
type OptionalNames<F extends FieldReaders> = { [K in keyof F]: typeof absent extends ReturnType<F[K]> ? K : never }[keyof F];

/** What {@link recordOf} makes of `F`: a field read by an {@link optionalOf} reader is optional. */
export type RecordRead<F extends FieldReaders> = { [K in Exclude<keyof F, OptionalNames<F>>]: Read<F[K]> } & { [K in OptionalNames<F>]?: Read<F[K]> };

/**
 * Reads plain objects whose every field of `fields` its reader accepts:
 * the record of those fields alone (anything else the value carries is left
 * behind), without those that are {@link absent}; `undefined` when one is
 * malformed.
 */
/* @__NO_SIDE_EFFECTS__ */
export function recordOf<F extends FieldReaders>(fields: F): Reader<RecordRead<F>> {
  const names = Object.keys(fields);
  return (value) => {
    const record = asRecord(value);
    if (!record) return undefined;
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const field = fields[name]!(record[name]);
      if (field === undefined) return undefined;
      if (field !== absent) out[name] = field;
    }
    return out as RecordRead<F>;
  };
}
