import { BinaryReader } from "@bufbuild/protobuf/wire";

/**
 * What the lite runtime needs of a FileDescriptorProto, as a plain object
 * that keeps only what is set (a field's label 1, empty lists, false and
 * zero are left out). `protobufLite` reads the base64 descriptor each
 * generated file embeds into this at build time and writes it into the
 * bundle as a literal, so the worker neither ships the base64 nor decodes it.
 */
export interface FileProto {
  name: string;
  package?: string;
  messages?: MessageProto[];
  enums?: EnumProto[];
  services?: ServiceProto[];
  syntax?: string;
  edition?: number;
  /** How many extensions the file declares (the lite runtime has none). */
  extensions?: number;
}
export interface MessageProto {
  name: string;
  fields?: FieldProto[];
  nested?: MessageProto[];
  enums?: EnumProto[];
  mapEntry?: boolean;
}
export interface FieldProto {
  name: string;
  number: number;
  /** descriptor.proto's label: 1 optional (left out), 3 repeated. */
  label?: number;
  type: number;
  typeName?: string;
  oneofIndex?: number;
  proto3Optional?: boolean;
  packed?: boolean;
}
export interface EnumProto {
  name: string;
  values: Array<{ name: string; number: number }>;
}
export interface ServiceProto {
  name: string;
  methods: MethodProto[];
}
export interface MethodProto {
  name: string;
  inputType: string;
  outputType: string;
  clientStreaming?: boolean;
  serverStreaming?: boolean;
}

/** Reads one message's fields with `read(fieldNumber, reader)`; the fields it does not take are skipped. */
function readMessage(bytes: Uint8Array, read: (no: number, reader: BinaryReader) => boolean): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [no, wireType] = reader.tag();
    if (!read(no, reader)) reader.skip(wireType, no);
  }
}

const push = <T>(list: T[] | undefined, item: T): T[] => [...(list ?? []), item];

function readField(bytes: Uint8Array): FieldProto {
  const field: FieldProto = { name: "", number: 0, type: 0 };
  readMessage(bytes, (no, reader) => {
    switch (no) {
      case 1: field.name = reader.string(); return true;
      case 3: field.number = reader.int32(); return true;
      case 4: {
        const label = reader.int32();
        if (label !== 1) field.label = label;
        return true;
      }
      case 5: field.type = reader.int32(); return true;
      case 6: field.typeName = reader.string(); return true;
      case 8:
        readMessage(reader.bytes(), (ono, oreader) => (ono === 2 ? ((field.packed = oreader.bool()), true) : false));
        return true;
      case 9: field.oneofIndex = reader.int32(); return true;
      case 17: if (reader.bool()) field.proto3Optional = true; return true;
      default: return false;
    }
  });
  return field;
}

function readEnum(bytes: Uint8Array): EnumProto {
  const proto: EnumProto = { name: "", values: [] };
  readMessage(bytes, (no, reader) => {
    if (no === 1) proto.name = reader.string();
    else if (no === 2) {
      const value = { name: "", number: 0 };
      readMessage(reader.bytes(), (vno, vreader) => {
        if (vno === 1) value.name = vreader.string();
        else if (vno === 2) value.number = vreader.int32();
        else return false;
        return true;
      });
      proto.values.push(value);
    } else return false;
    return true;
  });
  return proto;
}

function readMessageProto(bytes: Uint8Array): MessageProto {
  const proto: MessageProto = { name: "" };
  readMessage(bytes, (no, reader) => {
    switch (no) {
      case 1: proto.name = reader.string(); return true;
      case 2: proto.fields = push(proto.fields, readField(reader.bytes())); return true;
      case 3: proto.nested = push(proto.nested, readMessageProto(reader.bytes())); return true;
      case 4: proto.enums = push(proto.enums, readEnum(reader.bytes())); return true;
      case 7:
        readMessage(reader.bytes(), (ono, oreader) => (ono === 7 ? (oreader.bool() && (proto.mapEntry = true), true) : false));
        return true;
      default: return false;
    }
  });
  return proto;
}

function readService(bytes: Uint8Array): ServiceProto {
  const proto: ServiceProto = { name: "", methods: [] };
  readMessage(bytes, (no, reader) => {
    if (no === 1) proto.name = reader.string();
    else if (no === 2) {
      const method: MethodProto = { name: "", inputType: "", outputType: "" };
      readMessage(reader.bytes(), (mno, mreader) => {
        switch (mno) {
          case 1: method.name = mreader.string(); return true;
          case 2: method.inputType = mreader.string(); return true;
          case 3: method.outputType = mreader.string(); return true;
          case 5: if (mreader.bool()) method.clientStreaming = true; return true;
          case 6: if (mreader.bool()) method.serverStreaming = true; return true;
          default: return false;
        }
      });
      proto.methods.push(method);
    } else return false;
    return true;
  });
  return proto;
}

/** Reads a FileDescriptorProto, as protoc-gen-es embeds it (standard base64, no padding), into a {@link FileProto}. */
export function readFileProto(b64: string): FileProto {
  const binary = atob(b64.padEnd(b64.length + ((4 - (b64.length % 4)) % 4), "="));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  const proto: FileProto = { name: "" };
  readMessage(bytes, (no, reader) => {
    switch (no) {
      case 1: proto.name = reader.string(); return true;
      case 2: proto.package = reader.string(); return true;
      case 4: proto.messages = push(proto.messages, readMessageProto(reader.bytes())); return true;
      case 5: proto.enums = push(proto.enums, readEnum(reader.bytes())); return true;
      case 6: proto.services = push(proto.services, readService(reader.bytes())); return true;
      case 7: reader.bytes(); proto.extensions = (proto.extensions ?? 0) + 1; return true;
      case 12: proto.syntax = reader.string(); return true;
      case 14: proto.edition = reader.int32(); return true;
      default: return false;
    }
  });
  return proto;
}
