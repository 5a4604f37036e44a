import { protoInt64 } from "@bufbuild/protobuf";
import { EXPLICIT, Scalar, type LiteField, type LiteMessage } from "./descriptors.js";

/**
 * Messages as protobuf-es v2 makes them — plain objects with `$typeName`,
 * proto3 scalars at their zero value, repeated fields as arrays, message
 * fields absent until set, unknown fields in `$unknown` — so code written
 * against protobuf-es (and Connect) runs unchanged on the lite descriptors.
 */
export type LiteMessageShape = Record<string, unknown> & { $typeName: string; $unknown?: UnknownField[] };

/** One field this schema does not know, kept as read so it is written back. */
export interface UnknownField {
  no: number;
  wireType: number;
  data: Uint8Array;
}

const is64Bit = (scalar: Scalar | undefined) =>
  scalar === Scalar.INT64 || scalar === Scalar.UINT64 || scalar === Scalar.FIXED64 || scalar === Scalar.SFIXED64 || scalar === Scalar.SINT64;

/** The zero value of a scalar (or enum) field. */
export function scalarZero(scalar: Scalar | undefined): unknown {
  switch (scalar) {
    case Scalar.STRING:
      return "";
    case Scalar.BOOL:
      return false;
    case Scalar.BYTES:
      return new Uint8Array(0);
    default:
      return is64Bit(scalar) ? protoInt64.zero : 0;
  }
}

/** Whether a field holds something to write, by protobuf-es's rule (implicit presence: not the zero value). */
export function isFieldSet(field: LiteField, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (field.fieldKind === "list") return (value as unknown[]).length > 0;
  if (field.fieldKind === "message" || field.presence === EXPLICIT) return true;
  switch (field.scalar) {
    case Scalar.STRING:
      return value !== "";
    case Scalar.BOOL:
      return value !== false;
    case Scalar.BYTES:
      return (value as Uint8Array).byteLength > 0;
    default:
      // == as protobuf-es does: 0, 0n and "0" (64-bit values as strings) are all zero.
       
      return value != 0;
  }
}

/** protobuf-es's `isMessage`. */
export function isMessage(arg: unknown, schema?: LiteMessage): arg is LiteMessageShape {
  const message = arg !== null && typeof arg === "object" && "$typeName" in arg && typeof arg.$typeName === "string";
  if (!message) return false;
  return schema === undefined || schema.typeName === arg.$typeName;
}

function zeroMessage(schema: LiteMessage): LiteMessageShape {
  const message: LiteMessageShape = { $typeName: schema.typeName };
  for (const field of schema.fields) {
    if (field.fieldKind === "list") message[field.localName] = [];
    else if (field.fieldKind !== "message" && field.presence !== EXPLICIT) message[field.localName] = scalarZero(field.scalar);
  }
  return message;
}

function initScalar(field: LiteField, value: unknown): unknown {
  if (!is64Bit(field.scalar) || typeof value === "bigint") return value;
  const unsigned = field.scalar === Scalar.UINT64 || field.scalar === Scalar.FIXED64;
  return unsigned ? protoInt64.uParse(value as string | number) : protoInt64.parse(value as string | number);
}

/** protobuf-es's `create(schema, init)`: a message of the schema, with the init's fields (nested inits made messages too). */
export function create(schema: LiteMessage, init?: Record<string, unknown>): LiteMessageShape {
  if (isMessage(init, schema)) return init;
  const message = zeroMessage(schema);
  if (init === undefined) return message;
  for (const field of schema.fields) {
    const value = init[field.localName];
    if (value === undefined) continue;
    if (field.fieldKind === "message") {
      message[field.localName] = create(field.message!, value as Record<string, unknown>);
    } else if (field.fieldKind === "list") {
      message[field.localName] = (value as unknown[]).map((item) =>
        field.listKind === "message" ? create(field.message!, item as Record<string, unknown>) : initScalar(field, item),
      );
    } else {
      message[field.localName] = initScalar(field, value);
    }
  }
  return message;
}

function cloneValue(field: LiteField, value: unknown): unknown {
  if (field.message && isMessage(value)) return clone(field.message, value);
  if (value instanceof Uint8Array) return value.slice();
  return value;
}

/** protobuf-es's `clone`: a deep copy (bytes copied, unknown fields kept). */
export function clone<T extends LiteMessageShape>(schema: LiteMessage, message: T): T {
  const copy = zeroMessage(schema);
  for (const field of schema.fields) {
    const value = message[field.localName];
    if (!isFieldSet(field, value)) continue;
    copy[field.localName] = field.fieldKind === "list" ? (value as unknown[]).map((item) => cloneValue(field, item)) : cloneValue(field, value);
  }
  if (message.$unknown !== undefined) copy.$unknown = message.$unknown.slice();
  return copy as T;
}

function scalarEquals(field: LiteField, a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
  }
  // 64-bit values may be bigint or string; protobuf-es compares them loosely too.
   
  return is64Bit(field.scalar) ? a == b : a === b;
}

function fieldsEqual(schema: LiteMessage, a: LiteMessageShape, b: LiteMessageShape): boolean {
  for (const field of schema.fields) {
    const va = a[field.localName];
    const vb = b[field.localName];
    const setA = isFieldSet(field, va);
    if (setA !== isFieldSet(field, vb)) return false;
    if (!setA) continue;
    if (field.fieldKind === "message") {
      if (!fieldsEqual(field.message!, va as LiteMessageShape, vb as LiteMessageShape)) return false;
    } else if (field.fieldKind === "list") {
      const la = va as unknown[];
      const lb = vb as unknown[];
      if (la.length !== lb.length) return false;
      for (let i = 0; i < la.length; i++) {
        const same = field.listKind === "message"
          ? fieldsEqual(field.message!, la[i] as LiteMessageShape, lb[i] as LiteMessageShape)
          : scalarEquals(field, la[i], lb[i]);
        if (!same) return false;
      }
    } else if (!scalarEquals(field, va, vb)) return false;
  }
  return true;
}

/** protobuf-es's `equals` (fields only, as its default: unknown fields are not compared). */
export function equals(schema: LiteMessage, a: LiteMessageShape, b: LiteMessageShape): boolean {
  if (a.$typeName !== schema.typeName || b.$typeName !== schema.typeName) return false;
  return a === b || fieldsEqual(schema, a, b);
}
