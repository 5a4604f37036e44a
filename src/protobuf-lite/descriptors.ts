import { WireType } from "@bufbuild/protobuf/wire";
import { protoCamelCase, safeObjectProperty } from "@bufbuild/protobuf/reflect";
import type { EnumProto, FileProto, MessageProto } from "./file-proto.js";

/**
 * Descriptors of the lite runtime: the part of protobuf-es's `DescFile`,
 * `DescMessage`, `DescEnum` and `DescService` that generated code, Connect's
 * gRPC-Web client and this runtime read — built from the FileDescriptorProto
 * the generated code embeds, read ahead at build time into a plain object
 * (`file-proto.ts`; the base64 itself, 4 kB gzipped in a worker, is not
 * shipped), without protobuf-es's descriptor.proto runtime and registry.
 *
 * Scope: proto3 files with scalar, enum, message and repeated fields (plus
 * proto3 `optional`) — what the publication API, google.protobuf's
 * Timestamp, FieldMask and Any, and google.rpc.Status use. Anything else
 * (proto2, editions, oneofs, maps, groups, extensions) throws when the file
 * is loaded, naming the file and the feature, so a bundle never runs with a
 * wrong codec.
 */

/** protobuf-es's ScalarType numbers (descriptor.proto's field types). */
export const Scalar = {
  DOUBLE: 1,
  FLOAT: 2,
  INT64: 3,
  UINT64: 4,
  INT32: 5,
  FIXED64: 6,
  FIXED32: 7,
  BOOL: 8,
  STRING: 9,
  BYTES: 12,
  UINT32: 13,
  SFIXED32: 15,
  SFIXED64: 16,
  SINT32: 17,
  SINT64: 18,
} as const;
export type Scalar = (typeof Scalar)[keyof typeof Scalar];

/** presence as protobuf-es numbers it: explicit (proto3 `optional`, messages) or implicit (proto3 scalars). */
export const EXPLICIT = 1;
export const IMPLICIT = 2;

export interface LiteField {
  readonly kind: "field";
  readonly name: string;
  readonly number: number;
  readonly localName: string;
  readonly parent: LiteMessage;
  /** "list" for repeated fields, as protobuf-es has it. */
  fieldKind: "scalar" | "enum" | "message" | "list";
  listKind?: "scalar" | "enum" | "message";
  /** The scalar type; enums are read and written as int32. */
  scalar?: Scalar;
  message?: LiteMessage;
  enum?: LiteEnum;
  presence: number;
  packed: boolean;
  toString(): string;
}

export interface LiteMessage {
  readonly kind: "message";
  readonly name: string;
  readonly typeName: string;
  readonly file: LiteFile;
  readonly fields: LiteField[];
  readonly field: Record<string, LiteField>;
  /** Fields by number, for reading. */
  readonly byNumber: Map<number, LiteField>;
  /** Fields in number order, the order protobuf-es writes them in. */
  readonly sortedFields: LiteField[];
  readonly nestedMessages: LiteMessage[];
  readonly nestedEnums: LiteEnum[];
  toString(): string;
}

export interface LiteEnumValue {
  readonly kind: "enum_value";
  readonly name: string;
  readonly number: number;
}

export interface LiteEnum {
  readonly kind: "enum";
  readonly name: string;
  readonly typeName: string;
  readonly values: LiteEnumValue[];
  readonly value: Record<number, LiteEnumValue>;
  readonly open: true;
  toString(): string;
}

export interface LiteMethod {
  readonly kind: "rpc";
  readonly name: string;
  readonly localName: string;
  readonly parent: LiteService;
  readonly methodKind: "unary" | "server_streaming" | "client_streaming" | "bidi_streaming";
  readonly input: LiteMessage;
  readonly output: LiteMessage;
  readonly idempotency: number;
  readonly deprecated: false;
  toString(): string;
}

export interface LiteService {
  readonly kind: "service";
  readonly name: string;
  readonly typeName: string;
  readonly file: LiteFile;
  readonly methods: LiteMethod[];
  readonly method: Record<string, LiteMethod>;
  toString(): string;
}

export interface LiteFile {
  readonly kind: "file";
  readonly name: string;
  /** `{ name }`, as protobuf-es's `DescFile.proto` carries it (generated code and `fileDesc` read the name). */
  readonly proto: { readonly name: string };
  readonly messages: LiteMessage[];
  readonly enums: LiteEnum[];
  readonly services: LiteService[];
  /** Every message and enum of this file and the files it imports, by full name. */
  readonly types: Map<string, LiteMessage | LiteEnum>;
}

/** A FileDescriptorProto feature the lite runtime does not implement. */
export class ProtobufLiteUnsupportedError extends Error {
  constructor(file: string, feature: string) {
    super(`protobuf-lite: ${file} uses ${feature}, which this runtime does not implement; build without pubcacheWorker's liteProtobuf option`);
    this.name = "ProtobufLiteUnsupportedError";
  }
}

const TYPE_GROUP = 10;
const TYPE_MESSAGE = 11;
const TYPE_ENUM = 14;
const LABEL_REPEATED = 3;

const NUMERIC_NOT_PACKABLE = new Set<number>([Scalar.STRING, Scalar.BYTES]);

/**
 * Hydrates a file descriptor: protobuf-es's `fileDesc`, whose base64
 * argument the build (`protobufLite`) has replaced with what
 * `readFileProto` reads from it; the files it imports come second, as in
 * generated code.
 */
export function fileDesc(proto: FileProto | string, imports?: readonly LiteFile[]): LiteFile {
  if (typeof proto === "string") throw new ProtobufLiteUnsupportedError("a generated file", "a descriptor the build did not read ahead (protobufLite's transform)");
  const unsupported = (feature: string) => new ProtobufLiteUnsupportedError(proto.name, feature);
  if (proto.syntax !== "proto3") throw unsupported(proto.edition ? "editions" : "proto2 syntax");
  if (proto.extensions) throw unsupported("extensions");

  const types = new Map<string, LiteMessage | LiteEnum>();
  for (const imported of imports ?? []) for (const [name, type] of imported.types) types.set(name, type);
  const file: LiteFile = { kind: "file", name: proto.name, proto: { name: proto.name }, messages: [], enums: [], services: [], types };
  const prefix = proto.package ? `${proto.package}.` : "";

  const addEnum = (enumProto: EnumProto, scope: string, into: LiteEnum[]) => {
    const typeName = scope + enumProto.name;
    const desc: LiteEnum = {
      kind: "enum",
      name: enumProto.name,
      typeName,
      values: [],
      value: {},
      open: true,
      toString: () => `enum ${typeName}`,
    };
    for (const value of enumProto.values) {
      const valueDesc: LiteEnumValue = { kind: "enum_value", name: value.name, number: value.number };
      desc.values.push(valueDesc);
      desc.value[value.number] = valueDesc;
    }
    into.push(desc);
    types.set(typeName, desc);
  };
  const pending: Array<[MessageProto, LiteMessage]> = [];
  const addMessage = (messageProto: MessageProto, scope: string, into: LiteMessage[]) => {
    const typeName = scope + messageProto.name;
    if (messageProto.mapEntry) throw unsupported(`a map field (${typeName})`);
    const desc: LiteMessage = {
      kind: "message",
      name: messageProto.name,
      typeName,
      file,
      fields: [],
      field: {},
      byNumber: new Map(),
      sortedFields: [],
      nestedMessages: [],
      nestedEnums: [],
      toString: () => `message ${typeName}`,
    };
    into.push(desc);
    types.set(typeName, desc);
    pending.push([messageProto, desc]);
    for (const enumProto of messageProto.enums ?? []) addEnum(enumProto, `${typeName}.`, desc.nestedEnums);
    for (const nested of messageProto.nested ?? []) addMessage(nested, `${typeName}.`, desc.nestedMessages);
  };
  for (const enumProto of proto.enums ?? []) addEnum(enumProto, prefix, file.enums);
  for (const messageProto of proto.messages ?? []) addMessage(messageProto, prefix, file.messages);

  const lookup = <K extends "message" | "enum">(name: string, kind: K) => {
    const type = types.get(name.startsWith(".") ? name.slice(1) : name);
    if (!type || type.kind !== kind) throw unsupported(`${kind} ${name}, which none of its imports defines`);
    return type as K extends "message" ? LiteMessage : LiteEnum;
  };

  for (const [messageProto, message] of pending) {
    for (const fieldProto of messageProto.fields ?? []) {
      if (fieldProto.oneofIndex !== undefined && !fieldProto.proto3Optional) throw unsupported(`a oneof (${message.typeName})`);
      if (fieldProto.type === TYPE_GROUP) throw unsupported(`a group (${message.typeName})`);
      const repeated = fieldProto.label === LABEL_REPEATED;
      const kind = fieldProto.type === TYPE_MESSAGE ? "message" : fieldProto.type === TYPE_ENUM ? "enum" : "scalar";
      const name = fieldProto.name;
      const field: LiteField = {
        kind: "field",
        name,
        number: fieldProto.number,
        localName: safeObjectProperty(protoCamelCase(name)),
        parent: message,
        fieldKind: repeated ? "list" : kind,
        presence: !repeated && (kind === "message" || fieldProto.proto3Optional) ? EXPLICIT : IMPLICIT,
        packed: repeated && kind !== "message" && !NUMERIC_NOT_PACKABLE.has(fieldProto.type) && fieldProto.packed !== false,
        toString: () => `field ${message.typeName}.${name}`,
      };
      if (repeated) field.listKind = kind;
      if (kind === "message") field.message = lookup(fieldProto.typeName ?? "", "message");
      else if (kind === "enum") {
        field.enum = lookup(fieldProto.typeName ?? "", "enum");
        field.scalar = Scalar.INT32;
      } else field.scalar = fieldProto.type as Scalar;
      message.fields.push(field);
      message.field[field.localName] = field;
      message.byNumber.set(field.number, field);
    }
    message.sortedFields.push(...[...message.fields].sort((a, b) => a.number - b.number));
  }

  for (const serviceProto of proto.services ?? []) {
    const typeName = prefix + serviceProto.name;
    const service: LiteService = {
      kind: "service",
      name: serviceProto.name,
      typeName,
      file,
      methods: [],
      method: {},
      toString: () => `service ${typeName}`,
    };
    for (const methodProto of serviceProto.methods) {
      const name = methodProto.name;
      const method: LiteMethod = {
        kind: "rpc",
        name,
        localName: safeObjectProperty(name.length ? safeObjectProperty(name[0]!.toLowerCase() + name.substring(1)) : name),
        parent: service,
        methodKind: methodProto.clientStreaming
          ? methodProto.serverStreaming ? "bidi_streaming" : "client_streaming"
          : methodProto.serverStreaming ? "server_streaming" : "unary",
        input: lookup(methodProto.inputType, "message"),
        output: lookup(methodProto.outputType, "message"),
        idempotency: 0,
        deprecated: false,
        toString: () => `rpc ${typeName}.${name}`,
      };
      service.methods.push(method);
      service.method[method.localName] = method;
    }
    file.services.push(service);
  }
  return file;
}

/** protobuf-es's `messageDesc(file, index, ...nested)`. */
export function messageDesc(file: LiteFile, path: number, ...paths: number[]): LiteMessage {
  return paths.reduce((message, index) => message.nestedMessages[index]!, file.messages[path]!);
}

/** protobuf-es's `enumDesc(file, index, ...nested)`: the last index picks an enum, the ones before it messages. */
export function enumDesc(file: LiteFile, path: number, ...paths: number[]): LiteEnum {
  if (paths.length === 0) return file.enums[path]!;
  const last = paths.pop()!;
  return messageDesc(file, path, ...paths).nestedEnums[last]!;
}

/** protobuf-es's `serviceDesc(file, index)`. */
export function serviceDesc(file: LiteFile, path: number): LiteService {
  return file.services[path]!;
}

/** The wire type a scalar is written with. */
export function wireTypeOf(scalar: Scalar): WireType {
  switch (scalar) {
    case Scalar.STRING:
    case Scalar.BYTES:
      return WireType.LengthDelimited;
    case Scalar.DOUBLE:
    case Scalar.FIXED64:
    case Scalar.SFIXED64:
      return WireType.Bit64;
    case Scalar.FLOAT:
    case Scalar.FIXED32:
    case Scalar.SFIXED32:
      return WireType.Bit32;
    default:
      return WireType.Varint;
  }
}
