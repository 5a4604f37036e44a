import * as real from "@bufbuild/protobuf";
import type { DescField, DescFile, DescMessage, Message } from "@bufbuild/protobuf";
import { FileDescriptorProtoSchema, file_google_protobuf_any, file_google_protobuf_timestamp, type FileDescriptorProto } from "@bufbuild/protobuf/wkt";
import { base64Encode, BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { describe, expect, it } from "vitest";
import { file_smartcore_traits_publication } from "../gen/smartcore/traits/publication_pb.js";
import { file_smartcore_bos_publication_v1_publication } from "../gen/smartcore/bos/publication/v1/publication_pb.js";
import { seededRandom } from "../core/random.js";
import * as lite from "./index.js";
import type { LiteFile, LiteMessage } from "./descriptors.js";
import { readFileProto } from "./file-proto.js";
import type { LiteMessageShape } from "./messages.js";

/** The base64 FileDescriptorProto protoc-gen-es would embed for a file. */
const embedded = (proto: FileDescriptorProto) => base64Encode(real.toBinary(FileDescriptorProtoSchema, proto), "std_raw");
/** What the build (protobufLite) puts in place of that base64. */
const readAhead = (proto: FileDescriptorProto) => readFileProto(embedded(proto));

/** Loads a protobuf-es file and its imports into the lite runtime, as generated code would. */
function liteFileOf(file: DescFile, loaded = new Map<string, LiteFile>()): LiteFile {
  const known = loaded.get(file.name);
  if (known) return known;
  const imports = file.dependencies.map((dependency) => liteFileOf(dependency, loaded));
  const liteFile = lite.fileDesc(readAhead(file.proto), imports);
  loaded.set(file.name, liteFile);
  return liteFile;
}

/** A synthetic proto3 file with every scalar type, packed and unpacked lists, an enum list, a proto3 optional and a nested message. */
const everyScalarProto = real.create(FileDescriptorProtoSchema, {
  name: "test/every_scalar.proto",
  package: "test",
  syntax: "proto3",
  enumType: [{ name: "Colour", value: [{ name: "COLOUR_UNSPECIFIED", number: 0 }, { name: "RED", number: 1 }, { name: "BLUE", number: 2 }] }],
  messageType: [
    {
      name: "Scalars",
      field: [
        ...[
          ["d", 1], ["f", 2], ["i64", 3], ["u64", 4], ["i32", 5], ["fx64", 6], ["fx32", 7], ["b", 8], ["s", 9],
          ["by", 12], ["u32", 13], ["sfx32", 15], ["sfx64", 16], ["si32", 17], ["si64", 18],
        ].flatMap(([name, type], index) => [
          { name: `one_${name}`, number: index + 1, label: 1, type: type as number, jsonName: `one${name}` },
          { name: `many_${name}`, number: index + 40, label: 3, type: type as number, jsonName: `many${name}` },
        ]),
        { name: "unpacked_ints", number: 80, label: 3, type: 5, options: { packed: false } },
        { name: "colour", number: 81, label: 1, type: 14, typeName: ".test.Colour" },
        { name: "colours", number: 82, label: 3, type: 14, typeName: ".test.Colour" },
        { name: "maybe", number: 83, label: 1, type: 5, proto3Optional: true, oneofIndex: 0 },
        { name: "child", number: 84, label: 1, type: 11, typeName: ".test.Scalars.Child" },
        { name: "children", number: 85, label: 3, type: 11, typeName: ".test.Scalars.Child" },
        { name: "constructor", number: 86, label: 1, type: 9 },
      ],
      oneofDecl: [{ name: "_maybe" }],
      nestedType: [{ name: "Child", field: [{ name: "name", number: 1, label: 1, type: 9 }, { name: "child", number: 2, label: 1, type: 11, typeName: ".test.Scalars.Child" }] }],
    },
  ],
});
const everyScalarReal = real.createFileRegistry(everyScalarProto, () => undefined).getFile("test/every_scalar.proto")!;
const everyScalarLite = lite.fileDesc(readAhead(everyScalarProto));

/** A small deterministic random source, so a failure can be replayed. */
function randomSource(seed: number) {
  const next = seededRandom(seed);
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: <T>(items: readonly T[]) => items[int(items.length)]! };
}
type Random = ReturnType<typeof randomSource>;

const STRINGS = ["", "a", "notice", "Ünïcödé ✓", "lobby:config", "x".repeat(200), "constructor", "__proto__"];

function randomScalar(random: Random, type: number): unknown {
  switch (type) {
    case 1: return random.pick([0, 1.5, -2.25, 1e300, Number.MIN_VALUE]);
    case 2: return random.pick([0, 1.5, -2.25, 3.25]);
    case 3: case 16: case 18: return random.pick([0n, 1n, -1n, 9007199254740993n, -9223372036854775808n]);
    case 4: case 6: return random.pick([0n, 1n, 18446744073709551615n, 9007199254740993n]);
    case 5: case 15: case 17: return random.pick([0, 1, -1, 2147483647, -2147483648, 300]);
    case 7: case 13: return random.pick([0, 1, 4294967295, 300]);
    case 8: return random.pick([false, true]);
    case 9: return random.pick(STRINGS);
    case 12: return random.pick([new Uint8Array(0), new Uint8Array([0]), new Uint8Array([1, 2, 250]), new Uint8Array(300).fill(7)]);
    case 14: return random.pick([0, 1, 2, 3, 99]);
    default: throw new Error(`no random value for type ${type}`);
  }
}

/** A random init of a protobuf-es message: some fields set, some lists, some nested messages. */
function randomInit(random: Random, schema: DescMessage, depth = 0): Record<string, unknown> {
  const init: Record<string, unknown> = {};
  const value = (field: DescField): unknown => {
    if (field.message) return depth < 3 ? randomInit(random, field.message, depth + 1) : {};
    return randomScalar(random, field.enum ? 14 : field.scalar);
  };
  for (const field of schema.fields) {
    if (random.next() < 0.3) continue;
    if (field.fieldKind === "list") init[field.localName] = Array.from({ length: random.int(4) }, () => value(field));
    else if (field.fieldKind === "message") {
      if (depth < 3) init[field.localName] = value(field);
    } else init[field.localName] = value(field);
  }
  return init;
}

/** Every message type of a file, nested ones included. */
function messagesOf(file: DescFile | LiteFile): Array<DescMessage | LiteMessage> {
  const all: Array<DescMessage | LiteMessage> = [];
  const add = (message: DescMessage | LiteMessage) => {
    all.push(message);
    (message.nestedMessages as Array<DescMessage | LiteMessage>).forEach(add);
  };
  (file.messages as Array<DescMessage | LiteMessage>).forEach(add);
  return all;
}

const anyLite = liteFileOf(file_google_protobuf_any);
const FILES: Array<[string, DescFile, LiteFile]> = [
  ["smartcore.traits", file_smartcore_traits_publication, liteFileOf(file_smartcore_traits_publication)],
  ["smartcore.bos.publication.v1", file_smartcore_bos_publication_v1_publication, liteFileOf(file_smartcore_bos_publication_v1_publication)],
  ["google.protobuf.Timestamp", file_google_protobuf_timestamp, liteFileOf(file_google_protobuf_timestamp)],
  ["google.protobuf.Any", file_google_protobuf_any, anyLite],
  ["every scalar type", everyScalarReal, everyScalarLite],
];

const asLite = (message: Message) => message as unknown as LiteMessageShape;

describe("protobuf-lite against protobuf-es", () => {
  for (const [name, realFile, liteFile] of FILES) {
    const pairs = messagesOf(realFile).map((realMessage) => {
      const liteMessage = messagesOf(liteFile).find((m) => m.typeName === realMessage.typeName) as LiteMessage | undefined;
      return [realMessage as DescMessage, liteMessage] as const;
    });

    it(`${name}: the same message types, fields and services`, () => {
      for (const [realMessage, liteMessage] of pairs) {
        expect(liteMessage, realMessage.typeName).toBeDefined();
        expect(liteMessage!.fields.map((f) => [f.number, f.name, f.localName, f.fieldKind, f.listKind, f.scalar, f.message?.typeName, f.enum?.typeName, f.presence, f.packed])).toEqual(
          realMessage.fields.map((f) => [f.number, f.name, f.localName, f.fieldKind, f.fieldKind === "list" ? f.listKind : undefined, f.scalar ?? (f.enum ? 5 : undefined), f.message?.typeName, f.enum?.typeName, f.presence, f.fieldKind === "list" ? f.packed : false]),
        );
      }
      expect(liteFile.services.map((s) => [s.typeName, s.methods.map((m) => [m.name, m.localName, m.methodKind, m.input.typeName, m.output.typeName, m.parent.typeName])])).toEqual(
        realFile.services.map((s) => [s.typeName, s.methods.map((m) => [m.name, m.localName, m.methodKind, m.input.typeName, m.output.typeName, m.parent.typeName])]),
      );
    });

    it(`${name}: create, toBinary, fromBinary, clone and equals agree on 150 random messages of each type`, () => {
      const random = randomSource(name.length * 7919);
      for (const [realSchema, liteSchema] of pairs) {
        expect(lite.create(liteSchema!)).toEqual(real.create(realSchema));
        for (let round = 0; round < 150; round++) {
          const init = randomInit(random, realSchema);
          const realMessage = real.create(realSchema, init);
          const liteMessage = lite.create(liteSchema!, init);
          expect(liteMessage, `create ${realSchema.typeName}`).toEqual(realMessage);

          const bytes = real.toBinary(realSchema, realMessage);
          expect(lite.toBinary(liteSchema!, liteMessage), `toBinary ${realSchema.typeName}`).toEqual(bytes);
          expect(lite.fromBinary(liteSchema!, bytes), `fromBinary ${realSchema.typeName}`).toEqual(real.fromBinary(realSchema, bytes));

          const copy = lite.clone(liteSchema!, liteMessage);
          expect(copy).toEqual(real.clone(realSchema, realMessage));
          expect(lite.equals(liteSchema!, liteMessage, copy)).toBe(true);
          const other = real.create(realSchema, randomInit(random, realSchema));
          expect(lite.equals(liteSchema!, liteMessage, asLite(other)), `equals ${realSchema.typeName}`).toBe(real.equals(realSchema, realMessage, other));
        }
      }
    });
  }

  it("keeps unknown fields as protobuf-es does and writes them back after the known ones", () => {
    const [realSchema, liteSchema] = [file_smartcore_traits_publication.messages[0]!, liteFileOf(file_smartcore_traits_publication).messages[0]!];
    const known = real.toBinary(realSchema, real.create(realSchema, { id: "notice", version: "v1", body: new Uint8Array([1, 2]) }));
    const unknown = new BinaryWriter().tag(99, WireType.Varint).uint32(7).tag(100, WireType.LengthDelimited).bytes(new Uint8Array([9, 9])).finish();
    const bytes = new Uint8Array([...unknown, ...known]);
    const liteMessage = lite.fromBinary(liteSchema, bytes);
    const realMessage = real.fromBinary(realSchema, bytes);
    expect(liteMessage).toEqual(realMessage);
    expect(liteMessage.$unknown).toHaveLength(2);
    expect(lite.toBinary(liteSchema, liteMessage)).toEqual(real.toBinary(realSchema, realMessage));
    expect(lite.clone(liteSchema, liteMessage).$unknown).toEqual(liteMessage.$unknown);
  });

  it("merges a message field that comes twice, and reads packed and unpacked lists alike", () => {
    const scalars = everyScalarLite.messages[0]!;
    const realScalars = everyScalarReal.messages[0]!;
    const first = real.toBinary(realScalars, real.create(realScalars, { child: { name: "a" }, manyI32: [1, 2] }));
    const second = real.toBinary(realScalars, real.create(realScalars, { child: { child: { name: "b" } }, unpackedInts: [3], manyI32: [4] }));
    const joined = new Uint8Array([...first, ...second]);
    expect(lite.fromBinary(scalars, joined)).toEqual(real.fromBinary(realScalars, joined));
    const unpacked = new BinaryWriter().tag(40 + 4, WireType.Varint).int32(5).tag(40 + 4, WireType.Varint).int32(6).finish();
    expect(lite.fromBinary(scalars, unpacked)).toMatchObject({ manyI32: [5, 6] });
  });

  it("refuses a string that is not UTF-8, as protobuf-es does for proto3", () => {
    const liteSchema = liteFileOf(file_smartcore_traits_publication).messages[0]!;
    const bytes = new BinaryWriter().tag(1, WireType.LengthDelimited).bytes(new Uint8Array([0xff, 0xfe])).finish();
    expect(() => real.fromBinary(file_smartcore_traits_publication.messages[0]!, bytes)).toThrow();
    expect(() => lite.fromBinary(liteSchema, bytes)).toThrow();
  });

  it("isMessage, messageDesc, enumDesc and serviceDesc find what protobuf-es's do", () => {
    const liteFile = liteFileOf(file_smartcore_traits_publication);
    const audience = lite.messageDesc(liteFile, 0, 0);
    expect(audience.typeName).toBe("smartcore.traits.Publication.Audience");
    expect(lite.enumDesc(liteFile, 0, 0, 0).typeName).toBe("smartcore.traits.Publication.Audience.Receipt");
    expect(lite.enumDesc(liteFile, 0, 0, 0).values.map((v) => v.number)).toEqual([0, 1, 2, 3]);
    expect(lite.serviceDesc(liteFile, 0).method.pullPublications!.methodKind).toBe("server_streaming");
    const message = lite.create(audience, { name: "lobby" });
    expect(lite.isMessage(message, audience)).toBe(true);
    expect(lite.isMessage(message, liteFile.messages[0])).toBe(false);
    expect(lite.isMessage({ name: "lobby" })).toBe(false);
  });

  it("refuses what it does not implement when a file loads: proto2, oneofs, maps, extensions", () => {
    const base = { name: "test/x.proto", package: "test", syntax: "proto3" };
    const cases: Array<[string, Parameters<typeof real.create<typeof FileDescriptorProtoSchema>>[1], RegExp]> = [
      ["proto2", { ...base, syntax: "proto2", messageType: [{ name: "M" }] }, /proto2 syntax/],
      ["oneof", { ...base, messageType: [{ name: "M", oneofDecl: [{ name: "o" }], field: [{ name: "a", number: 1, label: 1, type: 9, oneofIndex: 0 }] }] }, /a oneof \(test\.M\)/],
      ["map", { ...base, messageType: [{ name: "M", nestedType: [{ name: "AEntry", options: { mapEntry: true } }] }] }, /a map field/],
      ["extension", { ...base, extension: [{ name: "e", number: 1000, label: 1, type: 9, extendee: ".test.M" }] }, /extensions/],
      ["missing import", { ...base, messageType: [{ name: "M", field: [{ name: "t", number: 1, label: 1, type: 11, typeName: ".google.protobuf.Timestamp" }] }] }, /which none of its imports defines/],
    ];
    for (const [label, init, error] of cases) {
      const proto = readAhead(real.create(FileDescriptorProtoSchema, init));
      expect(() => lite.fileDesc(proto), label).toThrow(lite.ProtobufLiteUnsupportedError);
      expect(() => lite.fileDesc(proto), label).toThrow(error);
    }
    // A descriptor the build did not read ahead is refused, not decoded.
    expect(() => lite.fileDesc(embedded(file_smartcore_traits_publication.proto))).toThrow(/did not read ahead/);
  });
});
