import { BinaryReader, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { Scalar, wireTypeOf, type LiteField, type LiteMessage } from "./descriptors.js";
import { create, isFieldSet, type LiteMessageShape, type UnknownField } from "./messages.js";

/**
 * protobuf-es's `toBinary`/`fromBinary` over the lite descriptors, writing
 * the same bytes: fields in number order, proto3 zero values left out,
 * numeric repeated fields packed, unknown fields written back after the
 * known ones. Reading takes packed and unpacked repeated fields, merges a
 * message field that comes twice, checks UTF-8 (proto3) and keeps unknown
 * fields. Both are checked against protobuf-es byte for byte
 * (protobuf-lite.spec.ts).
 */

const RECURSION_LIMIT = 100;

/** The BinaryWriter / BinaryReader method for each scalar type (enums are int32), named alike on both. */
const SCALAR_METHOD: Record<Scalar, "double" | "float" | "int64" | "uint64" | "int32" | "fixed64" | "fixed32" | "bool" | "string" | "bytes" | "uint32" | "sfixed32" | "sfixed64" | "sint32" | "sint64"> = {
  [Scalar.DOUBLE]: "double",
  [Scalar.FLOAT]: "float",
  [Scalar.INT64]: "int64",
  [Scalar.UINT64]: "uint64",
  [Scalar.INT32]: "int32",
  [Scalar.FIXED64]: "fixed64",
  [Scalar.FIXED32]: "fixed32",
  [Scalar.BOOL]: "bool",
  [Scalar.STRING]: "string",
  [Scalar.BYTES]: "bytes",
  [Scalar.UINT32]: "uint32",
  [Scalar.SFIXED32]: "sfixed32",
  [Scalar.SFIXED64]: "sfixed64",
  [Scalar.SINT32]: "sint32",
  [Scalar.SINT64]: "sint64",
};

function writeScalar(writer: BinaryWriter, scalar: Scalar, value: unknown): void {
  (writer[SCALAR_METHOD[scalar]] as (value: unknown) => BinaryWriter)(value);
}

function writeMessage(writer: BinaryWriter, schema: LiteMessage, message: LiteMessageShape): BinaryWriter {
  for (const field of schema.sortedFields) {
    const value = message[field.localName];
    if (!isFieldSet(field, value)) continue;
    if (field.fieldKind === "message") {
      writeMessage(writer.tag(field.number, WireType.LengthDelimited).fork(), field.message!, value as LiteMessageShape).join();
    } else if (field.fieldKind === "list") {
      const list = value as unknown[];
      if (field.listKind === "message") {
        for (const item of list) writeMessage(writer.tag(field.number, WireType.LengthDelimited).fork(), field.message!, item as LiteMessageShape).join();
      } else if (field.packed) {
        writer.tag(field.number, WireType.LengthDelimited).fork();
        for (const item of list) writeScalar(writer, field.scalar!, item);
        writer.join();
      } else {
        for (const item of list) writeScalar(writer.tag(field.number, wireTypeOf(field.scalar!)), field.scalar!, item);
      }
    } else {
      writeScalar(writer.tag(field.number, wireTypeOf(field.scalar!)), field.scalar!, value);
    }
  }
  for (const { no, wireType, data } of message.$unknown ?? []) writer.tag(no, wireType).raw(data);
  return writer;
}

/** protobuf-es's `toBinary(schema, message)`. */
export function toBinary(schema: LiteMessage, message: LiteMessageShape): Uint8Array {
  return writeMessage(new BinaryWriter(), schema, message).finish();
}

function readScalar(reader: BinaryReader, scalar: Scalar): unknown {
  // proto3 strings must be valid UTF-8: protobuf-es reads them strictly too.
  return scalar === Scalar.STRING ? reader.string(true) : (reader[SCALAR_METHOD[scalar]] as () => unknown)();
}

function readField(reader: BinaryReader, message: LiteMessageShape, field: LiteField, wireType: WireType, depth: number): void {
  if (field.fieldKind === "message") {
    const existing = message[field.localName] as LiteMessageShape | undefined;
    message[field.localName] = readMessage(reader, field.message!, existing ?? create(field.message!), reader.uint32(), depth);
    return;
  }
  if (field.fieldKind !== "list") {
    message[field.localName] = readScalar(reader, field.scalar!);
    return;
  }
  const list = message[field.localName] as unknown[];
  if (field.listKind === "message") {
    list.push(readMessage(reader, field.message!, create(field.message!), reader.uint32(), depth));
  } else if (wireType === WireType.LengthDelimited && field.scalar !== Scalar.STRING && field.scalar !== Scalar.BYTES) {
    const end = reader.uint32() + reader.pos;
    while (reader.pos < end) list.push(readScalar(reader, field.scalar!));
  } else {
    list.push(readScalar(reader, field.scalar!));
  }
}

function readMessage(reader: BinaryReader, schema: LiteMessage, message: LiteMessageShape, length: number, depth: number): LiteMessageShape {
  if (depth > RECURSION_LIMIT) throw new Error(`cannot decode ${schema.typeName} from binary: maximum recursion depth of ${RECURSION_LIMIT} reached`);
  const end = reader.pos + length;
  const unknown: UnknownField[] = message.$unknown ?? [];
  while (reader.pos < end) {
    const [no, wireType] = reader.tag();
    const field = schema.byNumber.get(no);
    if (field) readField(reader, message, field, wireType, depth + 1);
    else unknown.push({ no, wireType, data: reader.skip(wireType, no) });
  }
  if (unknown.length > 0) message.$unknown = unknown;
  return message;
}

/** protobuf-es's `fromBinary(schema, bytes)`. */
export function fromBinary(schema: LiteMessage, bytes: Uint8Array): LiteMessageShape {
  return readMessage(new BinaryReader(bytes), schema, create(schema), bytes.byteLength, 1);
}

/** protobuf-es's `mergeFromBinary(schema, target, bytes)`. */
export function mergeFromBinary<T extends LiteMessageShape>(schema: LiteMessage, target: T, bytes: Uint8Array): T {
  readMessage(new BinaryReader(bytes), schema, target, bytes.byteLength, 1);
  return target;
}
